// REST catch-up calls: bounded in time, JSON only, errors that say which call failed and why.
//
// Plain node:http / node:https rather than the global fetch: fetch pulls in undici and the web
// streams on first use, about 15 MB of resident memory and a 100 MB start-up peak for a process
// that otherwise idles near 70 MB (npm run bench, figure 3). Semantics kept from fetch: one deadline
// for the whole exchange, redirects followed (Authorization dropped when one leaves the origin),
// 2xx only, a UTF-8 body with an optional BOM. Every body is bounded: a 2xx answer is read up to
// REST_BODY_LIMIT_BYTES and the call fails past it; the body of a non-2xx answer or a redirect is
// never read at all (the connection is closed), so an endless body costs neither memory nor a core.
// A global fetch replaced by the embedder (a test stub,
// a proxying wrapper) is still honoured: then the call goes through it, as it always did.
import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ClientRequest,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { formatBytes } from './bytes.js';

export class RestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** The server's `Retry-After` (HTTP 429 / 503), in ms, when it sent one we can read. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RestError';
  }
}

/**
 * `Retry-After` as ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or
 * unreadable, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export const REST_TIMEOUT_MS = 10_000;
/**
 * The largest answer body read. The largest legitimate one is a Houdini page of 100 orders (about
 * 1 KiB each, some 100 KiB); 4 MiB leaves forty times that and still bounds what a hostile or broken
 * origin can make the process hold.
 */
export const REST_BODY_LIMIT_BYTES = 4 * 1024 * 1024;
/** Node's own fetch as it was when this module loaded (referencing it does not load undici). */
const builtinFetch = globalThis.fetch;
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Answer {
  status: number;
  body: string;
  retryAfter?: string;
}

/**
 * GET a JSON document. `signal` (the catch-up pass of one connection attempt) aborts the exchange
 * at once, whatever the deadline: a torn-down attempt leaves no request behind.
 */
export async function getJson(
  url: string,
  headers: Record<string, string>,
  timeoutMs = REST_TIMEOUT_MS,
  signal?: AbortSignal,
  limitBytes = REST_BODY_LIMIT_BYTES,
): Promise<unknown> {
  const path = new URL(url).pathname;
  if (signal?.aborted) throw new RestError(`GET ${path} aborted`);
  if (globalThis.fetch !== builtinFetch)
    return viaFetch(url, path, headers, timeoutMs, signal, limitBytes);
  let answer: Answer;
  try {
    answer = await get(url, headers, timeoutMs, signal, limitBytes);
  } catch (err) {
    throw new RestError(`GET ${path} failed: ${(err as Error).message}`);
  }
  if (answer.status < 200 || answer.status > 299) {
    throw new RestError(
      `GET ${path} answered HTTP ${answer.status}`,
      answer.status,
      parseRetryAfter(answer.retryAfter),
    );
  }
  try {
    return JSON.parse(answer.body) as unknown;
  } catch {
    throw new RestError(`GET ${path} answered something that is not JSON`);
  }
}

/** The previous implementation, for a replaced global fetch. */
async function viaFetch(
  url: string,
  path: string,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  limitBytes: number,
): Promise<unknown> {
  let res: Response;
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    res = await fetch(url, {
      headers,
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
    });
  } catch (err) {
    throw new RestError(`GET ${path} failed: ${(err as Error).message}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new RestError(
      `GET ${path} answered HTTP ${res.status}`,
      res.status,
      parseRetryAfter(res.headers.get('retry-after')),
    );
  }
  let text: string;
  try {
    text = await readBounded(res, limitBytes);
  } catch (err) {
    throw new RestError(`GET ${path} failed: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch {
    throw new RestError(`GET ${path} answered something that is not JSON`);
  }
}

/** The error past the cap: names the cap, so the line the user sees says which limit was hit. */
function tooLarge(limitBytes: number): Error {
  return new Error(`answer larger than the ${formatBytes(limitBytes)} limit, not read`);
}

/** A fetch body as UTF-8 text, read chunk by chunk and cancelled as soon as it passes the cap. */
async function readBounded(res: Response, limitBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > limitBytes) {
    await res.body?.cancel();
    throw tooLarge(limitBytes);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel();
      throw tooLarge(limitBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Leave an answer unread: closing its connection, not draining it (its body may never end). */
function discard(res: IncomingMessage): void {
  res.on('error', () => undefined); // destroying an unfinished answer errors it: nobody listens
  res.destroy();
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'),
  );
}

function get(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  limitBytes: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let abort: ((err: Error) => void) | undefined;
    const onAbort = () => {
      const err = new Error('aborted');
      abort?.(err);
      finish(err);
    };
    const finish = (err: Error | undefined, answer?: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(answer as Answer);
    };
    // Like AbortSignal.timeout: unref'd, so a hanging call never keeps a stopping process alive.
    const timer = setTimeout(() => {
      const err = new Error(`timed out after ${timeoutMs} ms`);
      abort?.(err);
      finish(err);
    }, timeoutMs);
    timer.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
    let current: ClientRequest | undefined;

    const go = (target: URL, sent: Record<string, string>, redirectsLeft: number) => {
      const send =
        target.protocol === 'https:'
          ? httpsRequest
          : target.protocol === 'http:'
            ? httpRequest
            : undefined;
      if (!send) return finish(new Error(`unsupported protocol ${target.protocol}`));
      const req = send(
        target,
        { method: 'GET', headers: { accept: 'application/json', ...sent } },
        (res) => {
          const status = res.statusCode ?? 0;
          const location = (res.headers as IncomingHttpHeaders).location;
          if (REDIRECTS.has(status) && location) {
            discard(res);
            if (redirectsLeft === 0) return finish(new Error('too many redirects'));
            const next = new URL(location, target);
            const keep = next.origin === target.origin ? sent : withoutAuthorization(sent);
            return go(next, keep, redirectsLeft - 1);
          }
          if (status < 200 || status > 299) {
            discard(res);
            const retryAfter = res.headers['retry-after'];
            return finish(undefined, {
              status,
              body: '',
              ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
            });
          }
          const declared = Number(res.headers['content-length'] ?? Number.NaN);
          if (declared > limitBytes) {
            discard(res);
            return finish(tooLarge(limitBytes));
          }
          const chunks: Buffer[] = [];
          let total = 0;
          res.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (total > limitBytes) {
              discard(res);
              return finish(tooLarge(limitBytes));
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            finish(undefined, {
              status,
              body: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
            });
          });
          res.on('error', (err) => finish(err));
        },
      );
      abort = (err) => req.destroy(err);
      // Only the request in flight settles the call: one left for a redirect may still error.
      req.on('error', (err) => {
        if (current === req) finish(err);
      });
      current = req;
      req.end();
    };
    go(new URL(url), headers, MAX_REDIRECTS);
  });
}
