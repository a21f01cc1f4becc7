// Web mode: the built status window (dist-renderer/) served over http on 127.0.0.1, and the bridge
// over a WebSocket at /bridge, both behind a random access token (256 bits; the static files also
// open with a per-run asset cookie that is not the token). Messages:
//   window → server  {id, command, request}
//   server → window  {id, response} | {batch}
// No Electron here.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Logger } from '../engine/log.js';
import type { BridgeClient, BridgeHost } from '../shared/bridge-host.js';

export interface WebServerOptions {
  host: BridgeHost;
  log: Logger;
  /** Folder of the built window; default: dist-renderer/ at the package root. */
  root?: string;
  /** Default: 32 random bytes, base64url. */
  token?: string;
  /** Default 0: any free port. */
  port?: number;
}

export interface WebServer {
  /** The page URL, token included: what the user opens. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Windows connected right now. */
  clients(): number;
  close(): Promise<void>;
}

/** A window that lets the socket queue this much unsent data is dropped (it reconnects). */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const MAX_MESSAGE_BYTES = 256 * 1024;

/** The asset cookie is named `orderbell_<port>`. */
export const COOKIE_PREFIX = 'orderbell_';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** dist-renderer/ beside the nearest package.json above this module (works from src and dist). */
export function defaultRendererRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist-renderer');
    const up = dirname(dir);
    if (up === dir) return resolve('dist-renderer');
    dir = up;
  }
}

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function securityHeaders(port: number): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(port),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    'cache-control': 'no-store',
  };
}

function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function parseUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return undefined;
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const root = resolve(opts.root ?? defaultRendererRoot());
  const { host, log } = opts;
  // The page's scripts and styles are fetched without the token in their URL, so the page sets a
  // cookie for them. A browser sends a 127.0.0.1 cookie to EVERY port of 127.0.0.1 (cookies are not
  // port-scoped; `__Host-` needs `Secure`, i.e. https), so any other local server the browser
  // visits receives it. Hence the cookie never carries the token: it holds a separate key that
  // opens only the built window's static files (public code, nothing of the user's). The page and
  // the bridge, where orders and settings live, need the token itself in their URL.
  const assetKey = randomBytes(32).toString('base64url');
  let port = 0;
  /** Per-port name, so that two Orderbells on two ports never overwrite each other's cookie. */
  const cookieName = () => `${COOKIE_PREFIX}${port}`;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  // A Host other than our own is a DNS-rebinding attempt, whatever the token.
  const ownHost = (req: IncomingMessage) => allowedHosts().has(req.headers.host ?? '');
  const hasToken = (url: URL) => sameToken(url.searchParams.get('token'), token);
  const hasAssetKey = (req: IncomingMessage) => sameToken(cookieValue(req, cookieName()), assetKey);
  const authorized = (req: IncomingMessage, url: URL): boolean =>
    ownHost(req) && (hasToken(url) || hasAssetKey(req));

  const refuse = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, {
      ...securityHeaders(port),
      'content-type': 'text/plain; charset=utf-8',
    });
    res.end(`${text}\n`);
  };

  const serveFile = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return refuse(res, 400, 'bad path');
    }
    if (path.includes('\0')) return refuse(res, 400, 'bad path');
    if (path === '/' || path === '') path = '/index.html';
    // The page itself needs the token in its URL (its bridge needs it anyway), not the cookie.
    if (path === '/index.html' && !hasToken(url)) return refuse(res, 403, 'forbidden');
    const file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) return refuse(res, 404, 'not found');
    let body: Buffer;
    try {
      if (!(await stat(file)).isFile()) return refuse(res, 404, 'not found');
      body = await readFile(file);
    } catch {
      if (path === '/index.html') {
        return refuse(res, 503, 'The window is not built yet: run `npm run build`, then reload.');
      }
      return refuse(res, 404, 'not found');
    }
    const headers: Record<string, string> = {
      ...securityHeaders(port),
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': String(body.length),
    };
    // The page carries the token in its URL; its scripts and styles carry the asset key cookie.
    // A session cookie: the key is new on every run, so it has no use past this one.
    if (path === '/index.html') {
      headers['set-cookie'] = `${cookieName()}=${assetKey}; Path=/; HttpOnly; SameSite=Strict`;
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const server = createServer((req, res) => {
    const url = parseUrl(req);
    if (!url || !authorized(req, url)) return refuse(res, 403, 'forbidden');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'method not allowed');
    serveFile(req, res, url).catch((err: Error) => {
      log.error({ err: err.message }, 'web mode: serving a file failed');
      if (!res.headersSent) refuse(res, 500, 'internal error');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 2_000;

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = parseUrl(req);
    const origin = req.headers.origin;
    const originOk =
      origin === undefined || [...allowedHosts()].some((h) => origin === `http://${h}`);
    // The bridge reads and changes everything: the token itself, never the asset cookie.
    if (!url || url.pathname !== '/bridge' || !ownHost(req) || !hasToken(url) || !originOk) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  });

  const onSocket = (ws: WebSocket) => {
    sockets.add(ws);
    const client: BridgeClient = {
      send(batch) {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
          log.warn('web mode: a window is not keeping up; dropping it (it will reconnect)');
          ws.terminate();
          return;
        }
        ws.send(JSON.stringify({ batch }));
      },
    };
    const detach = host.attach(client);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text only');
      let msg: unknown;
      try {
        msg = JSON.parse(rawText(data));
      } catch {
        ws.send(JSON.stringify({ id: null, error: 'not JSON' }));
        return;
      }
      const m = (typeof msg === 'object' && msg !== null ? msg : {}) as Record<string, unknown>;
      const id = m.id;
      if (typeof id !== 'number' && typeof id !== 'string') {
        ws.send(JSON.stringify({ id: null, error: 'missing id' }));
        return;
      }
      void host.dispatch(m.command, m.request, client).then((response) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, response }));
      });
    });
    ws.on('close', () => {
      sockets.delete(ws);
      detach();
    });
    ws.on('error', (err) => log.warn({ err: err.message }, 'web mode: socket error'));
  };

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}/?token=${token}`;

  return {
    url,
    port,
    token,
    clients: () => sockets.size,
    async close() {
      for (const ws of sockets) ws.terminate();
      sockets.clear();
      await new Promise<void>((done) => wss.close(() => done()));
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
