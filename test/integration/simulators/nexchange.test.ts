// n.exchange simulator conformance, driven by a raw `ws` client: subscribe by order reference, the
// current status on (re)subscribe, the exact shape of an order_status_update.
import { afterEach, describe, expect, test } from 'vitest';
import { startNexchangeSimulator } from '../../../src-main/simulator/nexchange.js';
import { runCleanups, track, wsClient } from './raw-clients.js';

afterEach(runCleanups);

describe('nexchange', () => {
  test('subscribe, current status on subscribe, updates only to subscribers, exact shape', async () => {
    const sim = track(await startNexchangeSimulator());
    expect(sim.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/orders\/$/);
    expect(sim.credentials).toEqual({});
    const a = await wsClient(sim.url);
    const b = await wsClient(sim.url);
    a.send({ subscribe: 'NX-1' });
    b.send({ subscribe: 'NX-2' });
    expect(await a.inbox.take()).toEqual({ subscribed: 'NX-1' });
    expect(await b.inbox.take()).toEqual({ subscribed: 'NX-2' });
    await a.inbox.none(); // unknown order: nothing after the confirmation

    sim.setStatus('NX-1', 13);
    const update = await a.inbox.take();
    expect(Object.keys(update).sort()).toEqual(
      [
        'unique_reference',
        'status',
        'status_name',
        'amount_base',
        'amount_quote',
        'deposit_currency',
        'withdraw_currency',
        'pair',
        'created_on',
        'modified_on',
        'message_type',
        'websocket_timestamp',
      ].sort(),
    );
    expect(update).toMatchObject({
      unique_reference: 'NX-1',
      status: 13,
      status_name: [[13, 'PAID']],
      message_type: 'order_status_update',
      pair: { name: expect.any(String), base: expect.any(String), quote: expect.any(String) },
    });
    await b.inbox.none();

    // A (re)subscribe is answered with the current status: n.exchange's only catch-up.
    sim.setStatus('NX-1', 16, { restOnly: true });
    await a.inbox.none();
    const c = await wsClient(sim.url);
    c.send({ subscribe: 'NX-1' });
    expect(await c.inbox.take()).toEqual({ subscribed: 'NX-1' });
    expect(await c.inbox.take()).toMatchObject({ status: 16, status_name: [[16, 'COMPLETED']] });
    expect(sim.connections()).toBe(3);
  });

  test('replay pushes without changing state; garbage is ignored and logged', async () => {
    const sim = track(await startNexchangeSimulator());
    const a = await wsClient(sim.url);
    a.send('not json {');
    a.send({ hello: 1 });
    a.send({ subscribe: 'NX-1' });
    await a.inbox.take((m) => m.subscribed === 'NX-1');
    sim.setStatus('NX-1', 16);
    await a.inbox.take((m) => m.status === 16);
    sim.replay('NX-1', 13);
    expect(await a.inbox.take()).toMatchObject({ status: 13, status_name: [[13, 'PAID']] });
    expect(sim.orders().get('NX-1')).toBe(16);
    expect(sim.received.map((f) => f.text)).toEqual([
      'not json {',
      '{"hello":1}',
      '{"subscribe":"NX-1"}',
    ]);
    expect(sim.received.every((f) => f.connection === 1)).toBe(true);
    sim.sendRaw('}{ garbage');
    expect(await a.inbox.take()).toEqual({ raw: '}{ garbage' });
  });
});
