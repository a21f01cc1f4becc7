// getJson (REST catch-up) on node:http: JSON bodies, HTTP errors, redirects (credentials never leave
// the origin), the deadline, refused connections. Loopback servers only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { getJson, RestError } from '../../src-main/engine/rest.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('getJson', () => {
  it('answers the parsed body and sends the headers', async () => {
    let auth: string | undefined;
    const origin = await serve((req, res) => {
      auth = req.headers.authorization;
      res.setHeader('content-type', 'application/json');
      res.end('\ufeff{"orders":[1,2]}');
    });
    expect(await getJson(`${origin}/v2/orders`, { Authorization: 'p:s' })).toEqual({
      orders: [1, 2],
    });
    expect(auth).toBe('p:s');
  });

  it('names the path and the status of an HTTP error, and a body that is not JSON', async () => {
    const origin = await serve((req, res) => {
      if (req.url === '/bad') res.writeHead(503).end('busy');
      else res.end('<html>');
    });
    const err = await getJson(`${origin}/bad`, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RestError);
    expect((err as RestError).message).toBe('GET /bad answered HTTP 503');
    expect((err as RestError).status).toBe(503);
    await expect(getJson(`${origin}/html`, {})).rejects.toThrow(
      'GET /html answered something that is not JSON',
    );
  });

  it('follows redirects, keeping credentials only within the origin', async () => {
    const seen: (string | undefined)[] = [];
    const other = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.end('{"where":"other"}');
    });
    const origin = await serve((req, res) => {
      seen.push(req.headers.authorization);
      if (req.url === '/a') res.writeHead(302, { location: '/b' }).end();
      else res.writeHead(307, { location: `${other}/c` }).end();
    });
    expect(await getJson(`${origin}/a`, { Authorization: 'secret' })).toEqual({ where: 'other' });
    expect(seen).toEqual(['secret', 'secret', undefined]);
  });

  it('gives up at the deadline and on a refused connection', async () => {
    const origin = await serve(() => undefined); // never answers
    await expect(getJson(`${origin}/slow`, {}, 150)).rejects.toThrow(
      'GET /slow failed: timed out after 150 ms',
    );
    const closed = await serve(() => undefined);
    const port = new URL(closed).port;
    const s = servers.pop() as Server;
    await new Promise((r) => s.close(r));
    await expect(getJson(`http://127.0.0.1:${port}/x`, {})).rejects.toThrow(/GET \/x failed: /);
  });
});

// Issue 10 item 1: an origin that answers an endless body. The server writes with backpressure, so
// what it managed to write is what the client read plus what the socket buffers hold; it gives up
// at ENDLESS_STOP (and ends the body) so a client without a cap terminates too, reading it all.
describe('getJson, endless bodies (bounded, never drained)', () => {
  const CAP = 256 * 1024;
  const ENDLESS_STOP = 64 * 1024 * 1024;
  /** Loopback socket buffers on both sides can hold a few MiB that nobody read. */
  const BUFFERED = 16 * 1024 * 1024;
  const TOO_LARGE = 'failed: answer larger than the 256 KiB limit, not read';

  async function endless(head: (req: IncomingMessage, res: ServerResponse) => void) {
    let written = 0;
    let onClosed: () => void = () => undefined;
    const closed = new Promise<void>((r) => (onClosed = r));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const origin = await serve((req, res) => {
      head(req, res);
      res.on('close', onClosed);
      const pump = () => {
        while (!res.destroyed && written < ENDLESS_STOP) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    });
    return { origin, written: () => written, closed };
  }

  type Head = (req: IncomingMessage, res: ServerResponse) => void;
  const HEADS: [string, Head, string][] = [
    ['200', (_q, res) => void res.writeHead(200), TOO_LARGE],
    ['500', (_q, res) => void res.writeHead(500), 'answered HTTP 500'],
    [
      'a redirect',
      (q, res) =>
        void (q.url === '/next' ? res.writeHead(200) : res.writeHead(302, { location: '/next' })),
      TOO_LARGE,
    ],
  ];

  it.each(HEADS)(
    '%s with an endless body: the call fails, the connection closes, ≤ cap read',
    async (_name, head, message) => {
      const e = await endless(head);
      const err = await getJson(`${e.origin}/v2/orders`, {}, 10_000, undefined, CAP).catch(
        (x: unknown) => x,
      );
      expect(err).toBeInstanceOf(RestError);
      expect((err as Error).message).toBe(`GET /v2/orders ${message}`);
      await e.closed; // the client closed it: nothing keeps draining
      expect(e.written()).toBeLessThan(CAP + BUFFERED);
    },
  );

  it('a declared Content-Length past the cap is refused before any of it is read', async () => {
    const e = await endless((_q, res) => res.writeHead(200, { 'content-length': ENDLESS_STOP }));
    await expect(getJson(`${e.origin}/x`, {}, 10_000, undefined, CAP)).rejects.toThrow(
      `GET /x ${TOO_LARGE}`,
    );
    await e.closed;
    expect(e.written()).toBeLessThan(CAP + BUFFERED);
  });

  it('a body of exactly the cap is read', async () => {
    const body = JSON.stringify({ pad: 'x'.repeat(CAP - 10) });
    const origin = await serve((_q, res) => res.end(body));
    expect(body.length).toBe(CAP);
    expect(await getJson(`${origin}/x`, {}, 10_000, undefined, CAP)).toEqual({
      pad: 'x'.repeat(CAP - 10),
    });
  });

  it.each(HEADS)('through a replaced global fetch too: %s', async (_name, head, message) => {
    const e = await endless(head);
    const original = globalThis.fetch;
    globalThis.fetch = (input, init) => original(input, init);
    try {
      await expect(getJson(`${e.origin}/f`, {}, 10_000, undefined, CAP)).rejects.toThrow(
        `GET /f ${message}`,
      );
    } finally {
      globalThis.fetch = original;
    }
    await e.closed;
    expect(e.written()).toBeLessThan(CAP + BUFFERED);
  });
});
