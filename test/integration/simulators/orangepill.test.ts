// Orangepill simulator conformance, driven by a raw `ws` client: the realm key in subscribe, text
// PING, notifications in their flat and nested shapes, and error frames after the realm was accepted.
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import {
  ORANGEPILL_RATE_LIMIT_ERROR,
  startOrangepillSimulator,
} from '../../../src-main/simulator/orangepill.js';
import type { Simulator } from '../../../src-main/simulator/types.js';
import { WAIT_MS, runCleanups, track, sleep, wsClient, byType } from './raw-clients.js';

afterEach(runCleanups);

describe('orangepill', () => {
  test('realm key in subscribe: info + error for a bad key (socket stays open), info + subscribe for a good one', async () => {
    const sim = track(await startOrangepillSimulator({ credentials: { realmKey: 'realm-1' } }));
    const c = await wsClient(sim.url);
    c.send({ type: 'subscribe', realm: 'wrong' });
    expect(await c.inbox.take()).toEqual({
      type: 'info',
      realm: 'NONE',
      timestamp: expect.any(Number),
    });
    expect(await c.inbox.take()).toEqual({
      type: 'error',
      realm: 'Invalid Realm Key.',
      timestamp: expect.any(Number),
    });
    expect(sim.stats.authFailures).toBe(1);
    expect(sim.connections()).toBe(0);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);

    c.send({ type: 'subscribe', realm: 'realm-1' });
    expect(await c.inbox.take()).toEqual({
      type: 'info',
      realm: 'realm-1',
      timestamp: expect.any(Number),
    });
    expect(await c.inbox.take()).toEqual({
      type: 'subscribe',
      realm: 'realm-1',
      timestamp: expect.any(Number),
    });
    expect(sim.connections()).toBe(1);

    // Text PING: no application answer. A ws-level ping still gets its pong.
    c.send('PING');
    await c.inbox.none();
    const pong = new Promise<void>((resolve) => c.ws.once('pong', () => resolve()));
    c.ws.ping();
    await Promise.race([pong, sleep(WAIT_MS).then(() => Promise.reject(new Error('no pong')))]);
    expect(sim.received.map((f) => f.text)).toContain('PING');

    c.send({ type: 'unsubscribe', realm: 'realm-1' });
    expect(await c.inbox.take()).toMatchObject({ type: 'info', realm: 'realm-1' });
    expect(await c.inbox.take()).toMatchObject({ type: 'unsubscribe', realm: 'realm-1' });
    sim.setStatus('E1', 'transaction.done');
    await c.inbox.none();
  });

  test('notifications alternate flat and nested shapes; only subscribers get them', async () => {
    const sim = track(await startOrangepillSimulator());
    const c = await wsClient(sim.url);
    const idle = await wsClient(sim.url);
    c.send({ type: 'subscribe', realm: sim.credentials.realmKey });
    await c.inbox.take(byType('subscribe'));

    sim.setStatus('E1', 'deposit.processed');
    const flat = await c.inbox.take();
    expect(flat).toEqual({
      type: 'notification',
      event: 'deposit.processed',
      data: 'E1',
      timestamp: expect.any(String),
    });
    expect(Number(flat.timestamp)).toBeGreaterThan(1_600_000_000_000);
    sim.emitActivity('user.created', 'U1');
    expect(await c.inbox.take()).toEqual({
      type: 'notification',
      data: { event: 'user.created', data: 'U1', timestamp: expect.any(String) },
    });
    await idle.inbox.none();
    expect(sim.orders()).toEqual(new Map([['E1', 'deposit.processed']]));
  });

  test('a fixed shape option', async () => {
    const sim = track(await startOrangepillSimulator({ orangepillShape: 'nested' }));
    const c = await wsClient(sim.url);
    c.send({ type: 'subscribe', realm: sim.credentials.realmKey });
    await c.inbox.take(byType('subscribe'));
    sim.setStatus('E1', 'transaction.processing');
    sim.setStatus('E1', 'transaction.done');
    expect(await c.inbox.take()).toMatchObject({ data: { event: 'transaction.processing' } });
    expect(await c.inbox.take()).toMatchObject({ data: { event: 'transaction.done', data: 'E1' } });
  });
});

describe('orangepill errors after the realm was accepted', () => {
  async function subscribed(sim: Simulator) {
    const c = await wsClient(sim.url);
    c.send({ type: 'subscribe', realm: sim.credentials.realmKey });
    await c.inbox.take(byType('subscribe'));
    return c;
  }

  test('sendError reaches accepted subscriptions only, closes nothing, ends no subscription', async () => {
    const sim = track(await startOrangepillSimulator());
    const c = await subscribed(sim);
    const idle = await wsClient(sim.url);
    sim.sendError();
    expect(await c.inbox.take()).toEqual({
      type: 'error',
      realm: ORANGEPILL_RATE_LIMIT_ERROR,
      timestamp: expect.any(Number),
    });
    sim.sendError('Something else.');
    expect(await c.inbox.take()).toMatchObject({ type: 'error', realm: 'Something else.' });
    await idle.inbox.none();
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    expect(sim.connections()).toBe(1);
    sim.setStatus('E1', 'transaction.done');
    expect(await c.inbox.take()).toMatchObject({ type: 'notification' });
    expect(sim.stats.authFailures).toBe(0);
  });

  test.each([{ reason: undefined }, { reason: ORANGEPILL_RATE_LIMIT_ERROR }])(
    'errorAfterAccept $reason',
    async ({ reason }) => {
      const sim = track(await startOrangepillSimulator());
      sim.errorAfterAccept(reason);
      const c = await wsClient(sim.url);
      c.send({ type: 'subscribe', realm: sim.credentials.realmKey });
      expect(await c.inbox.take()).toMatchObject({ type: 'info' });
      expect(await c.inbox.take()).toMatchObject({ type: 'subscribe' });
      if (reason === undefined) await c.inbox.none();
      else expect(await c.inbox.take()).toMatchObject({ type: 'error', realm: reason });
      // Accepted either way: notifications flow.
      sim.setStatus('E1', 'deposit.processed');
      expect(await c.inbox.take()).toMatchObject({ type: 'notification' });
    },
  );
});
