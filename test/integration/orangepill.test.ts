// Orangepill: the real adapter against the Orangepill simulator (the provider's "WebSocket
// Subscriptions" page), both notification shapes.
import { afterEach, describe, expect, it } from 'vitest';
import {
  ORANGEPILL_RATE_LIMIT_ERROR,
  startOrangepillSimulator,
  type OrangepillSim,
} from '../../src-main/simulator/orangepill.js';
import type { Simulator, SimulatorOptions } from '../../src-main/simulator/types.js';
import { sleep, stateOf, watch } from './harness.js';
import { COMMON_GARBAGE, framesOf, providerSuite } from './provider-matrix.js';

const source = (sim: Simulator) => ({
  id: 's',
  provider: 'orangepill',
  url: sim.url,
  realmKey: sim.credentials.realmKey,
});

providerSuite({
  provider: 'orangepill',
  startSim: (o) => startOrangepillSimulator(o),
  source,
  lifecycles: [
    {
      orderId: 'dep-A',
      steps: [
        'deposit.pending',
        'deposit.received',
        'deposit.processing',
        'deposit.gas',
        'deposit.processed',
      ],
      final: 'completed',
    },
    { orderId: 'tx-B', steps: ['transaction.processing', 'transaction.failed'], final: 'failed' },
    { orderId: 'wd-C', steps: ['withdrawal.creating', 'withdrawal.processed'], final: 'completed' },
    {
      orderId: 'ap-D',
      steps: ['apps.payment.pending', 'apps.payment.processing', 'apps.payment.done'],
      final: 'completed',
    },
    { orderId: 'fw-E', steps: ['apps.forward.failed'], final: 'failed' },
  ],
  fresh: (n) => ({
    orderId: `tx-F${n}`,
    steps: ['transaction.processing', 'transaction.done'],
    final: 'completed',
  }),
  subscribed: (sim, n) =>
    framesOf(sim, n).some((f) => f.includes('"subscribe"')) && sim.connections() > 0,
  wrongCredentials: { realmKey: 'not-a-realm' },
  catchUp: 'none',
  wordFrames: (id, word) => [
    JSON.stringify({ type: 'notification', event: word, data: id }),
    JSON.stringify({ type: 'notification', data: { event: word, data: id } }),
    JSON.stringify({ type: word, realm: id }),
  ],
  garbage: [
    ...COMMON_GARBAGE,
    '{"type":"notification"}',
    '{"type":"notification","event":"transaction.exploded","data":"x"}',
    '{"type":"notification","data":{"event":"deposit.processed"}}',
  ],
  descriptor: {
    sample: { id: 'a', provider: 'orangepill', url: 'wss://provider.example/ws', realmKey: 'r' },
    secrets: ['realmKey'],
    heartbeatMs: 10_000,
    catchUp: 'none',
    connect: 'ws',
    // The status model (docs/headless.md), row by row.
    statuses: [
      ['deposit.pending', 'pending'],
      ['withdrawal.creating', 'pending'],
      ['apps.payment.pending', 'pending'],
      ['transaction.processing', 'processing'],
      ['deposit.received', 'processing'],
      ['deposit.gas', 'processing'],
      ['transaction.done', 'completed'],
      ['transaction.processed', 'completed'],
      ['deposit.processed', 'completed'],
      ['withdrawal.processed', 'completed'],
      ['apps.forward.done', 'completed'],
      ['apps.payment.done', 'completed'],
      ['apps.deposit.done', 'completed'],
      ['transaction.failed', 'failed'],
      ['deposit.failed', 'failed'],
      ['withdrawal.failed', 'failed'],
      ['apps.forward.failed', 'failed'],
    ],
    authFailures: [
      [{ message: 'error' }, 'realm key rejected'],
      [{ message: 'info' }, undefined],
    ],
  },
  demo: {
    sourceId: 'op',
    source: { realmKey: expect.any(String) },
    orders: 4,
    terminal: ['deposit.processed', 'transaction.done', 'withdrawal.failed', 'apps.payment.done'],
    orderId: /^OP-[0-9a-f]{4}-\d+$/,
  },
});

describe('orangepill specifics', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setUp(options: SimulatorOptions = {}, heartbeatMs?: number) {
    const sim = await startOrangepillSimulator(options);
    cleanups.push(() => sim.close());
    const w = await watch([source(sim)], heartbeatMs ? { heartbeatMs } : {});
    cleanups.push(() => w.stop());
    await w.until(() => stateOf(w, 's') === 'connected' && sim.connections() === 1, 'subscribed');
    return { sim, w };
  }

  it.each(['flat', 'nested'] as const)('reads the %s notification shape', async (shape) => {
    const { sim, w } = await setUp({ orangepillShape: shape });
    sim.setStatus('tx-1', 'transaction.done');
    await w.until(() => w.alerts().length === 1, 'alert');
    expect(w.alerts()[0]).toMatchObject({ orderId: 'tx-1', status: 'completed' });
    expect(w.orders('tx-1')[0]?.providerStatus).toBe('transaction.done');
  });

  it('subscribes with the realm key, then keeps alive with a text PING', async () => {
    const { sim } = await setUp({}, 50);
    expect(JSON.parse(framesOf(sim, 1)[0] ?? '')).toEqual({
      type: 'subscribe',
      realm: sim.credentials.realmKey,
    });
    const deadline = Date.now() + 2_000;
    while (!framesOf(sim, 1).includes('PING') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(framesOf(sim, 1)).toContain('PING');
  });

  it('user, identity, account and currency events are activity, never orders', async () => {
    const { sim, w } = await setUp();
    for (const e of [
      'user.created',
      'identity.updated',
      'account.incoming',
      'currency.issued',
      'alias.deleted',
    ]) {
      sim.emitActivity(e, `id-${e}`);
    }
    await w.until(
      () => w.events.filter((e) => e.kind === 'activity').length === 5,
      'five activities',
    );
    expect(w.orders()).toHaveLength(0);
    expect(w.alerts()).toHaveLength(0);
    expect(w.events.find((e) => e.kind === 'activity')).toMatchObject({
      event: 'user.created',
      entityId: 'id-user.created',
    });
  });

  it('an error after the realm was accepted (a rate limit) is no auth failure: the stream goes on', async () => {
    const { sim, w } = await setUp();
    const op = sim as OrangepillSim;
    op.errorAfterAccept(ORANGEPILL_RATE_LIMIT_ERROR);
    w.engine.reconnect('s'); // the next accepted subscribe is followed by the error
    await w.until(() => sim.connections() === 1 && framesOf(sim, 2).length > 0, 'resubscribed');
    op.sendError(); // and one more on the live subscription
    await sleep(150);
    sim.setStatus('tx-9', 'transaction.done');
    await w.until(() => w.alerts().length === 1, 'alert after the errors');
    expect(w.states('s')).not.toContain('auth_failed');
    expect(stateOf(w, 's')).toBe('connected');
    expect(sim.stats.accepted).toBe(2); // no reconnect besides the one asked for
  });

  it('an error before the realm was accepted is still bad credentials', async () => {
    const sim = await startOrangepillSimulator();
    cleanups.push(() => sim.close());
    const w = await watch([{ ...source(sim), realmKey: 'not-the-realm' }]);
    cleanups.push(() => w.stop());
    await w.until(() => stateOf(w, 's') === 'auth_failed', 'auth_failed');
  });
});
