// Houdini Swap simulator conformance, driven by a raw `ws` client and fetch: the Authorization
// header at the upgrade, the subscription rules (including the unsubscribe quirk), ping and error
// frames, the paged REST API and its 48-hour window.
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { startHoudiniSimulator } from '../../../src-main/simulator/houdini.js';
import { STRICT_BY_DEFAULT } from '../../../src-main/simulator/strict.js';
import {
  runCleanups,
  track,
  wsClient,
  upgradeStatus,
  closesWithin,
  getJson,
  byType,
  type Json,
} from './raw-clients.js';

afterEach(runCleanups);

describe('houdini', () => {
  const creds = { partnerId: 'p-1', secret: 's3cret' };
  const header = { authorization: 'p-1:s3cret' };

  test('auth: 401 missing, 400 malformed at the upgrade; 4401 after AUTH_FAILED for wrong creds', async () => {
    const sim = track(await startHoudiniSimulator({ credentials: creds }));
    expect(await upgradeStatus(sim.url)).toBe(401);
    for (const bad of ['nocolon', 'a:b:c', ':s', 'p:']) {
      expect(await upgradeStatus(sim.url, { authorization: bad })).toBe(400);
    }
    const wrong = await wsClient(sim.url, { authorization: 'p-1:nope' });
    expect(await wrong.inbox.take()).toEqual({
      type: 'error',
      code: 'AUTH_FAILED',
      message: 'Invalid credentials',
    });
    expect((await closesWithin(wrong)).code).toBe(4401);
    expect(sim.stats.authFailures).toBe(1);

    const ok = await wsClient(sim.url, header);
    expect(await ok.inbox.take()).toEqual({ type: 'welcome', partnerId: 'p-1' });
    expect(sim.connections()).toBe(1);
  });

  test('subscriptions: all, additive ids, the unsubscribe quirk; updates only on change', async () => {
    const sim = track(await startHoudiniSimulator({ credentials: creds }));
    sim.setStatus('H1', 0);
    const c = await wsClient(sim.url, header);
    await c.inbox.take(byType('welcome'));

    c.send({ type: 'subscribe' });
    expect(await c.inbox.take()).toEqual({ type: 'subscribed', all: true });
    await c.inbox.none(); // no order_update on subscribe
    sim.setStatus('H1', 1);
    const update = await c.inbox.take();
    expect(update.type).toBe('order_update');
    expect(Object.keys(update.data as Json).sort()).toEqual(
      [
        'houdiniId',
        'created',
        'expires',
        'status',
        'inAmount',
        'inSymbol',
        'outAmount',
        'outSymbol',
        'senderAddress',
        'receiverAddress',
        'anonymous',
      ].sort(),
    );
    expect(update.data).toMatchObject({ houdiniId: 'H1', status: 1 });

    // Unsubscribing specific ids while in all-orders mode resets the subscription to none.
    c.send({ type: 'unsubscribe', houdiniIds: ['H9'] });
    expect(await c.inbox.take()).toEqual({ type: 'unsubscribed', houdiniIds: ['H9'] });
    sim.setStatus('H1', 2);
    await c.inbox.none();

    c.send({ type: 'subscribe', houdiniIds: ['H1'] });
    expect(await c.inbox.take()).toEqual({ type: 'subscribed', houdiniIds: ['H1'] });
    c.send({ type: 'subscribe', houdiniIds: ['H2'] });
    expect(await c.inbox.take()).toEqual({ type: 'subscribed', houdiniIds: ['H1', 'H2'] });
    sim.setStatus('H3', -1);
    await c.inbox.none();
    sim.setStatus('H2', 4);
    expect(await c.inbox.take()).toMatchObject({
      type: 'order_update',
      data: { houdiniId: 'H2', status: 4 },
    });
    c.send({ type: 'unsubscribe', houdiniIds: ['H2'] });
    expect(await c.inbox.take()).toEqual({ type: 'unsubscribed', houdiniIds: ['H2'] });
    sim.setStatus('H2', 8);
    await c.inbox.none();
    c.send({ type: 'unsubscribe' });
    expect(await c.inbox.take()).toEqual({ type: 'unsubscribed', all: true });
    sim.setStatus('H1', 4);
    await c.inbox.none();

    sim.replay('H1', 2);
    c.send({ type: 'subscribe' });
    await c.inbox.take(byType('subscribed'));
    sim.replay('H1', 2);
    expect(await c.inbox.take()).toMatchObject({ data: { houdiniId: 'H1', status: 2 } });
    expect(sim.orders().get('H1')).toBe(4);

    // Subscriptions do not survive a reconnect.
    sim.drop();
    await closesWithin(c);
    const again = await wsClient(sim.url, header);
    await again.inbox.take(byType('welcome'));
    sim.setStatus('H1', 7);
    await again.inbox.none();
  });

  test('ping, invalid and unknown messages', async () => {
    const sim = track(await startHoudiniSimulator({ credentials: creds }));
    const c = await wsClient(sim.url, header);
    await c.inbox.take(byType('welcome'));
    c.send({ type: 'ping' });
    expect(await c.inbox.take()).toEqual({ type: 'pong' });
    for (const bad of ['{oops', '{"no":"type"}', '[1,2]']) {
      c.send(bad);
      expect(await c.inbox.take()).toMatchObject({ type: 'error', code: 'INVALID_MESSAGE' });
    }
    c.send({ type: 'dance' });
    expect(await c.inbox.take()).toMatchObject({ type: 'error', code: 'UNKNOWN_MESSAGE_TYPE' });
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  test('REST: paged list and single order behind the same Authorization header', async () => {
    const sim = track(await startHoudiniSimulator({ credentials: creds }));
    const rest = sim.restUrl ?? '';
    expect(rest).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (let i = 1; i <= 5; i++) sim.setStatus(`H${i}`, i - 2);
    sim.setStatus('H1', 4, { restOnly: true });

    expect((await getJson(`${rest}/v2/orders`)).status).toBe(401);
    expect((await getJson(`${rest}/v2/orders`, { authorization: 'p-1:nope' })).status).toBe(401);
    const page1 = await getJson(`${rest}/v2/orders?page=1&pageSize=2`, header);
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ total: 5, totalPages: 3 });
    const seen: Json[] = [];
    for (let page = 1; page <= 3; page++) {
      const { body } = await getJson(`${rest}/v2/orders?page=${page}&pageSize=2`, header);
      seen.push(...(body.orders as Json[]));
    }
    expect(seen.map((o) => o.houdiniId).sort()).toEqual(['H1', 'H2', 'H3', 'H4', 'H5']);
    expect(seen.find((o) => o.houdiniId === 'H1')?.status).toBe(4);

    const one = await getJson(`${rest}/v2/orders/H1`, header);
    expect(one).toMatchObject({ status: 200, body: { houdiniId: 'H1', status: 4 } });
    expect(await getJson(`${rest}/v2/orders/nope`, header)).toEqual({
      status: 404,
      body: { error: 'not found' },
    });
    expect(sim.stats.restCalls).toBe(8);
  });
});

describe('houdini REST paging and the 48-hour window', () => {
  const creds = { partnerId: 'p-1', secret: 's3cret' };
  const header = { authorization: 'p-1:s3cret' };
  const HOUR = 60 * 60 * 1000;

  async function pages(rest: string, pageSize: number): Promise<{ pages: Json[]; ids: string[] }> {
    const first = (await getJson(`${rest}/v2/orders?page=1&pageSize=${pageSize}`, header)).body;
    const all = [first];
    for (let page = 2; page <= (first.totalPages as number); page++)
      all.push((await getJson(`${rest}/v2/orders?page=${page}&pageSize=${pageSize}`, header)).body);
    return {
      pages: all,
      ids: all.flatMap((p) => (p.orders as Json[]).map((o) => o.houdiniId as string)),
    };
  }

  test.each([
    { max: undefined, asked: 100, perPage: 7, totalPages: 1 },
    { max: 3, asked: 100, perPage: 3, totalPages: 3 },
    { max: 3, asked: 2, perPage: 2, totalPages: 4 },
  ])('houdiniMaxPageSize $max, pageSize $asked: $totalPages pages', async (row) => {
    const sim = track(
      await startHoudiniSimulator({
        credentials: creds,
        ...(row.max !== undefined && { houdiniMaxPageSize: row.max }),
      }),
    );
    for (let i = 1; i <= 7; i++) sim.setStatus(`H${i}`, 0);
    const { pages: got, ids } = await pages(sim.restUrl ?? '', row.asked);
    expect(got[0]).toMatchObject({ total: 7, totalPages: row.totalPages });
    expect((got[0]?.orders as Json[]).length).toBe(row.perPage);
    expect(ids.sort()).toEqual(['H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H7']);
    // Past the last page: an empty page, not an error.
    const past = await getJson(
      `${sim.restUrl ?? ''}/v2/orders?page=${row.totalPages + 1}&pageSize=${row.asked}`,
      header,
    );
    expect(past.body).toMatchObject({ total: 7, orders: [] });
  });

  test('bad page parameters are 400; other methods 405', async () => {
    const sim = track(await startHoudiniSimulator({ credentials: creds }));
    for (const q of ['page=0', 'page=x', 'pageSize=0', 'pageSize=1.5'])
      expect((await getJson(`${sim.restUrl ?? ''}/v2/orders?${q}`, header)).status).toBe(400);
    const post = await fetch(`${sim.restUrl ?? ''}/v2/orders`, { method: 'POST', headers: header });
    expect(post.status).toBe(405);
  });

  test.each([
    { forget: false, strict: undefined, gone: false },
    { forget: true, strict: undefined, gone: true },
    { forget: undefined, strict: true, gone: true },
    { forget: undefined, strict: false, gone: false },
    { forget: undefined, strict: undefined, gone: STRICT_BY_DEFAULT },
  ])(
    'houdiniForgetAfter48h $forget (strict $strict): an order aged past 48 h is gone from REST: $gone',
    async ({ forget, strict, gone }) => {
      const sim = track(
        await startHoudiniSimulator({
          credentials: creds,
          ...(forget !== undefined && { houdiniForgetAfter48h: forget }),
          ...(strict !== undefined && { strict }),
        }),
      );
      const rest = sim.restUrl ?? '';
      sim.setStatus('OLD', 4);
      sim.setStatus('NEW', 1);
      const created = Date.parse(
        (await getJson(`${rest}/v2/orders/OLD`, header)).body.created as string,
      );
      sim.age('OLD', 48 * HOUR + 60_000);
      sim.age('NEW', 47 * HOUR);
      const old = await getJson(`${rest}/v2/orders/OLD`, header);
      expect(old.status).toBe(gone ? 404 : 200);
      if (!gone) expect(Date.parse(old.body.created as string)).toBe(created - 48 * HOUR - 60_000);
      expect((await getJson(`${rest}/v2/orders/NEW`, header)).status).toBe(200);
      const { ids } = await pages(rest, 100);
      expect(ids.sort()).toEqual(gone ? ['NEW'] : ['NEW', 'OLD']);
      // The order still exists for the simulator (and the stream), only REST no longer shows it.
      expect(sim.orders().get('OLD')).toBe(4);
    },
  );

  test('forgetAfter48h at run time; an order can read 8 DELETED before it goes', async () => {
    // Starts remembering (not the strict default) so that switching at run time is what is seen.
    const sim = track(
      await startHoudiniSimulator({ credentials: creds, houdiniForgetAfter48h: false }),
    );
    const rest = sim.restUrl ?? '';
    sim.setStatus('H1', 4);
    sim.setStatus('H1', 8, { restOnly: true });
    expect((await getJson(`${rest}/v2/orders/H1`, header)).body).toMatchObject({ status: 8 });
    sim.age('H1', 49 * HOUR);
    expect((await getJson(`${rest}/v2/orders/H1`, header)).status).toBe(200);
    sim.forgetAfter48h(true);
    expect((await getJson(`${rest}/v2/orders/H1`, header)).status).toBe(404);
    sim.forgetAfter48h(false);
    expect((await getJson(`${rest}/v2/orders/H1`, header)).status).toBe(200);
    expect(() => sim.age('nope', 1)).toThrow(/no order nope/);
  });
});
