// Protocol conformance of the loopback simulators, driven by RAW clients (ws / socket.io-client),
// never by the engine: if these pass, the simulators speak the seeds' protocols, and engine tests
// built on them test the engine rather than the simulators. Every wait is bounded.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { io as ioClient, type Socket as IoSocket } from 'socket.io-client';
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { parseConfig } from '../../src-main/engine/config.js';
import { startDemo } from '../../src-main/simulator/demo.js';
import { startFaultProxy } from '../../src-main/simulator/fault-proxy.js';
import { startHoudiniSimulator } from '../../src-main/simulator/houdini.js';
import { startNexchangeSimulator } from '../../src-main/simulator/nexchange.js';
import { startOrangepillSimulator } from '../../src-main/simulator/orangepill.js';
import { startOzzobitSimulator } from '../../src-main/simulator/ozzobit.js';
import { startSatoriexSimulator } from '../../src-main/simulator/satoriex.js';
import { demoScripts, scriptDurationMs } from '../../src-main/simulator/scripts.js';
import type { Simulator } from '../../src-main/simulator/types.js';

type Json = Record<string, unknown>;

const WAIT_MS = 2_000;
/** How long "nothing arrives" is watched for: far above a loopback round trip (~0.1 ms). */
const QUIET_MS = 250;

// ---- bounded waiting helpers ----------------------------------------------------------------------

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  const all = cleanups.splice(0).reverse();
  for (const cleanup of all) await cleanup();
});

function track<T extends Simulator>(sim: T): T {
  cleanups.push(() => sim.close());
  return sim;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * Queues what a client receives. `take` returns the first message matching, waiting for it if need
 * be, and discards what came before it: "skip until", so a test names only the frames it cares about.
 */
class Inbox<T> {
  private queue: T[] = [];
  private waiter: { match(item: T): boolean; resolve(item: T): void } | undefined;

  push(item: T): void {
    if (this.waiter?.match(item)) {
      this.waiter.resolve(item);
      this.waiter = undefined;
    } else if (!this.waiter) {
      this.queue.push(item);
    }
  }

  take(match: (item: T) => boolean = () => true, ms = WAIT_MS): Promise<T> {
    const index = this.queue.findIndex(match);
    if (index >= 0) {
      const item = this.queue[index] as T;
      this.queue = this.queue.slice(index + 1);
      return Promise.resolve(item);
    }
    const skipped = this.queue;
    this.queue = [];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(
          new Error(`no matching message within ${ms} ms; skipped: ${JSON.stringify(skipped)}`),
        );
      }, ms);
      this.waiter = {
        match,
        resolve: (item: T) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
    });
  }

  /** Asserts that nothing matching arrives (or is queued) for `ms`. */
  async none(match: (item: T) => boolean = () => true, ms = QUIET_MS): Promise<void> {
    await sleep(ms);
    const found = this.queue.filter(match);
    expect(found, 'unexpected messages').toEqual([]);
  }
}

interface WsClient {
  ws: WebSocket;
  inbox: Inbox<Json>;
  texts: string[];
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
}

function wsClient(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
  const ws = new WebSocket(url, { headers });
  cleanups.push(() => ws.terminate());
  const inbox = new Inbox<Json>();
  const texts: string[] = [];
  ws.on('message', (data) => {
    const text = String(data);
    texts.push(text);
    try {
      inbox.push(JSON.parse(text) as Json);
    } catch {
      inbox.push({ raw: text });
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no open within ${WAIT_MS} ms`)), WAIT_MS);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve({
        ws,
        inbox,
        texts,
        closed,
        send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
      });
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** The HTTP status that refuses an upgrade. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const timer = setTimeout(() => reject(new Error('no answer to the upgrade')), WAIT_MS);
    ws.on('unexpected-response', (req, res) => {
      clearTimeout(timer);
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    ws.on('error', () => undefined);
    ws.on('open', () => {
      clearTimeout(timer);
      ws.terminate();
      reject(new Error('upgrade unexpectedly accepted'));
    });
  });
}

async function closesWithin(client: WsClient, ms = WAIT_MS): Promise<{ code: number }> {
  return Promise.race([
    client.closed,
    sleep(ms).then(() => {
      throw new Error(`socket not closed within ${ms} ms`);
    }),
  ]);
}

interface IoClient {
  socket: IoSocket;
  inbox: Inbox<Json>;
}

function ozClient(url: string, auth: Json): IoClient {
  const socket = ioClient(url, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: WAIT_MS,
  });
  cleanups.push(() => socket.disconnect());
  const inbox = new Inbox<Json>();
  socket.on('order:update', (data: unknown) =>
    inbox.push(typeof data === 'object' && data !== null ? (data as Json) : { raw: data }),
  );
  return { socket, inbox };
}

function ioConnected(client: IoClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket.io: no connect')), WAIT_MS);
    client.socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    client.socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(WAIT_MS) });
  return { status: res.status, body: (await res.json()) as Json };
}

const byType = (type: string) => (m: Json) => m.type === type;

// ---- fault proxy ------------------------------------------------------------------------------------

describe('fault proxy', () => {
  test('drop() resets every link: the client sees 1006, no close frame', async () => {
    const sim = track(await startNexchangeSimulator());
    const client = await wsClient(sim.url);
    client.send({ subscribe: 'R1' });
    await client.inbox.take((m) => m.subscribed === 'R1');
    expect(sim.connections()).toBe(1);

    sim.drop();
    expect((await closesWithin(client)).code).toBe(1006);
    await until(() => sim.connections() === 0, 'server to forget the client');
    expect(sim.stats.accepted).toBe(1);
  });

  test('halfOpen(true) stalls both ways without a close; halfOpen(false) serves new links', async () => {
    const sim = track(await startNexchangeSimulator());
    const client = await wsClient(sim.url);
    client.send({ subscribe: 'R1' });
    await client.inbox.take((m) => m.subscribed === 'R1');

    sim.halfOpen(true);
    client.send({ subscribe: 'R2' }); // client -> server: swallowed
    sim.setStatus('R1', 11); // server -> client: swallowed
    await client.inbox.none();
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    expect(sim.received.map((f) => f.text)).not.toContain('{"subscribe":"R2"}');

    // A link opened while half-open never completes its handshake.
    const late = new WebSocket(sim.url);
    late.on('error', () => undefined);
    cleanups.push(() => late.terminate());
    await sleep(QUIET_MS);
    expect(late.readyState).toBe(WebSocket.CONNECTING);

    sim.halfOpen(false);
    expect((await closesWithin(client)).code).toBe(1006);
    const fresh = await wsClient(sim.url);
    fresh.send({ subscribe: 'R1' });
    await fresh.inbox.take((m) => m.subscribed === 'R1');
    expect((await fresh.inbox.take((m) => m.message_type === 'order_status_update')).status).toBe(
      11,
    );
    expect(sim.stats.accepted).toBe(3);
  });

  test('a plain TCP echo through the proxy, counted and closable', async () => {
    const net = await import('node:net');
    const echo = net.createServer((s) => s.on('error', () => undefined).pipe(s));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => echo.close(resolve)));
    const address = echo.address();
    const proxy = await startFaultProxy(typeof address === 'object' && address ? address.port : 0);
    cleanups.push(() => proxy.close());
    const socket = net.connect(proxy.port, '127.0.0.1');
    cleanups.push(() => socket.destroy());
    const echoed = await new Promise<string>((resolve, reject) => {
      socket.once('data', (d) => resolve(String(d)));
      socket.once('error', reject);
      socket.write('hello');
      setTimeout(() => reject(new Error('no echo')), WAIT_MS);
    });
    expect(echoed).toBe('hello');
    expect(proxy.accepted).toBe(1);
    expect(proxy.open).toBe(1);
  });
});

describe('restart', () => {
  test('closes every client and listens again on the same port', async () => {
    const sim = track(await startHoudiniSimulator());
    const auth = { authorization: `${sim.credentials.partnerId}:${sim.credentials.secret}` };
    const client = await wsClient(sim.url, auth);
    await client.inbox.take(byType('welcome'));
    const url = sim.url;

    await sim.restart();
    await closesWithin(client);
    expect(sim.url).toBe(url);
    const again = await wsClient(sim.url, auth);
    await again.inbox.take(byType('welcome'));
    expect(sim.connections()).toBe(1);
  });
});

// ---- n.exchange -------------------------------------------------------------------------------------

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

// ---- OZZOBiT ----------------------------------------------------------------------------------------

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

// ---- Houdini ----------------------------------------------------------------------------------------

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

// ---- Orangepill -------------------------------------------------------------------------------------

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

// ---- SatoriEx ---------------------------------------------------------------------------------------

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

// ---- robustness -------------------------------------------------------------------------------------

describe('garbage input', () => {
  test('no simulator falls over on junk bytes, binary frames or broken requests', async () => {
    const net = await import('node:net');
    const sims = await Promise.all([
      startNexchangeSimulator(),
      startOzzobitSimulator(),
      startHoudiniSimulator(),
      startOrangepillSimulator(),
      startSatoriexSimulator(),
    ]);
    sims.forEach(track);
    for (const sim of sims) {
      const port = Number(new URL(sim.url).port);
      for (const junk of [
        '\x00\xff garbage\r\n\r\n',
        'GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n',
      ]) {
        const socket = net.connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        cleanups.push(() => socket.destroy());
        socket.end(junk);
      }
    }
    const nx = sims[0];
    const hd = sims[2];
    if (!nx || !hd) throw new Error('missing simulators');
    const hdAuth = { authorization: `${hd.credentials.partnerId}:${hd.credentials.secret}` };
    expect((await getJson(`${hd.restUrl ?? ''}/v2/orders/%E0%A4%A`, hdAuth)).status).toBe(404);
    const client = await wsClient(nx.url);
    client.ws.send(Buffer.from([0, 1, 2, 3]), { binary: true });
    client.send({ subscribe: 42 });
    client.send({ subscribe: 'NX-1' });
    expect(await client.inbox.take()).toEqual({ subscribed: 'NX-1' });
    expect(nx.received[0]?.text).toBe('<binary 4 bytes>');
    const hdClient = await wsClient(hd.url, hdAuth);
    await hdClient.inbox.take(byType('welcome'));
    hdClient.send({ type: 'subscribe', houdiniIds: 'H1' });
    expect(await hdClient.inbox.take()).toMatchObject({ type: 'error', code: 'INVALID_MESSAGE' });
  });
});

// ---- scripts and demo -------------------------------------------------------------------------------

describe('scripts and demo', () => {
  test('runScript plays a demo script at high speed; close() cancels a running one', async () => {
    const sim = track(await startHoudiniSimulator());
    const script = demoScripts('t3st').houdini;
    expect(scriptDurationMs(script)).toBeLessThanOrEqual(56_000);
    const started = Date.now();
    await sim.runScript(script, 200);
    expect(Date.now() - started).toBeLessThan(WAIT_MS);
    expect(new Set(sim.orders().values())).toEqual(new Set([4, 5, 6, 7, 8]));

    const other = await startNexchangeSimulator();
    const running = other.runScript(demoScripts('t3st').nexchange, 1);
    await other.close();
    await running; // settled by close(), not left hanging for a minute
    expect(other.orders().size).toBe(0);
  });

  test('startDemo: contract sources, nonce in ids, every terminal status reached', async () => {
    const demo = await startDemo({ speed: 100 });
    cleanups.push(() => demo.close());
    const sources = demo.sources as Json[];
    expect(sources.map((s) => s.id)).toEqual(['nx', 'oz', 'hd', 'op', 'sx']);
    const { config, warnings } = parseConfig({ sources });
    expect(warnings).toEqual([]);
    expect(config.sources).toHaveLength(5);
    expect(sources[0]).toMatchObject({
      provider: 'nexchange',
      orders: expect.arrayContaining([expect.stringMatching(/^NX-[0-9a-f]{4}-\d+$/)]),
    });
    expect(sources[1]).toMatchObject({ provider: 'ozzobit', allOrders: true });
    expect(sources[2]).toMatchObject({
      provider: 'houdini',
      orders: [],
      restUrl: expect.any(String),
    });
    expect(sources[4]).toMatchObject({
      provider: 'satoriex',
      markets: ['mkt_abc123'],
      restUrl: expect.any(String),
    });

    demo.run();
    demo.run(); // idempotent
    const terminal: Record<string, (string | number)[]> = {
      nexchange: [0, 7, 8, 16],
      ozzobit: ['ORDER_COMPLETED', 'ORDER_FAILED', 'ORDER_CANCELLED'],
      houdini: [4, 5, 6, 7, 8],
      orangepill: [
        'deposit.processed',
        'transaction.done',
        'withdrawal.failed',
        'apps.payment.done',
      ],
      satoriex: [
        'filled',
        'canceled',
        'expired',
        'rejected',
        'withdraw_confirmed',
        'withdraw_failed',
        'deposit_confirmed',
      ],
    };
    const reached = () =>
      demo.sims.every((sim) => {
        const values = new Set(sim.orders().values());
        return (terminal[sim.provider] ?? []).every((s) => values.has(s));
      });
    await until(reached, 'every terminal status', 3_000);
    for (const sim of demo.sims) {
      for (const id of sim.orders().keys()) expect(id).toContain(demo.nonce);
    }
  });

  test('two demo runs use different nonces', async () => {
    const a = await startDemo();
    cleanups.push(() => a.close());
    const b = await startDemo();
    cleanups.push(() => b.close());
    expect(a.nonce).not.toBe(b.nonce);
  });

  test('no simulator module imports electron', () => {
    const dir = join(import.meta.dirname, '../../src-main/simulator');
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file), 'utf8')).not.toMatch(/from ['"]electron/);
    }
  });
});
