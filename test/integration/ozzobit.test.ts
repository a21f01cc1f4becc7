// OZZOBiT: the real socket.io adapter against the OZZOBiT socket.io simulator (the provider's
// "WebSockets" page).
import { afterEach, describe, expect, it } from 'vitest';
import { OZZOBIT_DEFAULTS } from '../../src-main/engine/providers/ozzobit.js';
import { startOzzobitSimulator } from '../../src-main/simulator/ozzobit.js';
import type { Simulator } from '../../src-main/simulator/types.js';
import { TEST_TUNING, sleep, stateOf, watch } from './harness.js';
import { COMMON_GARBAGE, framesOf, providerSuite } from './provider-matrix.js';

// With its REST lookup: after every (re)connect the adapter looks its known open orders up there
// (the page promises no answer to a subscribe).
const source = (sim: Simulator, orders: string[], allOrders = true) => ({
  id: 's',
  provider: 'ozzobit',
  url: sim.url,
  restUrl: sim.restUrl,
  apiKey: sim.credentials.apiKey,
  env: 'STAGING',
  orders,
  allOrders,
});

providerSuite({
  provider: 'ozzobit',
  startSim: (o) => startOzzobitSimulator(o),
  source: (sim, orders) => source(sim, orders),
  lifecycles: [
    {
      orderId: 'OZ-A',
      steps: ['ORDER_CREATED', 'ORDER_PROCESSING', 'ORDER_COMPLETED'],
      final: 'completed',
    },
    {
      orderId: 'OZ-B',
      steps: ['ORDER_CREATED', 'ORDER_PROCESSING', 'ORDER_FAILED'],
      final: 'failed',
    },
    { orderId: 'OZ-C', steps: ['ORDER_CREATED', 'ORDER_CANCELLED'], final: 'canceled' },
  ],
  fresh: (n) => ({
    orderId: `OZ-F${n}`,
    steps: ['ORDER_CREATED', 'ORDER_COMPLETED'],
    final: 'completed',
  }),
  subscribed: (sim, n) => {
    const frames = framesOf(sim, n);
    return (
      frames.some((f) => f.startsWith('subscribe:partner')) &&
      frames.filter((f) => f.startsWith('subscribe:order')).length >= 7
    );
  },
  wrongCredentials: { apiKey: 'not-the-key' },
  catchUp: 'rest',
  wordFrames: (id, word) => [JSON.stringify({ event: word, orderId: id })],
  garbage: [
    ...COMMON_GARBAGE,
    '{"event":"ORDER_COMPLETED"}',
    '{"event":"ORDER_EXPLODED","orderId":"x"}',
  ],
  descriptor: {
    sample: { id: 'a', provider: 'ozzobit', url: 'wss://provider.example/ws', apiKey: 'k' },
    secrets: ['apiKey'],
    heartbeatMs: 30_000,
    catchUp: 'lookup',
    catchUpRequires: 'restUrl',
    connect: 'source',
    // The status model (docs/headless.md), row by row.
    statuses: [
      ['ORDER_CREATED', 'pending'],
      ['ORDER_PROCESSING', 'processing'],
      ['ORDER_COMPLETED', 'completed'],
      ['ORDER_FAILED', 'failed'],
      ['ORDER_CANCELLED', 'canceled'],
    ],
    authFailures: [[{ message: 'connect_error' }, 'connection refused']],
  },
  demo: {
    sourceId: 'oz',
    source: { allOrders: true },
    orders: 3,
    terminal: ['ORDER_COMPLETED', 'ORDER_FAILED', 'ORDER_CANCELLED'],
    orderId: /^OZ-[0-9a-f]{4}-\d+$/,
  },
});

describe('ozzobit specifics', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('connects to the namespace in the URL with auth {apiKey, env}; subscribe:order per order', async () => {
    const sim = await startOzzobitSimulator();
    cleanups.push(() => sim.close());
    expect(new URL(sim.url).pathname).toBe('/ws');
    const w = await watch([source(sim, ['O1'], false)]);
    cleanups.push(() => w.stop());
    await w.until(
      () => framesOf(sim, 1).some((f) => f.startsWith('subscribe:order')),
      'subscribe:order',
    );
    expect(framesOf(sim, 1)).toContain('subscribe:order [{"orderId":"O1"}]');
    expect(framesOf(sim, 1).some((f) => f.startsWith('subscribe:partner'))).toBe(false);
  });

  it('KYC_STATUS_CHANGED is activity, never an order or an alert', async () => {
    const sim = await startOzzobitSimulator();
    cleanups.push(() => sim.close());
    const w = await watch([source(sim, [])]);
    cleanups.push(() => w.stop());
    await w.until(() => stateOf(w, 's') === 'connected', 'connected');
    await w.until(
      () => framesOf(sim, 1).some((f) => f.startsWith('subscribe:partner')),
      'subscribed',
    );
    sim.emitActivity('KYC_STATUS_CHANGED', 'user-7');
    await w.until(() => w.events.some((e) => e.kind === 'activity'), 'activity');
    expect(w.events.find((e) => e.kind === 'activity')).toMatchObject({
      event: 'KYC_STATUS_CHANGED',
      entityId: 'user-7',
    });
    expect(w.orders()).toHaveLength(0);
  });

  it('measures the heartbeat round trip from its PONG', async () => {
    const sim = await startOzzobitSimulator();
    cleanups.push(() => sim.close());
    const w = await watch([source(sim, [])], { heartbeatMs: 50 });
    cleanups.push(() => w.stop());
    await w.until(() => w.engine.sourceStatus('s')?.rttMs !== undefined, 'rtt measured');
    expect(framesOf(sim, 1).some((f) => f.startsWith('ping'))).toBe(true);
  });

  it('after socket.io gives up (5 attempts) the source reads offline, not reconnecting forever', async () => {
    const sim = await startOzzobitSimulator();
    const w = await watch([source(sim, [])], {
      tuning: {
        ...TEST_TUNING,
        ozzobit: { reconnectionDelay: 20, reconnectionDelayMax: 40, handshakeTimeoutMs: 300 },
      },
    });
    cleanups.push(() => w.stop());
    await w.until(() => stateOf(w, 's') === 'connected', 'connected');
    await sim.close();
    await w.until(() => stateOf(w, 's') === 'offline', 'offline after 5 attempts', 8_000);
    await sleep(10);
  });
});

describe('ozzobit connection lifecycle', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const pings = (sim: Simulator, n: number) =>
    framesOf(sim, n).filter((f) => f.startsWith('ping')).length;
  /** Pings over connection n and every later one. */
  const pingsFrom = (sim: Simulator, n: number) => {
    let total = 0;
    for (let c = n; framesOf(sim, c).length > 0; c += 1) total += pings(sim, c);
    return total;
  };

  it('reconnect now: the old connection’s heartbeat ends with it (one ping per interval after)', async () => {
    const sim = await startOzzobitSimulator();
    cleanups.push(() => sim.close());
    // Long enough that a loaded machine rarely misses the 2-interval silence deadline; if it does,
    // the reconnect that follows starts a heartbeat of its own and ends the previous one, so the
    // count below covers every connection after the first.
    const INTERVAL = 200;
    const w = await watch([source(sim, [])], { heartbeatMs: INTERVAL });
    cleanups.push(() => w.stop());
    await w.until(() => pings(sim, 1) >= 2, 'first connection heartbeating');
    w.engine.reconnect('s');
    await w.until(() => pings(sim, 2) >= 1, 'second connection heartbeating');
    // The socket object outlives its connections: a heartbeat left running would ping over the
    // new connection too, twice as often (about 20 in 10 intervals instead of 10).
    const before = pingsFrom(sim, 2);
    await sleep(10 * INTERVAL);
    expect(pingsFrom(sim, 2) - before).toBeLessThanOrEqual(10 + 2);
  });

  it('stop: no heartbeat, no reconnect, no retry afterwards', async () => {
    const sim = await startOzzobitSimulator();
    cleanups.push(() => sim.close());
    const w = await watch([source(sim, [])], { heartbeatMs: 40 });
    await w.until(() => pings(sim, 1) >= 2, 'heartbeating');
    await w.stop();
    expect(stateOf(w, 's')).toBe('offline');
    const frames = sim.received.length;
    await sleep(250);
    expect(sim.received.length).toBe(frames);
    expect(sim.connections()).toBe(0);
  });

  // The jitter pinned at half the ceiling: delays of 250, 500, 1000, 2000 ms… with the production
  // backoff (500 ms × 2ⁿ, capped at 30 s).
  const PINNED = { ...TEST_TUNING, ozzobit: { ...TEST_TUNING.ozzobit, random: () => 0.5 } };

  it('a server that disconnects every socket meets the backoff, reads offline, and is left once it stops', async () => {
    const sim = await startOzzobitSimulator();
    cleanups.push(() => sim.close());
    const w = await watch([source(sim, ['O1'], false)], { tuning: PINNED });
    cleanups.push(() => w.stop());
    await w.until(() => stateOf(w, 's') === 'connected', 'connected');
    expect(OZZOBIT_DEFAULTS.retryBackoff).toEqual({ baseMs: 500, capMs: 30_000, factor: 2 });
    sim.kickOnConnect(true);
    w.engine.reconnect('s'); // the first kicked connection starts now
    await sleep(2_000);
    // Kicks at about 0, 0.25, 0.75 and 1.75 s; at once (the old way) it was hundreds.
    expect(sim.kicks).toBeGreaterThanOrEqual(3);
    expect(sim.kicks).toBeLessThanOrEqual(5);
    expect(w.states('s')).toContain('reconnecting');
    await w.until(() => w.states('s').includes('offline'), 'offline after four kicks', 3_000);
    const offline = w.events.find((e) => e.kind === 'connection' && e.state === 'offline');
    expect(offline?.kind === 'connection' && offline.detail).toBe(
      'the server keeps ending the connection',
    );
    sim.kickOnConnect(false);
    await w.until(() => stateOf(w, 's') === 'connected', 'back once kicking stops', 10_000);
    sim.setStatus('O1', 'ORDER_COMPLETED');
    await w.until(() => w.alerts().length === 1, 'alert after recovery');
  });

  it('a namespace handshake that is never answered fails at the deadline and is retried', async () => {
    const sim = await startOzzobitSimulator();
    cleanups.push(() => sim.close());
    sim.holdHandshake(true);
    const w = await watch([source(sim, ['O1'], false)], {
      tuning: { ...PINNED, ozzobit: { ...PINNED.ozzobit, handshakeTimeoutMs: 300 } },
    });
    cleanups.push(() => w.stop());
    await w.until(() => sim.held >= 1, 'handshake held');
    expect(stateOf(w, 's')).toBe('connecting');
    // 300 ms deadline, then 250 ms backoff: a second attempt well within a second.
    await w.until(() => sim.held >= 2, 'a second attempt after the deadline', 1_500);
    expect(w.states('s')).toContain('reconnecting');
    sim.holdHandshake(false);
    await w.until(() => stateOf(w, 's') === 'connected', 'connected once answered', 5_000);
    sim.setStatus('O1', 'ORDER_COMPLETED');
    await w.until(() => w.alerts().length === 1, 'alert');
  });
});
