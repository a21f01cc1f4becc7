// n.exchange: the real adapter against the n.exchange simulator (the provider's "WebSocket Usage"
// page).
import { afterEach, describe, expect, it } from 'vitest';
import { defaultOrigin } from '../../src-main/engine/providers/nexchange.js';
import { startNexchangeSimulator } from '../../src-main/simulator/nexchange.js';
import type { Simulator } from '../../src-main/simulator/types.js';
import { TEST_TUNING, sleep, stateOf, watch } from './harness.js';
import { COMMON_GARBAGE, framesOf, providerSuite, type ProviderSpec } from './provider-matrix.js';

// With its REST lookup: after every (re)connect the adapter looks its open orders up there, the one
// catch-up n.exchange offers (its page promises nothing on subscribe but the confirmation).
const source = (sim: Simulator, orders: string[]) => ({
  id: 's',
  provider: 'nexchange',
  url: sim.url,
  restUrl: sim.restUrl,
  orders,
});

export const nexchangeSpec: ProviderSpec = {
  provider: 'nexchange',
  // n.exchange has no credentials: everything but them.
  startSim: ({ credentials: _none, ...o } = {}) => startNexchangeSimulator(o),
  source,
  lifecycles: [
    { orderId: 'NX-A', steps: [11, 12, 13, 14, 15, 16], final: 'completed' },
    { orderId: 'NX-B', steps: [11, 0], final: 'canceled' },
    { orderId: 'NX-C', steps: [11, 12, 13, 6, 8], final: 'refunded' },
    { orderId: 'NX-D', steps: [11, 9, 13, 6, 7], final: 'failed' },
  ],
  fresh: (n) => ({ orderId: `NX-F${n}`, steps: [11, 16], final: 'completed' }),
  // One subscribe per watched order (8 in the matrix), all of them on this connection.
  subscribed: (sim, n) => framesOf(sim, n).filter((f) => f.includes('"subscribe"')).length >= 8,
  catchUp: 'rest',
  wordFrames: (id, word) => [
    JSON.stringify({ message_type: 'order_status_update', unique_reference: id, status: word }),
  ],
  garbage: [
    ...COMMON_GARBAGE,
    '{"message_type":"order_status_update","unique_reference":"NX-A"}',
    '{"message_type":"order_status_update","unique_reference":"NX-A","status":3}',
  ],
  descriptor: {
    sample: { id: 'a', provider: 'nexchange', url: 'wss://provider.example/ws' },
    secrets: [],
    heartbeatMs: 20_000,
    catchUp: 'lookup',
    catchUpRequires: 'restUrl',
    connect: 'ws',
    // No credentials, so nothing reads as "bad credentials".
    // The status model (docs/headless.md), row by row.
    statuses: [
      ['11', 'pending'],
      ['9', 'on_hold'],
      ['6', 'processing'],
      ['12', 'processing'],
      ['13', 'processing'],
      ['14', 'processing'],
      ['15', 'processing'],
      ['16', 'completed'],
      ['7', 'failed'],
      ['0', 'canceled'],
      ['8', 'refunded'],
    ],
    authFailures: [
      [{ httpStatus: 401 }, undefined],
      [{ closeCode: 4401 }, undefined],
    ],
  },
  demo: {
    sourceId: 'nx',
    source: {
      orders: expect.arrayContaining([expect.stringMatching(/^NX-[0-9a-f]{4}-\d+$/)]),
    },
    orders: 4,
    terminal: [0, 7, 8, 16],
    orderId: /^NX-[0-9a-f]{4}-\d+$/,
  },
};

providerSuite(nexchangeSpec);

describe('nexchange specifics', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('sends {subscribe: REF} per order, and for an order added at run time', async () => {
    const sim = await startNexchangeSimulator();
    cleanups.push(() => sim.close());
    const w = await watch([source(sim, ['R1', 'R2'])]);
    cleanups.push(() => w.stop());
    await w.until(() => framesOf(sim, 1).length === 2, 'two subscribes');
    expect(framesOf(sim, 1).map((f) => JSON.parse(f))).toEqual([
      { subscribe: 'R1' },
      { subscribe: 'R2' },
    ]);
    w.engine.watch('s', 'R3');
    await w.until(() => framesOf(sim, 1).length === 3, 'runtime subscribe');
    expect(JSON.parse(framesOf(sim, 1)[2] ?? '')).toEqual({ subscribe: 'R3' });
    sim.setStatus('R3', 16);
    await w.until(() => w.alerts().length === 1, 'alert for the added order');
  });

  it("sends an Origin header (the URL's own by default), so a server that requires one lets it in", async () => {
    const sim = await startNexchangeSimulator({ nexchangeRequireOrigin: true });
    cleanups.push(() => sim.close());
    const w = await watch([source(sim, ['R1'])]);
    cleanups.push(() => w.stop());
    await w.until(() => framesOf(sim, 1).length === 1, 'subscribed past the origin check');
    const { host } = new URL(sim.url);
    expect(sim.origins).toEqual([`http://${host}`]);
    expect(defaultOrigin(sim.url)).toBe(`http://${host}`);
    sim.setStatus('R1', 16);
    await w.until(() => w.alerts().length === 1, 'alert');
  });

  it('the origin field overrides the default, as its origin part', async () => {
    const sim = await startNexchangeSimulator();
    cleanups.push(() => sim.close());
    sim.requireOrigin(true);
    const w = await watch([{ ...source(sim, ['R1']), origin: 'https://n.exchange/app/' }]);
    cleanups.push(() => w.stop());
    await w.until(() => framesOf(sim, 1).length === 1, 'subscribed');
    expect(sim.origins).toEqual(['https://n.exchange']);
  });

  it('keeps amounts and pair from order_status_update for the alert', async () => {
    const sim = await startNexchangeSimulator();
    cleanups.push(() => sim.close());
    const w = await watch([source(sim, ['R9'])]);
    cleanups.push(() => w.stop());
    await w.until(() => stateOf(w, 's') === 'connected' && sim.connections() === 1, 'subscribed');
    sim.setStatus('R9', 16);
    await w.until(() => w.alerts().length === 1, 'alert');
    const record = w.engine.store.get('s', 'R9');
    expect(record?.details?.pair).toBeTruthy();
    expect(record?.details?.amountIn).toBeTruthy();
    expect(w.alerts()[0]?.body).toContain('R9');
    await sleep(10);
  });

  it('reconnect now: drops the link at once and resubscribes, skipping any backoff', async () => {
    const sim = await startNexchangeSimulator();
    cleanups.push(() => sim.close());
    const w = await watch([source(sim, ['R1'])]);
    cleanups.push(() => w.stop());
    await w.until(() => framesOf(sim, 1).length === 1, 'subscribed');
    const t0 = Date.now();
    w.engine.reconnectAll();
    await w.until(() => framesOf(sim, 2).length === 1, 'resubscribed on a new connection', 1_000);
    expect(Date.now() - t0).toBeLessThan(500);
    expect(stateOf(w, 's')).toBe('connected');
  });

  it('an unreachable provider reads offline after a few attempts, and comes back by itself', async () => {
    const sim = await startNexchangeSimulator();
    cleanups.push(() => sim.close());
    const w = await watch([source(sim, ['R1'])], {
      heartbeatMs: 150,
      tuning: { supervisor: { ...TEST_TUNING.supervisor, handshakeTimeoutMs: 300 } },
    });
    cleanups.push(() => w.stop());
    await w.until(() => stateOf(w, 's') === 'connected', 'connected');
    sim.halfOpen(true); // every new connection stalls in its handshake, the old one goes silent
    await w.until(() => stateOf(w, 's') === 'offline', 'offline', 15_000);
    const offline = w.events.find((e) => e.kind === 'connection' && e.state === 'offline');
    expect(offline?.kind === 'connection' && offline.detail).toBe('provider unreachable');
    sim.halfOpen(false);
    await w.until(() => stateOf(w, 's') === 'connected', 'back', 10_000);
  });
});
