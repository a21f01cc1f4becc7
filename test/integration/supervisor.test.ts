// The WebSocket supervisor itself, against a bare `ws` server on loopback: reconnect-now and stop
// end the live attempt (or the wait before the next one) and leave nothing that connects again.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { silentLogger } from '../../src-main/engine/log.js';
import type { SourceContext } from '../../src-main/engine/source.js';
import { WsSupervisor, type WsProtocol } from '../../src-main/engine/supervisor.js';
import type { ConnectionState } from '../../src-main/engine/types.js';
import { sleep } from './harness.js';

interface Server {
  url: string;
  sockets: ServerSocket[];
  closes: Array<{ code: number; reason: string }>;
  close(): Promise<void>;
}

async function startServer(port = 0): Promise<Server> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise((resolve) => wss.once('listening', resolve));
  const server: Server = {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    sockets: [],
    closes: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of wss.clients) s.terminate();
        wss.close(() => resolve());
      }),
  };
  wss.on('connection', (socket) => {
    server.sockets.push(socket);
    socket.on('close', (code, reason) => server.closes.push({ code, reason: reason.toString() }));
  });
  return server;
}

function supervise(url: () => string, backoffMs = 40) {
  const states: Array<[ConnectionState, string | undefined]> = [];
  const ctx = {
    sourceId: 's',
    provider: 'nexchange',
    log: silentLogger(),
    connection: (state: ConnectionState, detail?: string) => states.push([state, detail]),
    heard: () => {},
    rtt: () => {},
    protocolError: () => {},
    watched: () => [],
  } as unknown as SourceContext;
  const protocol: WsProtocol = {
    defaultHeartbeatMs: 5_000,
    endpoint: () => ({ url: url() }),
    onOpen: (link) => link.ready(),
    onMessage: () => {},
    watch: () => {},
    unwatch: () => {},
  };
  const supervisor = new WsSupervisor('s', 'nexchange', protocol, ctx, {
    backoff: { baseMs: backoffMs, capMs: backoffMs, factor: 2 },
    random: () => 1,
  });
  const last = () => states.at(-1)?.[0];
  return { supervisor, states, last };
}

async function until(condition: () => boolean, what: string, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('WsSupervisor', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('reconnectNow ends the live connection and opens exactly one new one', async () => {
    const server = await startServer();
    cleanups.push(() => server.close());
    const { supervisor, states, last } = supervise(() => server.url);
    cleanups.push(() => supervisor.stop());
    supervisor.start();
    await until(() => last() === 'connected', 'connected');
    supervisor.reconnectNow();
    await until(() => server.sockets.length === 2 && last() === 'connected', 'connected again');
    await until(() => server.closes.length === 1, 'the first connection closed');
    await sleep(200); // no leftover retry of the first attempt may connect a third time
    expect(server.sockets).toHaveLength(2);
    expect(server.sockets[1]?.readyState).toBe(1);
    expect(states.map(([s]) => s)).toEqual([
      'connecting',
      'connected',
      'reconnecting',
      'connected',
    ]);
  });

  it('reconnectNow during the wait before a retry connects at once, and only once', async () => {
    let server = await startServer();
    const port = Number(new URL(server.url).port);
    const { supervisor, last } = supervise(() => server.url, 60_000);
    cleanups.push(() => supervisor.stop());
    supervisor.start();
    await until(() => last() === 'connected', 'connected');
    await server.close();
    await until(() => last() === 'reconnecting', 'reconnecting');
    server = await startServer(port);
    cleanups.push(() => server.close());
    supervisor.reconnectNow(); // the 60 s wait is dropped, not left to fire later
    await until(() => last() === 'connected', 'connected at once');
    await sleep(200);
    expect(server.sockets).toHaveLength(1);
  });

  it('stop closes cleanly, reads offline, and nothing connects afterwards', async () => {
    const server = await startServer();
    cleanups.push(() => server.close());
    const { supervisor, states, last } = supervise(() => server.url);
    supervisor.start();
    await until(() => last() === 'connected', 'connected');
    await supervisor.stop();
    await until(() => server.closes.length === 1, 'closed at the server');
    expect(server.closes[0]).toEqual({ code: 1000, reason: 'client shutdown' });
    expect(states.at(-1)).toEqual(['offline', 'stopped']);
    await sleep(200);
    expect(server.sockets).toHaveLength(1);
    supervisor.reconnectNow(); // a stopped source stays stopped
    await sleep(100);
    expect(server.sockets).toHaveLength(1);
  });
});
