// `--http HOST:PORT` (docs/service.md): GET /healthz and GET /metrics for a service manager and
// a Prometheus scraper. Loopback unless the user asks for more with --http-public: the endpoints
// name every source and its state, which is nobody else's business by default.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../engine/log.js';
import type { Health } from './health.js';

/** What a failed request gets: fixed, since an error's message may quote a URL or a credential. */
export const INTERNAL_ERROR_BODY = 'internal error\n';

export interface HttpAddress {
  host: string;
  port: number;
}

export class HttpAddressError extends Error {}

/** `127.0.0.1:9464`, `[::1]:9464`, `localhost:9464`, `:9464` or `9464` (the last two: 127.0.0.1). */
export function parseHttpAddress(text: string): HttpAddress {
  const trimmed = text.trim();
  const match =
    /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(trimmed) ?? // [IPv6]:PORT
    /^([A-Za-z0-9.-]*):(\d{1,5})$/.exec(trimmed) ?? // IPv4 or name, or empty: PORT
    /^()(\d{1,5})$/.exec(trimmed); // PORT alone
  const host = match?.[1] ?? '';
  const port = Number(match?.[2]);
  const v6Ok = !trimmed.startsWith('[') || isIP(host) === 6;
  if (!match || port > 65_535 || !v6Ok) {
    throw new HttpAddressError(
      `--http ${JSON.stringify(text)}: expected HOST:PORT (e.g. 127.0.0.1:9464)`,
    );
  }
  return { host: host === '' ? '127.0.0.1' : host, port };
}

/** Addresses only this machine can reach. A name other than `localhost` is not trusted. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Why this address is refused without --http-public, or undefined. */
export function publicBindRefusal(address: HttpAddress, allowPublic: boolean): string | undefined {
  if (allowPublic || isLoopback(address.host)) return undefined;
  return (
    `--http ${address.host}:${address.port} would serve /healthz and /metrics (every source's id ` +
    `and state) beyond this machine; add --http-public to mean it, or bind 127.0.0.1`
  );
}

export interface ServiceEndpoints {
  health: () => Health;
  metrics: Registry;
}

export interface ServiceHttp {
  /** `http://HOST:PORT` as bound (port 0 resolved). */
  url: string;
  close(): Promise<void>;
}

export async function startServiceHttp(
  address: HttpAddress,
  endpoints: ServiceEndpoints,
  /** Where a failed request's reason goes: a logger that masks secrets (engine/log.ts). */
  log: Pick<Logger, 'error'>,
): Promise<ServiceHttp> {
  const server = createServer((req, res) => {
    void answer(req, res, endpoints).catch((err: unknown) => {
      // The reason is for the operator's log (masked there), not for whoever asked.
      log.error(
        { err: (err as Error).message, path: req.url?.split('?')[0] },
        'service endpoint failed',
      );
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(INTERNAL_ERROR_BODY);
    });
  });
  // A scraper keeps its connection alive between scrapes; shutdown must not wait for it.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${host}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  endpoints: ServiceEndpoints,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path !== '/healthz' && path !== '/metrics') {
    res
      .writeHead(404, { 'content-type': 'text/plain' })
      .end('not found: try /healthz or /metrics\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('GET only\n');
    return;
  }
  if (path === '/healthz') {
    const { code, body } = endpoints.health();
    res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
    return;
  }
  const text = await endpoints.metrics.metrics();
  res.writeHead(200, { 'content-type': endpoints.metrics.contentType });
  res.end(req.method === 'HEAD' ? undefined : text);
}
