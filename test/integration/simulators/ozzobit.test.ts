// OZZOBiT simulator conformance, driven by a raw socket.io client and fetch: namespace auth,
// subscribe:order (current state on subscribe only when not strict) and subscribe:partner, ping/PONG, the
// configurable socket.io heartbeat, the REST lookup in its shapes, and the server's kicks and
// unanswered handshakes.
import { afterEach, describe, expect, test } from 'vitest';
import { OZZOBIT_REST_STATES, startOzzobitSimulator } from '../../../src-main/simulator/ozzobit.js';
import {
  QUIET_MS,
  WAIT_MS,
  getJson,
  runCleanups,
  track,
  sleep,
  until,
  ozClient,
  ioConnected,
  type Json,
} from './raw-clients.js';

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

  test('subscribe:order gets the current state at once (non-strict courtesy); subscribe:partner gets everything', async () => {
    // About the courtesy the page never promises, so it asks for it (strict.ts).
    const sim = track(await startOzzobitSimulator({ strict: false }));
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

describe('ozzobit strict mode', () => {
  test.each([
    { strict: false, replays: true },
    { strict: true, replays: false },
  ])(
    'strict: $strict — subscribe:order is answered with the current state: $replays',
    async ({ strict, replays }) => {
      const sim = track(await startOzzobitSimulator({ strict }));
      expect(sim.strict).toBe(strict);
      sim.setStatus('o-1', 'ORDER_COMPLETED');
      const c = ozClient(sim.url, { apiKey: sim.credentials.apiKey ?? '' });
      await ioConnected(c);
      c.socket.emit('subscribe:order', { orderId: 'o-1' });
      if (replays) expect(await c.inbox.take()).toMatchObject({ event: 'ORDER_COMPLETED' });
      else {
        await until(() => sim.received.length === 1, 'the subscription to arrive');
        await c.inbox.none();
      }
      sim.setStatus('o-1', 'ORDER_CANCELLED');
      expect(await c.inbox.take()).toMatchObject({ event: 'ORDER_CANCELLED', orderId: 'o-1' });
    },
  );
});

describe('ozzobit REST lookup', () => {
  const rows = [
    { envelope: 'bare', status: 'event', idField: 'orderId', want: 'ORDER_COMPLETED' },
    { envelope: 'data', status: 'event', idField: 'orderId', want: 'ORDER_COMPLETED' },
    { envelope: 'bare', status: 'state', idField: 'orderId', want: 'COMPLETED' },
    { envelope: 'data', status: 'state', idField: 'id', want: 'COMPLETED' },
    { envelope: 'bare', status: 'event', idField: 'id', want: 'ORDER_COMPLETED' },
  ] as const;
  test.each(rows)('$envelope / $status / $idField', async ({ envelope, status, idField, want }) => {
    const sim = track(
      await startOzzobitSimulator({
        ozzobitRestEnvelope: envelope,
        ozzobitRestStatus: status,
        ozzobitRestIdField: idField,
      }),
    );
    const rest = sim.restUrl ?? '';
    expect(new URL(rest).port).toBe(new URL(sim.url).port);
    sim.setStatus('o-1', 'ORDER_PROCESSING');
    sim.setStatus('o-1', 'ORDER_COMPLETED', { restOnly: true });
    const { status: code, body } = await getJson(`${rest}/api/v2/orders/o-1`, {
      authorization: `Bearer ${sim.credentials.apiKey ?? ''}`,
    });
    expect(code).toBe(200);
    const order = (envelope === 'data' ? body.data : body) as Json;
    if (envelope === 'data') expect(Object.keys(body)).toEqual(['data']);
    expect(order).toMatchObject({
      [idField]: 'o-1',
      status: want,
      amount: expect.any(String),
      currency: expect.any(String),
      txHash: expect.stringMatching(/^0x/),
      updatedAt: expect.any(String),
    });
    expect(order).not.toHaveProperty(idField === 'id' ? 'orderId' : 'id');
    expect(order).not.toHaveProperty('event');
  });

  test.each([
    ['ORDER_CREATED', 'PENDING_PAYMENT'],
    ['ORDER_PROCESSING', 'PROCESSING'],
    ['ORDER_COMPLETED', 'COMPLETED'],
    ['ORDER_FAILED', 'FAILED'],
    ['ORDER_CANCELLED', 'CANCELLED'],
    ['SOMETHING_NEW', 'SOMETHING_NEW'],
  ])('REST state of %s is %s', async (event, state) => {
    expect(OZZOBIT_REST_STATES.get(event) ?? event).toBe(state);
    const sim = track(await startOzzobitSimulator({ ozzobitRestStatus: 'state' }));
    sim.setStatus('o-1', event, { restOnly: true });
    const { body } = await getJson(`${sim.restUrl ?? ''}/api/v2/orders/o-1`, {
      authorization: `Bearer ${sim.credentials.apiKey ?? ''}`,
    });
    expect(body.status).toBe(state);
  });

  test('401 without or with a wrong bearer key, 404 for an unknown order, counted', async () => {
    const sim = track(await startOzzobitSimulator({ credentials: { apiKey: 'k1' } }));
    const url = `${sim.restUrl ?? ''}/api/v2/orders/o-1`;
    sim.setStatus('o-1', 'ORDER_CREATED');
    expect((await getJson(url)).status).toBe(401);
    expect((await getJson(url, { authorization: 'k1' })).status).toBe(401);
    expect((await getJson(url, { authorization: 'Bearer k2' })).status).toBe(401);
    const ok = { authorization: 'Bearer k1' };
    expect((await getJson(url, ok)).body).toMatchObject({
      orderId: 'o-1',
      status: 'ORDER_CREATED',
    });
    expect((await getJson(`${sim.restUrl ?? ''}/api/v2/orders/nope`, ok)).status).toBe(404);
    expect(sim.stats.restByEndpoint).toEqual({ '/api/v2/orders/{orderId}': 5 });
    expect(sim.stats.authFailures).toBe(0); // REST refusals are not stream auth failures
  });
});

describe('ozzobit server misbehaviour', () => {
  test.each([
    { kick: false, reason: undefined },
    { kick: true, reason: 'io server disconnect' },
  ])('kickOnConnect $kick: the client sees $reason', async ({ kick, reason }) => {
    const sim = track(await startOzzobitSimulator());
    sim.kickOnConnect(kick);
    const c = ozClient(sim.url, { apiKey: sim.credentials.apiKey ?? '' });
    const disconnected = new Promise<string>((resolve) => c.socket.once('disconnect', resolve));
    await ioConnected(c);
    const got = await Promise.race([disconnected, sleep(500).then(() => undefined)]);
    expect(got).toBe(reason);
    expect(sim.kicks).toBe(kick ? 1 : 0);
    expect(sim.connections()).toBe(kick ? 0 : 1);
    // Turned off again, the next connection stays.
    sim.kickOnConnect(false);
    const next = ozClient(sim.url, { apiKey: sim.credentials.apiKey ?? '' });
    await ioConnected(next);
    await sleep(100);
    expect(next.socket.connected).toBe(true);
  });

  test.each([{ hold: false }, { hold: true }])(
    'holdHandshake $hold: the namespace connect completes only when not held',
    async ({ hold }) => {
      const sim = track(await startOzzobitSimulator());
      sim.holdHandshake(hold);
      const c = ozClient(sim.url, { apiKey: sim.credentials.apiKey ?? '' });
      const settled = ioConnected(c).then(
        () => 'connected',
        (err: Error) => err.message,
      );
      if (!hold) {
        expect(await settled).toBe('connected');
        expect(sim.held).toBe(0);
        return;
      }
      // The engine.io link is open (the proxy carries it), the namespace never answers.
      await until(() => sim.held === 1, 'the handshake to be held');
      expect(c.socket.io.engine?.readyState).toBe('open');
      await sleep(QUIET_MS);
      expect(c.socket.connected).toBe(false);
      expect(sim.connections()).toBe(0);
      sim.holdHandshake(false);
      await ioConnected(ozClient(sim.url, { apiKey: sim.credentials.apiKey ?? '' }));
    },
  );
});
