// SatoriEx: the real adapter against the SatoriEx simulator (the provider's "WebSocket events"
// page): token in the query, user and market channels, hydration gate, 60 s fallback poll
// (shortened here).
import { afterEach, describe, expect, it } from 'vitest';
import {
  SATORIEX_DEFAULT_MARKET,
  startSatoriexSimulator,
  type SatoriexSim,
} from '../../src-main/simulator/satoriex.js';
import type { Simulator } from '../../src-main/simulator/types.js';
import { TEST_TUNING, sleep, stateOf, watch } from './harness.js';
import { COMMON_GARBAGE, framesOf, providerSuite } from './provider-matrix.js';

const M = SATORIEX_DEFAULT_MARKET;
const source = (sim: Simulator, extra: Record<string, unknown> = {}) => ({
  id: 's',
  provider: 'satoriex',
  url: sim.url,
  token: sim.credentials.token,
  markets: [M],
  restUrl: sim.restUrl,
  ...extra,
});

providerSuite({
  provider: 'satoriex',
  startSim: (o) => startSatoriexSimulator(o),
  source: (sim) => source(sim),
  lifecycles: [
    {
      orderId: 'ord-A',
      steps: ['open', 'partially_filled', 'filled'],
      final: 'completed',
      market: M,
    },
    { orderId: 'ord-B', steps: ['open', 'canceled'], final: 'canceled', market: M },
    { orderId: 'ord-C', steps: ['open', 'expired'], final: 'expired', market: M },
    { orderId: 'ord-D', steps: ['open', 'rejected'], final: 'failed', market: M },
    {
      orderId: 'wd-E',
      steps: [
        'withdraw_requested',
        'withdraw_submitted',
        'withdraw_approved',
        'withdraw_confirmed',
      ],
      final: 'completed',
    },
    { orderId: 'wd-F', steps: ['withdraw_requested', 'withdraw_rejected'], final: 'failed' },
    { orderId: 'dep-G', steps: ['deposit_confirmed'], final: 'completed' },
  ],
  fresh: (n) => ({
    orderId: `ord-F${n}`,
    steps: ['open', 'filled'],
    final: 'completed',
    market: M,
  }),
  subscribed: (sim, n) => framesOf(sim, n).some((f) => f.includes('"subscribe"')),
  wrongCredentials: { token: 'e30.e30.bad-signature' },
  catchUp: 'rest',
  wordFrames: (id, word) => [
    JSON.stringify({ type: 'order', order_id: id, market_id: M, status: word }),
    JSON.stringify({ type: 'order_update', order_id: id, market_id: M, status: word }),
    JSON.stringify({ type: word, order_id: id, market_id: M, status: 'filled' }),
  ],
  garbage: [
    ...COMMON_GARBAGE,
    '{"type":"order","order_id":"x","status":"weird"}',
    '{"type":"order"}',
  ],
  descriptor: {
    sample: { id: 'a', provider: 'satoriex', url: 'wss://provider.example/ws', token: 't' },
    secrets: ['token'],
    heartbeatMs: 20_000,
    catchUp: 'list',
    catchUpRequires: 'restUrl',
    connect: 'ws',
    // The status model (docs/headless.md), row by row.
    statuses: [
      ['open', 'processing'],
      ['partially_filled', 'processing'],
      ['order_filled', 'completed'],
      ['filled', 'completed'],
      ['withdraw_confirmed', 'completed'],
      ['deposit_confirmed', 'completed'],
      ['withdraw_failed', 'failed'],
      ['withdraw_rejected', 'failed'],
      ['rejected', 'failed'],
      ['canceled', 'canceled'],
      ['expired', 'expired'],
    ],
    authFailures: [
      [{ httpStatus: 401 }, 'token rejected (HTTP 401)'],
      [{ httpStatus: 403 }, 'token rejected (HTTP 403)'],
      [{ closeCode: 4401 }, 'token rejected (close 4401)'],
      [{ closeCode: 1008 }, 'token rejected (close 1008, policy violation)'],
      [{ closeCode: 1006 }, undefined],
    ],
  },
  demo: {
    sourceId: 'sx',
    source: { markets: ['mkt_abc123'], restUrl: expect.any(String) },
    orders: 7,
    terminal: [
      'filled',
      'canceled',
      'expired',
      'rejected',
      'withdraw_confirmed',
      'withdraw_failed',
      'deposit_confirmed',
    ],
    orderId: /^(ord|wd|dep)-[0-9a-f]{4}-\d+$/,
  },
});

describe('satoriex specifics', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('puts the JWT in ?token= and subscribes per market (marketdata only when asked)', async () => {
    const sim = await startSatoriexSimulator();
    cleanups.push(() => sim.close());
    const w = await watch([source(sim, { markets: ['m1', 'm2'], marketData: true })]);
    cleanups.push(() => w.stop());
    await w.until(() => framesOf(sim, 1).length === 4, 'four subscribes');
    expect(framesOf(sim, 1).map((f) => JSON.parse(f))).toEqual([
      { type: 'subscribe', market_id: 'm1' },
      { type: 'subscribe_marketdata', market_id: 'm1' },
      { type: 'subscribe', market_id: 'm2' },
      { type: 'subscribe_marketdata', market_id: 'm2' },
    ]);
  });

  it.each([
    [true, 1],
    [false, 0],
  ])('price_update is activity only when marketData is %s', async (marketData, expected) => {
    const sim = await startSatoriexSimulator();
    cleanups.push(() => sim.close());
    const w = await watch([source(sim, { marketData })]);
    cleanups.push(() => w.stop());
    await w.until(
      () => framesOf(sim, 1).length >= 1 && stateOf(w, 's') === 'connected',
      'subscribed',
    );
    await sleep(50);
    sim.emitActivity('price_update');
    sim.emitActivity('wallet_changed');
    await w.until(
      () => w.events.some((e) => e.kind === 'activity' && e.event === 'wallet_changed'),
      'wallet',
    );
    await sleep(50);
    expect(
      w.events.filter((e) => e.kind === 'activity' && e.event === 'price_update'),
    ).toHaveLength(expected);
  });

  it('first /me/orders snapshot is history (no alerts); the fallback poll catches what the stream missed', async () => {
    const sim = await startSatoriexSimulator();
    cleanups.push(() => sim.close());
    sim.setStatus('old-1', 'filled', { market: M });
    sim.setStatus('old-2', 'canceled', { market: M });
    sim.setStatus('live', 'open', { market: M });
    const w = await watch([source(sim)], { tuning: { ...TEST_TUNING, satoriexPollMs: 150 } });
    cleanups.push(() => w.stop());
    await w.until(() => w.orders().length === 3, 'snapshot applied');
    expect(w.alerts()).toHaveLength(0);
    // Changed at the exchange without a push: only the 60 s (here 150 ms) poll can see it.
    sim.setStatus('live', 'filled', { market: M, restOnly: true });
    await w.until(() => w.alerts().length === 1, 'poll found the fill', 3_000);
    expect(w.alerts()[0]).toMatchObject({ orderId: 'live', status: 'completed' });
    expect(stateOf(w, 's')).toBe('connected');
  });

  it('a filled order (order + order_filled) makes one alert and one terminal line', async () => {
    const sim = await startSatoriexSimulator();
    cleanups.push(() => sim.close());
    const w = await watch([source(sim)]);
    cleanups.push(() => w.stop());
    await w.until(
      () => framesOf(sim, 1).length >= 1 && stateOf(w, 's') === 'connected',
      'subscribed',
    );
    await sleep(50);
    sim.setStatus('f1', 'open', { market: M });
    sim.setStatus('f1', 'filled', { market: M });
    await w.until(() => w.alerts().length === 1, 'alert');
    await sleep(100);
    expect(w.orders('f1').map((o) => o.providerStatus)).toEqual(['open', 'filled']);
  });

  async function connected(options: { rest?: boolean } = {}) {
    const sim = (await startSatoriexSimulator()) as SatoriexSim;
    cleanups.push(() => sim.close());
    const w = await watch([source(sim, options.rest === false ? { restUrl: undefined } : {})]);
    cleanups.push(() => w.stop());
    await w.until(
      () => framesOf(sim, 1).length >= 1 && stateOf(w, 's') === 'connected',
      'subscribed',
    );
    await sleep(50);
    return { sim, w };
  }

  it("another user's orders on the market channel never become orders or alerts", async () => {
    const { sim, w } = await connected();
    for (let i = 0; i < 20; i += 1) {
      sim.setStrangerStatus(`stranger-${i}`, 'open', { market: M });
      sim.setStrangerStatus(`stranger-${i}`, 'filled', { market: M });
    }
    sim.setStatus('mine-1', 'open', { market: M }); // the user's, unknown until /me/orders says so
    sim.setStatus('mine-1', 'filled', { market: M });
    await w.until(() => w.alerts().length === 1, "the user's alert");
    await sleep(300);
    expect(w.alerts().map((a) => a.orderId)).toEqual(['mine-1']);
    expect(new Set(w.orders().map((o) => o.orderId))).toEqual(new Set(['mine-1']));
    expect(w.engine.store.size).toBe(1); // the store does not grow with the market
    // One refresh decided every unknown id of the burst (plus the connect's own read).
    expect(sim.stats.restByEndpoint['/api/v1/me/orders']).toBeLessThanOrEqual(3);
  });

  it("without restUrl, only orders the user channel named are the user's", async () => {
    const { sim, w } = await connected({ rest: false });
    sim.setStrangerStatus('stranger-1', 'filled', { market: M });
    sim.setStatus('mine-2', 'open', { market: M });
    sim.setStatus('mine-2', 'filled', { market: M }); // order on the market, order_filled on user
    await w.until(() => w.alerts().length === 1, 'alert from the user channel');
    sim.setStatus('mine-2', 'filled', { market: M });
    await sleep(200);
    expect(w.alerts().map((a) => a.orderId)).toEqual(['mine-2']);
    expect(w.engine.store.get('s', 'stranger-1')).toBeUndefined();
  });

  it('order_filled with filled_size < size is a partial fill: processing, no alert', async () => {
    const { sim, w } = await connected();
    sim.announcePartialFills(true);
    sim.setStatus('pf-1', 'open', { market: M });
    sim.setStatus('pf-1', 'partially_filled', { market: M });
    await w.until(
      () => w.engine.store.get('s', 'pf-1')?.providerStatus === 'partially_filled',
      'partial fill seen',
    );
    await sleep(300);
    expect(w.alerts()).toHaveLength(0);
    expect(w.engine.store.get('s', 'pf-1')).toMatchObject({
      status: 'processing',
      terminal: false,
    });
    sim.setStatus('pf-1', 'filled', { market: M });
    await w.until(() => w.alerts().length === 1, 'alert when really filled');
    expect(w.alerts()[0]).toMatchObject({ orderId: 'pf-1', status: 'completed' });
  });
});

// `/me/orders` read in pages (`satoriexPageSize`, the simulator's cursor shape): every pass — the
// catch-up after a gap and the refresh an unknown market-channel id triggers — follows the cursor
// to the last page. Orders are listed in creation order, so the 5th and 6th sit on page 3 of 2.
describe('satoriex against a paged /me/orders (strict simulator)', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const PAGE = 2;
  const reads = (sim: Simulator) =>
    sim.restRequests.filter((r) => r.endpoint === '/api/v1/me/orders');
  /** Passes over /me/orders: each starts with a read without a cursor. */
  const passes = (sim: Simulator) => reads(sim).filter((r) => !r.path.includes('cursor=')).length;

  async function start(ids: string[]) {
    const sim = (await startSatoriexSimulator({ satoriexPageSize: PAGE })) as SatoriexSim;
    cleanups.push(() => sim.close());
    expect(sim.strict).toBe(true);
    for (const id of ids) sim.setStatus(id, 'open', { market: M });
    const w = await watch([source(sim)]);
    cleanups.push(() => w.stop());
    await w.until(() => w.orders().length === ids.length, 'the first pass read every page');
    await w.until(() => framesOf(sim, 1).length >= 1, 'subscribed');
    return { sim, w };
  }

  it('an order on page 3 that finished during a gap alerts once after reconnect', async () => {
    const { sim, w } = await start(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    expect(w.alerts()).toEqual([]);
    sim.setStatus('p6', 'filled', { market: M, restOnly: true });
    const before = reads(sim).length;
    sim.drop();
    await w.until(() => w.alerts().length > 0, 'the alert from page 3');
    await sleep(300);
    expect(w.alerts().map((a) => [a.orderId, a.status])).toEqual([['p6', 'completed']]);
    // That pass read all three pages, in cursor order.
    expect(
      reads(sim)
        .slice(before, before + 3)
        .map((r) => r.path.includes('cursor=')),
    ).toEqual([false, true, true]);
  });

  it('an unknown id on a market channel: one refresh over every page decides; listed → applied, strangers → nothing', async () => {
    const { sim, w } = await start(['p1', 'p2', 'p3', 'p4']);
    expect(passes(sim)).toBe(1);
    // In one write: strangers' orders and a new order of the user's, on the market channel only
    // (it is listed, on page 3, but the user channel has not named it).
    sim.burst(() => {
      for (let i = 0; i < 5; i += 1) {
        sim.setStrangerStatus(`stranger-${i}`, 'open', { market: M });
        sim.setStrangerStatus(`stranger-${i}`, 'filled', { market: M });
      }
      sim.setStatus('mine-new', 'open', { market: M });
    });
    await w.until(() => w.orders('mine-new').length === 1, 'the listed order applied');
    await sleep(300);
    expect(passes(sim)).toBe(2); // the connect's pass and exactly one refresh
    // Two pages of four orders, then three of five: the refresh read on to page 3, where mine-new is.
    expect(reads(sim).map((r) => r.path.includes('cursor='))).toEqual([
      false,
      true,
      false,
      true,
      true,
    ]);
    expect(w.engine.store.get('s', 'mine-new')).toMatchObject({ providerStatus: 'open' });
    expect(new Set(w.orders().map((o) => o.orderId))).toEqual(
      new Set(['p1', 'p2', 'p3', 'p4', 'mine-new']),
    );
    expect(w.engine.store.size).toBe(5);
    expect(w.alerts()).toEqual([]);
  });
});
