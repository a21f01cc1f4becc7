// The fault controls every simulator shares (sim-base.ts behind fault-proxy.ts): drop, half-open,
// a plain TCP link through the proxy, and restart on the same port. Driven by raw clients.
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { startFaultProxy } from '../../../src-main/simulator/fault-proxy.js';
import { startHoudiniSimulator } from '../../../src-main/simulator/houdini.js';
import { startNexchangeSimulator } from '../../../src-main/simulator/nexchange.js';
import {
  WAIT_MS,
  QUIET_MS,
  cleanups,
  runCleanups,
  track,
  sleep,
  until,
  wsClient,
  closesWithin,
  byType,
  getJson,
} from './raw-clients.js';

afterEach(runCleanups);

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
    expect(sim.stats.accepted).toBe(3);
    // The change made while half-open was kept: REST says so (a strict server does not replay it
    // on subscribe), and the fresh link is served live.
    expect((await getJson(`${sim.restUrl ?? ''}/en/api/v1/orders/R1/`)).body).toMatchObject({
      status: 11,
    });
    sim.setStatus('R1', 12);
    expect((await fresh.inbox.take((m) => m.message_type === 'order_status_update')).status).toBe(
      12,
    );
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
