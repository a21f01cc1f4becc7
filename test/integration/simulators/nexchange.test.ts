// n.exchange simulator conformance, driven by a raw `ws` client and fetch: subscribe by order
// reference, the current status on (re)subscribe only when not strict, the exact shape of an
// order_status_update, the REST lookup and its status forms, and the Origin check.
import { afterEach, describe, expect, test } from 'vitest';
import { startNexchangeSimulator } from '../../../src-main/simulator/nexchange.js';
import { STRICT_BY_DEFAULT, strictOf } from '../../../src-main/simulator/strict.js';
import { getJson, runCleanups, track, upgradeStatus, wsClient } from './raw-clients.js';

afterEach(runCleanups);

describe('nexchange', () => {
  test('subscribe, current status on subscribe (non-strict courtesy), updates only to subscribers, exact shape', async () => {
    // About the courtesy the page never promises, so it asks for it (strict.ts).
    const sim = track(await startNexchangeSimulator({ strict: false }));
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

    // Not strict: a (re)subscribe is answered with the current status (the real server need not).
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

describe('nexchange strict mode', () => {
  test.each([
    { strict: false, replays: true },
    { strict: true, replays: false },
  ])(
    'strict: $strict — a subscribe is answered with the current status: $replays',
    async ({ strict, replays }) => {
      const sim = track(await startNexchangeSimulator({ strict }));
      expect(sim.strict).toBe(strict);
      sim.setStatus('NX-1', 16);
      const c = await wsClient(sim.url);
      c.send({ subscribe: 'NX-1' });
      expect(await c.inbox.take()).toEqual({ subscribed: 'NX-1' });
      if (replays)
        expect(await c.inbox.take()).toMatchObject({ unique_reference: 'NX-1', status: 16 });
      else await c.inbox.none();
      // Live updates reach subscribers either way.
      sim.setStatus('NX-1', 8);
      expect(await c.inbox.take()).toMatchObject({ status: 8, status_name: [[8, 'REFUNDED']] });
    },
  );

  test('the default is STRICT_BY_DEFAULT', async () => {
    const sim = track(await startNexchangeSimulator());
    expect(sim.strict).toBe(STRICT_BY_DEFAULT);
    expect(strictOf({})).toBe(STRICT_BY_DEFAULT);
    expect(strictOf({ strict: !STRICT_BY_DEFAULT })).toBe(!STRICT_BY_DEFAULT);
  });
});

describe('nexchange REST lookup', () => {
  const ORDER_FIELDS = [
    'unique_reference',
    'amount_base',
    'amount_quote',
    'deposit_currency',
    'withdraw_currency',
    'pair',
    'created_on',
    'modified_on',
  ];

  test.each<{ form?: 'both' | 'code' | 'name'; fields: string[] }>([
    { form: undefined, fields: ['status', 'status_name'] },
    { form: 'both', fields: ['status', 'status_name'] },
    { form: 'code', fields: ['status'] },
    { form: 'name', fields: ['status_name'] },
  ])('status form $form: $fields', async ({ form, fields }) => {
    const sim = track(
      await startNexchangeSimulator(form === undefined ? {} : { nexchangeRestStatus: form }),
    );
    const rest = sim.restUrl ?? '';
    expect(rest).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(rest).port).toBe(new URL(sim.url).port);
    sim.setStatus('NX-1', 13);
    sim.setStatus('NX-1', 16, { restOnly: true });
    const { status, body } = await getJson(`${rest}/en/api/v1/orders/NX-1/`);
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual([...ORDER_FIELDS, ...fields].sort());
    expect(body.unique_reference).toBe('NX-1');
    if (fields.includes('status')) expect(body.status).toBe(16);
    if (fields.includes('status_name')) expect(body.status_name).toEqual([[16, 'COMPLETED']]);
  });

  test('no auth; 404 for an unknown ref or a path without the slash; 405 for other methods; counted', async () => {
    const sim = track(await startNexchangeSimulator());
    const rest = sim.restUrl ?? '';
    sim.setStatus('NX 1/x', 11);
    expect(
      (await getJson(`${rest}/en/api/v1/orders/${encodeURIComponent('NX 1/x')}/`)).body,
    ).toMatchObject({ unique_reference: 'NX 1/x', status: 11 });
    expect(await getJson(`${rest}/en/api/v1/orders/NOPE/`)).toEqual({
      status: 404,
      body: { detail: 'Not found.' },
    });
    expect((await getJson(`${rest}/en/api/v1/orders/NOPE`)).status).toBe(404); // not an endpoint
    const post = await fetch(`${rest}/en/api/v1/orders/NX-1/`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(sim.stats.restCalls).toBe(3);
    expect(sim.stats.restByEndpoint).toEqual({ '/en/api/v1/orders/{ref}/': 3 });
    expect(sim.restRequests.map((r) => [r.method, r.path])).toEqual([
      ['GET', '/en/api/v1/orders/NX%201%2Fx/'],
      ['GET', '/en/api/v1/orders/NOPE/'],
      ['POST', '/en/api/v1/orders/NX-1/'],
    ]);
  });
});

describe('nexchange Origin check', () => {
  test.each([
    { required: false, without: 'accepted' },
    { required: true, without: 403 },
  ] as const)(
    'requireOrigin $required: an upgrade without Origin is $without',
    async ({ required, without }) => {
      const sim = track(await startNexchangeSimulator({ nexchangeRequireOrigin: required }));
      if (without === 403) expect(await upgradeStatus(sim.url)).toBe(403);
      else await wsClient(sim.url);
      // With an Origin the upgrade is always accepted.
      await wsClient(sim.url, { origin: 'https://api.n.exchange' });
      expect(sim.origins).toEqual([undefined, 'https://api.n.exchange']);
    },
  );

  test('settable at run time', async () => {
    const sim = track(await startNexchangeSimulator());
    await wsClient(sim.url);
    sim.requireOrigin(true);
    expect(await upgradeStatus(sim.url)).toBe(403);
    sim.requireOrigin(false);
    await wsClient(sim.url);
  });
});
