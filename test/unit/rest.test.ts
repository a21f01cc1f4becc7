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
