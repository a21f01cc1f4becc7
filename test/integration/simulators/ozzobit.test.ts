// OZZOBiT simulator conformance, driven by a raw socket.io client: namespace auth, subscribe:order
// and subscribe:partner, ping/PONG, and the configurable socket.io heartbeat.
import { afterEach, describe, expect, test } from 'vitest';
import { startOzzobitSimulator } from '../../../src-main/simulator/ozzobit.js';
import { WAIT_MS, runCleanups, track, sleep, until, ozClient, ioConnected } from './raw-clients.js';

afterEach(runCleanups);

describe('ozzobit', () => {
  test('namespace auth: a bad key or env is refused with the server message', async () => {
    const sim = track(await startOzzobitSimulator({ credentials: { apiKey: 'good-key' } }));
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ws$/);
    await expect(ioConnected(ozClient(sim.url, { apiKey: 'bad' }))).rejects.toThrow(
      'unauthorized: invalid API key',
    );
    await expect(
      ioConnected(ozClient(sim.url, { apiKey: 'good-key', env: 'DEV' })),
    ).rejects.toThrow('unauthorized: invalid API key');
    await expect(ioConnected(ozClient(sim.url, {}))).rejects.toThrow('unauthorized');
    expect(sim.stats.authFailures).toBe(3);
    await ioConnected(ozClient(sim.url, { apiKey: 'good-key', env: 'STAGING' }));
    expect(sim.connections()).toBe(1);
  });

  test('subscribe:order gets the current state at once; subscribe:partner gets everything', async () => {
    const sim = track(await startOzzobitSimulator());
    const auth = { apiKey: sim.credentials.apiKey ?? '' };
    sim.setStatus('o-1', 'ORDER_PROCESSING');

    const one = ozClient(sim.url, auth);
    const all = ozClient(sim.url, auth);
    await Promise.all([ioConnected(one), ioConnected(all)]);
    one.socket.emit('subscribe:order', { orderId: 'o-1' });
    all.socket.emit('subscribe:partner');
    expect(await one.inbox.take()).toMatchObject({
      event: 'ORDER_PROCESSING',
      orderId: 'o-1',
      amount: expect.any(String),
      currency: expect.any(String),
      step: expect.any(String),
      timestamp: expect.any(String),
    });
    await until(() => sim.received.length === 2, 'both subscriptions to arrive');
    await all.inbox.none(); // subscribe:partner does not replay history

    sim.setStatus('o-2', 'ORDER_CREATED');
    expect(await all.inbox.take()).toMatchObject({ event: 'ORDER_CREATED', orderId: 'o-2' });
    await one.inbox.none();

    sim.setStatus('o-1', 'ORDER_COMPLETED');
    expect(await one.inbox.take()).toMatchObject({
      event: 'ORDER_COMPLETED',
      txHash: expect.stringMatching(/^0x/),
    });
    expect(await all.inbox.take()).toMatchObject({ event: 'ORDER_COMPLETED', orderId: 'o-1' });
    sim.setStatus('o-3', 'ORDER_FAILED');
    expect(await all.inbox.take()).toMatchObject({
      reason: expect.any(String),
      errorCode: expect.any(String),
    });
    sim.setStatus('o-4', 'ORDER_CANCELLED');
    expect(await all.inbox.take()).toMatchObject({ cancelledBy: expect.any(String) });

    sim.emitActivity('KYC_STATUS_CHANGED', 'u-9');
    expect(await one.inbox.take()).toMatchObject({
      event: 'KYC_STATUS_CHANGED',
      userId: 'u-9',
      newStatus: expect.any(String),
    });
    sim.sendRaw('{"event":"SOMETHING_NEW"}');
    expect(await all.inbox.take((m) => m.event === 'KYC_STATUS_CHANGED')).toBeDefined();
    expect(await all.inbox.take()).toEqual({ event: 'SOMETHING_NEW' });
    sim.sendRaw('not json');
    expect(await one.inbox.take((m) => m.raw !== undefined)).toEqual({ raw: 'not json' });

    expect(sim.received.map((f) => f.text)).toEqual(
      expect.arrayContaining(['subscribe:order [{"orderId":"o-1"}]', 'subscribe:partner []']),
    );
  });

  test('ping is answered with a PONG order:update and the ack', async () => {
    const sim = track(await startOzzobitSimulator());
    const client = ozClient(sim.url, { apiKey: sim.credentials.apiKey ?? '' });
    await ioConnected(client);
    const ack = await client.socket.timeout(WAIT_MS).emitWithAck('ping');
    expect(ack).toMatchObject({ event: 'PONG', timestamp: expect.any(String) });
    expect(await client.inbox.take()).toMatchObject({ event: 'PONG' });
    client.socket.emit('ping');
    expect(await client.inbox.take()).toMatchObject({ event: 'PONG' });
  });

  test('configurable socket.io heartbeat notices a half-open link', async () => {
    const sim = track(await startOzzobitSimulator({ pingIntervalMs: 100, pingTimeoutMs: 100 }));
    const client = ozClient(sim.url, { apiKey: sim.credentials.apiKey ?? '' });
    await ioConnected(client);
    const reason = new Promise<string>((resolve) => client.socket.once('disconnect', resolve));
    sim.halfOpen(true);
    await until(() => sim.connections() === 0, 'server-side ping timeout', 1_500);
    expect(await Promise.race([reason, sleep(1_500).then(() => 'none')])).toBe('ping timeout');
  });
});
