// Issue 10 item 3: a frame past the 1 MiB limit, from the real simulators over loopback. ws refuses
// it from its header (never buffered whole), the user reads one line naming the source and the
// limit, the source reconnects, and what follows is still heard and alerted. OZZOBiT goes through
// socket.io-client, which sets no limit of its own in Node; Houdini stands for the plain-WebSocket
// providers, which always had the limit and now say so in the same words.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from '../../src-main/engine/frame-limit.js';
import { startHoudiniSimulator } from '../../src-main/simulator/houdini.js';
import { startOzzobitSimulator } from '../../src-main/simulator/ozzobit.js';
import type { Simulator } from '../../src-main/simulator/types.js';
import { capturingLogger, stateOf, watch } from './harness.js';

const TEN_MIB = 10 * 1024 * 1024;

interface Case {
  provider: string;
  start: () => Promise<Simulator>;
  source: (sim: Simulator) => Record<string, unknown>;
  /** A push about `id` carrying `pad` (a 10 MiB one is the hostile frame). */
  frame: (id: string, pad: string) => string;
  final: string | number;
}

const CASES: Case[] = [
  {
    provider: 'ozzobit',
    start: () => startOzzobitSimulator(),
    source: (sim) => ({
      id: 's',
      provider: 'ozzobit',
      url: sim.url,
      apiKey: sim.credentials.apiKey,
      env: sim.credentials.env,
      orders: ['oz-1'],
    }),
    frame: (id, pad) => JSON.stringify({ event: 'ORDER_PROCESSING', orderId: id, reason: pad }),
    final: 'ORDER_COMPLETED',
  },
  {
    provider: 'houdini',
    start: () => startHoudiniSimulator(),
    source: (sim) => ({
      id: 's',
      provider: 'houdini',
      url: sim.url,
      partnerId: sim.credentials.partnerId,
      secret: sim.credentials.secret,
      orders: ['oz-1'],
    }),
    frame: (id, pad) => JSON.stringify({ type: 'order_update', houdiniId: id, status: 1, pad }),
    final: 4,
  },
];

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.each(CASES)('$provider: a 10 MiB frame', (c) => {
  it('is refused unread, said once with the limit, and the source carries on', async () => {
    const sim = await c.start();
    cleanups.push(() => sim.close());
    const { log, lines } = capturingLogger();
    const w = await watch([c.source(sim)], { log });
    cleanups.push(() => w.stop());
    await w.until(() => stateOf(w, 's') === 'connected', 'connected');
    const connects = w.states('s').filter((s) => s === 'connected').length;

    sim.sendRaw(c.frame('oz-1', 'x'.repeat(TEN_MIB)));
    await w.until(
      () => w.states('s').filter((s) => s === 'connected').length > connects,
      'reconnected after the frame',
    );

    const said = lines.filter((l) => l.includes('frame larger than the 1 MiB limit'));
    expect(said).toHaveLength(1);
    expect(JSON.parse(said[0] ?? '{}')).toMatchObject({ source: 's', provider: c.provider });
    expect(w.events.filter((e) => e.kind === 'connection').at(-2)).toMatchObject({
      state: 'reconnecting',
    });
    // Nothing of the frame got through: no line, no stored order, no log line near its size.
    expect(w.orders('oz-1')).toEqual([]);
    expect(Math.max(...w.events.map((e) => JSON.stringify(e).length))).toBeLessThan(
      MAX_FRAME_BYTES,
    );
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(MAX_FRAME_BYTES);

    // Still heard after the reconnect.
    await w.until(() => sim.connections() > 0, 'server sees the client');
    await new Promise((r) => setTimeout(r, 100)); // subscribed
    sim.setStatus('oz-1', c.final);
    await w.until(() => w.alerts().length === 1, 'the alert after the refused frame');
  }, 20_000);
});
