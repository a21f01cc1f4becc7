// Idle baseline: one process holding raw connections to all five simulators (four plain `ws`, one
// socket.io), subscribed as each protocol needs and doing nothing else: no heartbeats, no timers.
// Prints one line per connection that is in, then sits. What an idle stream client costs at least.
//   node raw-idle.js SPEC.json   (SPEC: {ws: [{url, headers?, send?}], sio: [{url, auth}]})
import { readFileSync } from 'node:fs';
import { io } from 'socket.io-client';
import WebSocket from 'ws';

interface Spec {
  ws: { url: string; headers?: Record<string, string>; send?: string[] }[];
  sio: { url: string; auth: Record<string, string> }[];
}

const specPath = process.argv[2];
if (!specPath) throw new Error('usage: raw-idle.js SPEC.json');
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Spec;

for (const [i, s] of spec.ws.entries()) {
  const ws = new WebSocket(s.url, { headers: s.headers ?? {}, perMessageDeflate: false });
  ws.on('open', () => {
    for (const frame of s.send ?? []) ws.send(frame);
    process.stdout.write(`${JSON.stringify({ open: `ws${i}` })}\n`);
  });
  ws.on('message', (data: WebSocket.RawData) => JSON.parse(data.toString()) as unknown);
  ws.on('error', (err) => process.stderr.write(`raw-idle ws${i}: ${err.message}\n`));
}
for (const [i, s] of spec.sio.entries()) {
  const socket = io(s.url, { auth: s.auth, transports: ['websocket'], forceNew: true });
  socket.on('connect', () => {
    socket.emit('subscribe:partner');
    process.stdout.write(`${JSON.stringify({ open: `sio${i}` })}\n`);
  });
  socket.on('order:update', () => undefined);
}
process.on('SIGTERM', () => process.exit(0));
