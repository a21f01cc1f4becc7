// The socket.io baseline: a minimal raw socket.io client that connects to the OZZOBiT simulator,
// subscribes to the partner stream and writes one NDJSON line per `order:update` event (socket.io
// has already parsed the frame), batched once per event-loop turn like the headless writer.
//   node raw-sio.js SPEC.json   (SPEC: {url, auth})
import { readFileSync } from 'node:fs';
import { io } from 'socket.io-client';

interface Spec {
  url: string;
  auth: Record<string, string>;
}

const specPath = process.argv[2];
if (!specPath) throw new Error('usage: raw-sio.js SPEC.json');
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Spec;

let lines: string[] = [];
let scheduled = false;
const flush = () => {
  scheduled = false;
  const text = lines.join('\n') + '\n';
  lines = [];
  process.stdout.write(text);
};

const socket = io(spec.url, { auth: spec.auth, transports: ['websocket'], forceNew: true });
socket.on('connect', () => {
  socket.emit('subscribe:partner');
  lines.push(JSON.stringify({ connected: true }));
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
socket.on('order:update', (data: unknown) => {
  lines.push(JSON.stringify(data));
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
socket.on('connect_error', (err: Error) => {
  process.stderr.write(`raw-sio: ${err.message}\n`);
});
process.on('SIGTERM', () => process.exit(0));
