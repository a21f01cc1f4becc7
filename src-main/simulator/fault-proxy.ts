// A tiny TCP proxy every simulator puts in front of its real server, so tests can break the link the
// way networks really break: an abrupt reset (no close frame) or a half-open link where bytes stop
// flowing but neither side sees a close. Those are the faults a client's heartbeat deadline exists
// for, and they cannot be produced by closing a WebSocket politely.
import net from 'node:net';

export interface FaultProxy {
  /** The public port clients connect to. */
  readonly port: number;
  /** Client connections accepted since start (restarts included). */
  readonly accepted: number;
  /** Proxied client connections currently open. */
  readonly open: number;
  drop(): void;
  halfOpen(on: boolean): void;
  /** Stop listening and reset every connection, then listen again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

interface Link {
  client: net.Socket;
  upstream: net.Socket;
  /** Bytes are discarded both ways; set while half-open and kept for the life of the link. */
  stalled: boolean;
}

/** Destroys without a FIN: the peer gets ECONNRESET, exactly like a dropped route or a crash. */
function reset(socket: net.Socket): void {
  if (socket.destroyed) return;
  if (typeof socket.resetAndDestroy === 'function' && socket.readyState !== 'opening') {
    socket.resetAndDestroy();
  } else {
    socket.destroy();
  }
}

function listen(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

/** Writes `chunk` to `to`; while `to` is full, `from` is not read. */
function forward(to: net.Socket, from: net.Socket, chunk: Buffer): void {
  if (to.write(chunk) || from.isPaused()) return;
  from.pause();
  to.once('drain', () => from.resume());
}

/** Starts a proxy on 127.0.0.1 (port 0 = any free port) forwarding to 127.0.0.1:targetPort. */
export async function startFaultProxy(targetPort: number, port = 0): Promise<FaultProxy> {
  const links = new Set<Link>();
  let accepted = 0;
  let halfOpen = false;

  const onConnection = (client: net.Socket): void => {
    accepted += 1;
    const upstream = net.connect(targetPort, '127.0.0.1');
    const link: Link = { client, upstream, stalled: halfOpen };
    links.add(link);
    client.setNoDelay(true);
    upstream.setNoDelay(true);

    // With backpressure: a side that reads slowly slows the other down, as without the proxy, so
    // an endless answer is not piled up in the proxy's memory.
    client.on('data', (chunk: Buffer) => {
      if (!link.stalled && !upstream.destroyed) forward(upstream, client, chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!link.stalled && !client.destroyed) forward(client, upstream, chunk);
    });
    // Half-closes are forwarded so a polite close still works through the proxy.
    client.on('end', () => {
      if (!link.stalled) upstream.end();
    });
    upstream.on('end', () => {
      if (!link.stalled) client.end();
    });
    // The client going away always reaches the server (it would, eventually, through the server's
    // own keepalive). The server going away during a stall must NOT reach the client: that silence
    // is the half-open link under test.
    client.on('close', () => {
      links.delete(link);
      reset(upstream);
    });
    upstream.on('close', () => {
      if (link.stalled) return;
      links.delete(link);
      reset(client);
    });
    // Errors end in 'close' above; the listeners only keep them from being thrown.
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  };

  let server = net.createServer(onConnection);
  const publicPort = await listen(server, port);

  const resetAll = (): void => {
    for (const link of links) {
      reset(link.client);
      reset(link.upstream);
    }
    links.clear();
  };

  return {
    port: publicPort,
    get accepted() {
      return accepted;
    },
    get open() {
      return links.size;
    },
    drop: resetAll,
    halfOpen(on: boolean): void {
      halfOpen = on;
      if (on) {
        for (const link of links) link.stalled = true;
        return;
      }
      // Bytes were discarded mid-stream, so a stalled link can never carry valid frames again.
      for (const link of [...links]) {
        if (!link.stalled) continue;
        links.delete(link);
        reset(link.client);
        reset(link.upstream);
      }
    },
    async restart(): Promise<void> {
      const closing = closeServer(server);
      resetAll();
      await closing;
      server = net.createServer(onConnection);
      await listen(server, publicPort);
    },
    async close(): Promise<void> {
      const closing = closeServer(server);
      resetAll();
      await closing;
    },
  };
}
