// Houdini Swap: the real adapter against the Houdini simulator (the provider's "WebSocket: Order
// Status Updates" page), REST catch-up included.
import { afterEach, describe, expect, it } from 'vitest';
import { startHoudiniSimulator } from '../../src-main/simulator/houdini.js';
import type { Simulator } from '../../src-main/simulator/types.js';
import { sleep, stateOf, watch } from './harness.js';
import { COMMON_GARBAGE, framesOf, providerSuite } from './provider-matrix.js';

const source = (sim: Simulator, orders: string[] = [], rest = true) => ({
  id: 's',
  provider: 'houdini',
  url: sim.url,
  ...(rest ? { restUrl: sim.restUrl } : {}),
  partnerId: sim.credentials.partnerId,
  secret: sim.credentials.secret,
  orders,
});

providerSuite({
  provider: 'houdini',
  startSim: (o) => startHoudiniSimulator(o),
  source: (sim) => source(sim), // all-orders mode
  lifecycles: [
    { orderId: 'HD-A', steps: [-2, -1, 0, 1, 2, 3, 4], final: 'completed' },
    { orderId: 'HD-B', steps: [-1, 0, 5], final: 'expired' },
    { orderId: 'HD-C', steps: [0, 1, 6], final: 'failed' },
    { orderId: 'HD-D', steps: [0, 1, 2, 7], final: 'refunded' },
    { orderId: 'HD-E', steps: [-1, 8], final: 'deleted' },
  ],
  fresh: (n) => ({ orderId: `HD-F${n}`, steps: [0, 4], final: 'completed' }),
  subscribed: (sim, n) => framesOf(sim, n).some((f) => f.includes('"type":"subscribe"')),
  wrongCredentials: { secret: 'not-the-secret' },
  catchUp: 'rest',
  wordFrames: (id, word) => [
    JSON.stringify({ type: 'order_update', data: { houdiniId: id, status: word } }),
  ],
  garbage: [
    ...COMMON_GARBAGE,
    '{"type":"order_update","data":{"houdiniId":"X"}}',
    '{"type":"order_update","data":{"houdiniId":"X","status":99}}',
    '{"type":"order_update"}',
  ],
  descriptor: {
    sample: {
      id: 'a',
      provider: 'houdini',
      url: 'wss://provider.example/ws',
      partnerId: 'p',
      secret: 's',
    },
    secrets: ['secret'],
    heartbeatMs: 20_000,
    catchUp: 'list',
    catchUpRequires: 'restUrl',
    connect: 'ws',
    // The status model (docs/headless.md), row by row.
    statuses: [
      ['-2', 'pending'],
      ['-1', 'pending'],
      ['0', 'pending'],
      ['1', 'processing'],
      ['2', 'processing'],
      ['3', 'processing'],
      ['4', 'completed'],
      ['5', 'expired'],
      ['6', 'failed'],
      ['7', 'refunded'],
      ['8', 'deleted'],
    ],
    authFailures: [
      [{ httpStatus: 401 }, 'Authorization header missing (HTTP 401)'],
      [{ httpStatus: 400 }, 'Authorization header malformed, must be partnerId:secret (HTTP 400)'],
      [{ closeCode: 4401 }, 'credentials rejected (AUTH_FAILED, close 4401)'],
      [{ message: 'AUTH_FAILED' }, 'credentials rejected (AUTH_FAILED)'],
      [{ httpStatus: 500 }, undefined],
    ],
  },
  demo: {
    sourceId: 'hd',
    source: { orders: [], restUrl: expect.any(String) },
    orders: 5,
    terminal: [4, 5, 6, 7, 8],
    orderId: /^HD-[0-9a-f]{4}-\d+$/,
  },
});

describe('houdini specifics', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setUp(src: (sim: Simulator) => Record<string, unknown>) {
    const sim = await startHoudiniSimulator();
    cleanups.push(() => sim.close());
    const w = await watch([src(sim)]);
    cleanups.push(() => w.stop());
    return { sim, w };
  }

  it('a finished order that later reads 8 DELETED keeps showing how it finished; 8 goes in its timeline', async () => {
    const { sim, w } = await setUp((s) => source(s, ['H1', 'H2']));
    await w.until(() => framesOf(sim, 1).length > 0, 'subscribe');
    sim.setStatus('H1', 4);
    await w.until(() => w.alerts().length === 1, 'finished');
    const lines = w.orders('H1').length;
    sim.setStatus('H1', 8); // removed after 48 h, as the page says
    sim.setStatus('H2', 4); // marker: H1's 8 has been processed once this alerts
    await w.until(() => w.alerts().length === 2, 'marker alert');
    expect(w.alerts().filter((a) => a.orderId === 'H1')).toHaveLength(1);
    expect(w.orders('H1')).toHaveLength(lines); // no order line: the status it shows is unchanged
    const record = w.engine.store.get('s', 'H1');
    expect([record?.status, record?.providerStatus, record?.terminal]).toEqual([
      'completed',
      '4',
      true,
    ]);
    expect(record?.history.map((h) => h.providerStatus)).toEqual(['4', '8']);
  });

  it('sends the Authorization header, waits for welcome, then subscribes to all orders', async () => {
    const { sim, w } = await setUp((s) => source(s));
    await w.until(() => framesOf(sim, 1).length > 0, 'subscribe');
    expect(JSON.parse(framesOf(sim, 1)[0] ?? '')).toEqual({ type: 'subscribe' });
    expect(stateOf(w, 's')).toBe('connected');
  });

  it('specific orders: one subscribe with houdiniIds, additive at run time, unsubscribe on removal', async () => {
    const { sim, w } = await setUp((s) => source(s, ['H1', 'H2']));
    await w.until(() => framesOf(sim, 1).length > 0, 'subscribe');
    expect(JSON.parse(framesOf(sim, 1)[0] ?? '')).toEqual({
      type: 'subscribe',
      houdiniIds: ['H1', 'H2'],
    });
    w.engine.watch('s', 'H3');
    w.engine.unwatch('s', 'H1');
    await w.until(() => framesOf(sim, 1).length >= 3, 'runtime frames');
    expect(
      framesOf(sim, 1)
        .slice(1)
        .map((f) => JSON.parse(f)),
    ).toEqual([
      { type: 'subscribe', houdiniIds: ['H3'] },
      { type: 'unsubscribe', houdiniIds: ['H1'] },
    ]);
    sim.setStatus('H3', 4);
    await w.until(() => w.alerts().length === 1, 'alert for H3');
  });

  it('all-orders mode: removing one order sends no unsubscribe (it would silence every order)', async () => {
    const { sim, w } = await setUp((s) => source(s));
    await w.until(() => framesOf(sim, 1).length === 1, 'subscribe');
    sim.setStatus('K1', 1);
    await w.until(() => w.orders('K1').length === 1, 'K1 seen');
    w.engine.unwatch('s', 'K1');
    sim.setStatus('K1', 4);
    sim.setStatus('K2', 4);
    await w.until(() => w.alerts().length === 1, 'K2 alert');
    expect(w.alerts()[0]?.orderId).toBe('K2');
    expect(framesOf(sim, 1).filter((f) => f.includes('unsubscribe'))).toHaveLength(0);
  });

  it('first REST snapshot records finished history without alerting; later changes alert', async () => {
    const sim = await startHoudiniSimulator();
    cleanups.push(() => sim.close());
    for (let i = 0; i < 20; i += 1) sim.setStatus(`OLD-${i}`, i % 2 ? 4 : 5); // paged, 7 per page
    sim.setStatus('LIVE', 2);
    const w = await watch([source(sim)]);
    cleanups.push(() => w.stop());
    await w.until(() => w.orders().length === 21, 'history loaded over 3 pages');
    sim.setStatus('LIVE', 4);
    await w.until(() => w.alerts().length === 1, 'LIVE alert');
    await sleep(100);
    expect(w.alerts().map((a) => a.orderId)).toEqual(['LIVE']);
  });

  it('specific orders are looked up over REST on connect, already-finished ones alert', async () => {
    const sim = await startHoudiniSimulator();
    cleanups.push(() => sim.close());
    sim.setStatus('DONE', 4);
    sim.setStatus('BUSY', 1);
    const w = await watch([source(sim, ['DONE', 'BUSY', 'MISSING'])]);
    cleanups.push(() => w.stop());
    await w.until(() => w.orders().length === 2, 'both looked up');
    expect(w.alerts().map((a) => a.orderId)).toEqual(['DONE']);
  });

  it('a malformed Authorization header (HTTP 400) is auth_failed with that reason, not retried fast', async () => {
    const sim = await startHoudiniSimulator();
    cleanups.push(() => sim.close());
    // A second colon makes `partnerId:secret` ambiguous: the upgrade is refused with 400.
    const w = await watch([{ ...source(sim), secret: 'with:colon' }]);
    cleanups.push(() => w.stop());
    await w.until(() => stateOf(w, 's') === 'auth_failed', 'auth_failed');
    const failed = w.events.find((e) => e.kind === 'connection' && e.state === 'auth_failed');
    expect(failed?.kind === 'connection' && failed.detail).toMatch(/malformed.*400/);
    const accepted = sim.stats.accepted;
    await sleep(1_000);
    expect(sim.stats.accepted).toBe(accepted);
  });
});

// Houdini's REST only covers the last 48 h (its page: "8 DELETED — order older than 48 hours"). The
// strict simulator forgets older orders in REST, so after a gap such an order cannot be verified:
// it is marked so, with that reason, and a problem line says so; nothing is invented.
describe('houdini catch-up beyond its 48 h REST window (strict simulator)', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const HOUR = 3_600_000;

  it.each([
    { mode: 'watched', orders: ['H-AGED'] },
    { mode: 'all orders', orders: [] },
  ])(
    '$mode: an order older than 48 h that finished during a gap is unverified (48 h), not alerted',
    async ({ orders }) => {
      const sim = await startHoudiniSimulator();
      cleanups.push(() => sim.close());
      expect(sim.strict).toBe(true);
      sim.setStatus('H-AGED', 1);
      const w = await watch([source(sim, orders)]);
      cleanups.push(() => w.stop());
      await w.until(() => stateOf(w, 's') === 'connected', 'connected');
      await w.until(() => w.engine.store.get('s', 'H-AGED')?.status === 'processing', 'known');
      // Two days pass; it finishes while the link is down, and REST no longer has it.
      sim.age('H-AGED', 49 * HOUR);
      sim.setStatus('H-AGED', 4, { restOnly: true });
      const before = w.states('s').length;
      sim.drop();
      await w.until(
        () => w.states('s').length > before && stateOf(w, 's') === 'connected',
        'reconnected',
      );
      await w.until(
        () => w.events.some((e) => e.kind === 'problem' && e.orderIds?.includes('H-AGED')),
        'problem line',
      );
      const problem = w.events.find((e) => e.kind === 'problem');
      expect(problem).toMatchObject({
        code: 'unverified_after_gap',
        source: 's',
        provider: 'houdini',
        orderIds: ['H-AGED'],
        count: 1,
      });
      expect(problem?.kind === 'problem' && problem.detail).toMatch(/48 h/);
      const record = w.engine.store.get('s', 'H-AGED');
      expect(record).toMatchObject({
        status: 'processing',
        unverifiedReason: 'beyond_rest_window',
        unverifiedSince: problem?.kind === 'problem' ? problem.since : 'missing',
      });
      await sleep(200);
      expect(w.alerts()).toEqual([]);
      // Heard of again: the mark goes, the finish rings once.
      sim.setStatus('H-AGED', 4);
      await w.until(() => w.alerts().length === 1, 'the live alert');
      expect(w.engine.store.get('s', 'H-AGED')?.unverifiedSince).toBeUndefined();
    },
  );
});
