// Start-up baseline: the same five demo simulators the headless `--demo` starts, in one process,
// with one raw client per provider that goes as far as the provider's own "you are in" (Houdini
// `welcome`, Orangepill `info`, socket.io `connect`, an open socket for the others), then one line.
// The difference to the headless figure is what the engine itself adds to start-up.
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { startDemo } from '../../src-main/simulator/demo.js';
import type { Simulator } from '../../src-main/simulator/types.js';

const demo = await startDemo();
let left = demo.sims.length;
const done = () => {
  left -= 1;
  if (left === 0) process.stdout.write(`${JSON.stringify({ all: 'connected' })}\n`);
};
const cred = (sim: Simulator, k: string) => sim.credentials[k] ?? '';

for (const sim of demo.sims) {
  if (sim.provider === 'ozzobit') {
    const socket = io(sim.url, {
      auth: { apiKey: cred(sim, 'apiKey'), env: 'STAGING' },
      transports: ['websocket'],
      forceNew: true,
    });
    socket.once('connect', done);
    continue;
  }
  const url =
    sim.provider === 'satoriex'
      ? `${sim.url}?token=${encodeURIComponent(cred(sim, 'token'))}`
      : sim.url;
  const headers: Record<string, string> =
    sim.provider === 'houdini'
      ? { Authorization: `${cred(sim, 'partnerId')}:${cred(sim, 'secret')}` }
      : {};
  const ws = new WebSocket(url, { headers, perMessageDeflate: false });
  ws.on('open', () => {
    if (sim.provider === 'orangepill') {
      ws.send(JSON.stringify({ type: 'subscribe', realm: cred(sim, 'realmKey') }));
    } else if (sim.provider !== 'houdini') done();
  });
  let counted = false;
  ws.on('message', (data: WebSocket.RawData) => {
    const m = JSON.parse(data.toString()) as { type?: string };
    const inNow =
      (sim.provider === 'houdini' && m.type === 'welcome') ||
      (sim.provider === 'orangepill' && m.type === 'info');
    if (inNow && !counted) {
      counted = true;
      done();
    }
  });
}
process.on('SIGTERM', () => process.exit(0));
