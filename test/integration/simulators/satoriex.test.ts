// SatoriEx simulator conformance, driven by a raw `ws` client and fetch: the token in the query,
// market / marketdata / user channels, and the REST order list behind a bearer token.
import { afterEach, describe, expect, test } from 'vitest';
import { startSatoriexSimulator } from '../../../src-main/simulator/satoriex.js';
import { runCleanups, track, wsClient, upgradeStatus, getJson, byType } from './raw-clients.js';

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
