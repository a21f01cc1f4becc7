// The window is served from app://orderbell/ (a standard, secure custom scheme) rather than file://,
// so it has a real origin that IPC senders are checked against, and every response carries a
// strict Content-Security-Policy. Only files under the built renderer folder can be read.
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { protocol, type Session } from 'electron';
import { APP_HOST, APP_SCHEME } from './identity.js';

/**
 * No remote anything: scripts, styles, images and fonts from the app itself only, no eval, no
 * plugins, no framing, no form posts. Inline style attributes are allowed because the virtualized
 * list positions rows with them; inline scripts are not.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
    },
  ]);
}

/**
 * The file a request maps to, or undefined when it is not ours or would leave the renderer folder.
 * `/` serves index.html.
 */
export function resolveAppFile(root: string, requestUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  const base = resolve(root);
  const file = resolve(base, `.${path === '/' ? '/index.html' : path}`);
  return file.startsWith(base + sep) ? file : undefined;
}

function headers(type: string): Record<string, string> {
  return {
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

/** Answers one app:// request from `root` (the built renderer). */
export async function serveAppRequest(root: string, requestUrl: string): Promise<Response> {
  const file = resolveAppFile(root, requestUrl);
  if (!file) return new Response('not found', { status: 404, headers: headers('text/plain') });
  try {
    const body = await readFile(file);
    return new Response(body, {
      status: 200,
      headers: headers(TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'),
    });
  } catch {
    return new Response('not found', { status: 404, headers: headers('text/plain') });
  }
}

/** Must run after `app` is ready. */
export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(root, request.url));
}

/**
 * Belt and braces: the same policy on every response the session sees (Electron's documented
 * onHeadersReceived pattern), in case anything ever loads from elsewhere than app://. The literal
 * is written out so static checkers can evaluate it; a unit test keeps it equal to the constant.
 */
export function enforceCsp(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
        ],
      },
    });
  });
}
