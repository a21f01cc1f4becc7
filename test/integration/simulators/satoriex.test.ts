// SatoriEx simulator conformance, driven by a raw `ws` client and fetch: the token in the query,
// market / marketdata / user channels, the REST order list behind a bearer token (one page or
// several), strangers' orders on market channels, and partial fills announced as order_filled.
import { afterEach, describe, expect, test } from 'vitest';
import { startSatoriexSimulator } from '../../../src-main/simulator/satoriex.js';
import type { Simulator } from '../../../src-main/simulator/types.js';
import {
  runCleanups,
  track,
  wsClient,
  upgradeStatus,
  getJson,
  byType,
  type Json,
} from './raw-clients.js';

afterEach(runCleanups);

describe('satoriex', () => {
  test('token in the query, checked at the upgrade', async () => {
    const sim = track(await startSatoriexSimulator());
    const token = sim.credentials.token ?? '';
    expect(token.split('.')).toHaveLength(3);
    expect(sim.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    expect(await upgradeStatus(sim.url)).toBe(401);
    expect(await upgradeStatus(`${sim.url}?token=nope`)).toBe(401);
    expect(sim.stats.authFailures).toBe(2);
    await wsClient(`${sim.url}?token=${encodeURIComponent(token)}`);
    expect(sim.connections()).toBe(1);
  });

  test('market, marketdata and user channels', async () => {
    const sim = track(await startSatoriexSimulator());
    const url = `${sim.url}?token=${sim.credentials.token ?? ''}`;
    const trader = await wsClient(url);
    const other = await wsClient(url);
    trader.send({ type: 'subscribe', market_id: 'mkt_abc123' });
    expect(await trader.inbox.take()).toEqual({ type: 'subscribed', channel: 'market:mkt_abc123' });
    trader.send({ type: 'subscribe_marketdata', market_id: 'mkt_abc123' });
    expect(await trader.inbox.take()).toEqual({
      type: 'subscribed',
      channel: 'marketdata:mkt_abc123',
    });

    sim.setStatus('ord_1', 'open');
    expect(await trader.inbox.take()).toEqual({
      type: 'order',
      order_id: 'ord_1',
      market_id: 'mkt_abc123',
      status: 'open',
      side: expect.any(String),
      price: expect.any(String),
      size: expect.any(String),
      timestamp: expect.any(String),
    });
    sim.setStatus('ord_1', 'partially_filled');
    expect(await trader.inbox.take()).toMatchObject({ type: 'order', status: 'partially_filled' });
    expect(await trader.inbox.take()).toMatchObject({
      type: 'order_update',
      order_id: 'ord_1',
      market_id: 'mkt_abc123',
      status: 'partially_filled',
      size: expect.any(String),
    });
    sim.setStatus('ord_1', 'filled');
    expect(await trader.inbox.take()).toMatchObject({ type: 'order', status: 'filled' });
    expect(await trader.inbox.take()).toMatchObject({
      type: 'order_filled',
      order_id: 'ord_1',
      market_id: 'mkt_abc123',
    });
    // The user channel is automatic: the unsubscribed connection gets order_filled, not `order`.
    expect(await other.inbox.take()).toMatchObject({ type: 'order_filled', order_id: 'ord_1' });
    sim.setStatus('ord_2', 'open', { market: 'mkt_other' });
    await trader.inbox.none();

    sim.setStatus('wd_1', 'withdraw_requested');
    for (const c of [trader, other]) {
      expect(await c.inbox.take()).toEqual({
        type: 'withdraw_requested',
        withdrawal_id: 'wd_1',
        amount: expect.any(String),
        currency: 'USDC',
        timestamp: expect.any(String),
      });
    }
    sim.setStatus('dep_1', 'deposit_confirmed');
    expect(await other.inbox.take()).toMatchObject({
      type: 'deposit_confirmed',
      deposit_id: 'dep_1',
    });

    sim.emitActivity('price_update', 'mkt_abc123');
    expect(await trader.inbox.take(byType('price_update'))).toMatchObject({
      type: 'price_update',
      market_id: 'mkt_abc123',
      mid: expect.any(String),
      best_bid: expect.any(String),
      best_ask: expect.any(String),
    });
    sim.emitActivity('wallet_changed');
    expect(await other.inbox.take()).toMatchObject({ type: 'wallet_changed' });
    await other.inbox.none((m) => m.type === 'price_update');
  });

  test('REST /api/v1/me/orders: bearer auth, market orders only, restOnly changes', async () => {
    const sim = track(await startSatoriexSimulator());
    const token = sim.credentials.token ?? '';
    const rest = sim.restUrl ?? '';
    const c = await wsClient(`${sim.url}?token=${token}`);
    c.send({ type: 'subscribe', market_id: 'mkt_abc123' });
    await c.inbox.take(byType('subscribed'));
    sim.setStatus('ord_1', 'open');
    await c.inbox.take(byType('order'));
    sim.setStatus('wd_1', 'withdraw_requested');
    await c.inbox.take(byType('withdraw_requested'));
    sim.setStatus('ord_1', 'canceled', { restOnly: true });
    await c.inbox.none();

    expect((await getJson(`${rest}/api/v1/me/orders`)).status).toBe(401);
    expect((await getJson(`${rest}/api/v1/me/orders`, { authorization: token })).status).toBe(401);
    const { status, body } = await getJson(`${rest}/api/v1/me/orders`, {
      authorization: `Bearer ${token}`,
    });
    expect(status).toBe(200);
    expect(body.orders).toEqual([
      {
        order_id: 'ord_1',
        market_id: 'mkt_abc123',
        status: 'canceled',
        side: expect.any(String),
        price: expect.any(String),
        size: expect.any(String),
        updated_at: expect.any(String),
      },
    ]);
    expect(sim.stats.restCalls).toBe(3);
    c.send('garbage');
    expect(await c.inbox.take()).toMatchObject({ type: 'error' });
  });
});

describe('satoriex /me/orders paging', () => {
  async function readAll(sim: Simulator): Promise<{ bodies: Json[]; ids: string[] }> {
    const auth = { authorization: `Bearer ${sim.credentials.token ?? ''}` };
    const bodies: Json[] = [];
    let cursor: unknown;
    do {
      const query = typeof cursor === 'string' ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const { status, body } = await getJson(`${sim.restUrl ?? ''}/api/v1/me/orders${query}`, auth);
      expect(status).toBe(200);
      bodies.push(body);
      cursor = body.next_cursor;
    } while (typeof cursor === 'string' && bodies.length < 20);
    return {
      bodies,
      ids: bodies.flatMap((b) => (b.orders as Json[]).map((o) => o.order_id as string)),
    };
  }

  test.each([
    { pageSize: undefined, pages: 1, cursor: false },
    { pageSize: 2, pages: 3, cursor: true },
    { pageSize: 5, pages: 1, cursor: true },
  ])('satoriexPageSize $pageSize: $pages page(s)', async ({ pageSize, pages, cursor }) => {
    const sim = track(
      await startSatoriexSimulator(pageSize === undefined ? {} : { satoriexPageSize: pageSize }),
    );
    for (let i = 1; i <= 5; i++) sim.setStatus(`ord_${i}`, 'open', { restOnly: true });
    const { bodies, ids } = await readAll(sim);
    expect(bodies).toHaveLength(pages);
    expect(ids).toEqual(['ord_1', 'ord_2', 'ord_3', 'ord_4', 'ord_5']);
    // One page is exactly today's shape; pages carry next_cursor, null on the last.
    if (!cursor) expect(Object.keys(bodies[0] ?? {})).toEqual(['orders']);
    else expect(bodies.at(-1)?.next_cursor).toBeNull();
  });

  test('a status change between two page reads neither repeats nor drops an order; a bad cursor is 400', async () => {
    const sim = track(await startSatoriexSimulator({ satoriexPageSize: 2 }));
    const auth = { authorization: `Bearer ${sim.credentials.token ?? ''}` };
    const rest = `${sim.restUrl ?? ''}/api/v1/me/orders`;
    for (let i = 1; i <= 4; i++) sim.setStatus(`ord_${i}`, 'open', { restOnly: true });
    const first = (await getJson(rest, auth)).body;
    sim.setStatus('ord_1', 'filled', { restOnly: true });
    sim.setStatus('ord_5', 'open', { restOnly: true });
    const second = (
      await getJson(`${rest}?cursor=${encodeURIComponent(String(first.next_cursor))}`, auth)
    ).body;
    const ids = [first, second].flatMap((b) => (b.orders as Json[]).map((o) => o.order_id));
    expect(ids).toEqual(['ord_1', 'ord_2', 'ord_3', 'ord_4']);
    expect(typeof second.next_cursor).toBe('string');
    expect((await getJson(`${rest}?cursor=nope`, auth)).status).toBe(400);
  });
});

describe('satoriex strangers and partial fills', () => {
  test("a stranger's order reaches the market channel only: not the user channel, not /me/orders, not orders()", async () => {
    const sim = track(await startSatoriexSimulator());
    const token = sim.credentials.token ?? '';
    const trader = await wsClient(`${sim.url}?token=${token}`);
    const userOnly = await wsClient(`${sim.url}?token=${token}`);
    trader.send({ type: 'subscribe', market_id: 'mkt_abc123' });
    await trader.inbox.take(byType('subscribed'));

    sim.setStrangerStatus('ord_x', 'open');
    expect(await trader.inbox.take()).toMatchObject({
      type: 'order',
      order_id: 'ord_x',
      market_id: 'mkt_abc123',
      status: 'open',
    });
    sim.setStrangerStatus('ord_x', 'partially_filled');
    expect(await trader.inbox.take()).toMatchObject({ type: 'order', status: 'partially_filled' });
    expect(await trader.inbox.take()).toMatchObject({ type: 'order_update', order_id: 'ord_x' });
    sim.setStrangerStatus('ord_x', 'filled');
    expect(await trader.inbox.take()).toMatchObject({ type: 'order', status: 'filled' });
    await trader.inbox.none((m) => m.type === 'order_filled');
    sim.setStrangerStatus('ord_y', 'filled', { market: 'mkt_other' });
    await trader.inbox.none();
    await userOnly.inbox.none();

    expect(sim.orders().has('ord_x')).toBe(false);
    const { body } = await getJson(`${sim.restUrl ?? ''}/api/v1/me/orders`, {
      authorization: `Bearer ${token}`,
    });
    expect(body.orders).toEqual([]);
    // The user's own fill still comes on both channels.
    sim.setStatus('ord_1', 'filled');
    expect(await trader.inbox.take(byType('order_filled'))).toMatchObject({ order_id: 'ord_1' });
    expect(await userOnly.inbox.take()).toMatchObject({ type: 'order_filled', order_id: 'ord_1' });
  });

  test.each([{ on: false }, { on: true }])(
    'announcePartialFills $on: order_filled for a partial fill, with sizes',
    async ({ on }) => {
      const sim = track(await startSatoriexSimulator());
      sim.announcePartialFills(on);
      const user = await wsClient(`${sim.url}?token=${sim.credentials.token ?? ''}`);
      sim.setStatus('ord_1', 'open');
      sim.setStatus('ord_1', 'partially_filled');
      if (on) {
        const partial = await user.inbox.take();
        expect(partial).toEqual({
          type: 'order_filled',
          order_id: 'ord_1',
          market_id: 'mkt_abc123',
          filled_size: expect.any(String),
          size: expect.any(String),
          timestamp: expect.any(String),
        });
        expect(Number(partial.filled_size)).toBeLessThan(Number(partial.size));
      } else {
        await user.inbox.none();
      }
      sim.setStatus('ord_1', 'filled');
      const full = await user.inbox.take();
      expect(full).toMatchObject({ type: 'order_filled', order_id: 'ord_1' });
      if (on) expect(full.filled_size).toBe(full.size);
      else expect(Object.keys(full).sort()).toEqual(['market_id', 'order_id', 'timestamp', 'type']);
    },
  );
});
