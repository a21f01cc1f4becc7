// Simulator.burst (the bench's flood path): the frames pushed inside it reach the client complete and
// in order, for a plain `ws` simulator and for socket.io, and burst with nobody connected is harmless.
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startNexchangeSimulator } from '../../src-main/simulator/nexchange.js';
import { startOzzobitSimulator } from '../../src-main/simulator/ozzobit.js';
import type { Simulator } from '../../src-main/simulator/types.js';

const sims: Simulator[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  for (const s of sims.splice(0)) await s.close();
});

async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Simulator.burst', () => {
  it('n.exchange: every frame of a burst arrives, in order', async () => {
    const sim = await startNexchangeSimulator();
    sims.push(sim);
    sim.burst(() => sim.setStatus('EARLY', 11)); // nobody connected: nothing to cork
    const ws = new WebSocket(sim.url);
    cleanups.push(() => ws.terminate());
    const seen: string[] = [];
    ws.on('message', (d: WebSocket.RawData) => {
      const m = JSON.parse(d.toString()) as { unique_reference?: string; status?: number };
      if (m.unique_reference) seen.push(`${m.unique_reference}:${m.status}`);
    });
    await new Promise((r) => ws.once('open', r));
    const refs = Array.from({ length: 50 }, (_, i) => `R${i}`);
    for (const ref of refs) ws.send(JSON.stringify({ subscribe: ref }));
    await until(() => sim.connections() === 1 && sim.received.length >= 50, 'subscriptions');
    sim.burst(() => {
      for (const status of [11, 12, 16]) for (const ref of refs) sim.setStatus(ref, status);
    });
    await until(() => seen.length === 150, '150 frames');
    expect(seen.slice(0, 3)).toEqual(['R0:11', 'R1:11', 'R2:11']);
    expect(seen.at(-1)).toBe('R49:16');
  });

  it('OZZOBiT (socket.io): every event of a burst arrives, in order', async () => {
    const sim = await startOzzobitSimulator();
    sims.push(sim);
    const socket = io(sim.url, {
      auth: { apiKey: sim.credentials.apiKey },
      transports: ['websocket'],
      forceNew: true,
    });
    cleanups.push(() => socket.disconnect());
    const seen: string[] = [];
    socket.on('order:update', (m: { orderId?: string; event?: string }) => {
      if (m.orderId) seen.push(`${m.orderId}:${m.event}`);
    });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.emit('subscribe:partner');
    await until(
      () => sim.received.some((f) => f.text.startsWith('subscribe:partner')),
      'subscribe',
    );
    sim.burst(() => {
      for (let i = 0; i < 40; i += 1) sim.setStatus(`O${i}`, 'ORDER_CREATED');
      for (let i = 0; i < 40; i += 1) sim.setStatus(`O${i}`, 'ORDER_COMPLETED');
    });
    await until(() => seen.length === 80, '80 events');
    expect(seen[0]).toBe('O0:ORDER_CREATED');
    expect(seen.at(-1)).toBe('O39:ORDER_COMPLETED');
  });
});
