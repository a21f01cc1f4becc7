// Protocol conformance of the loopback simulators is tested in this folder, one file per provider
// plus the shared fault controls, garbage input and the demo, driven by RAW clients (ws,
// socket.io-client, fetch), never by the engine: if these pass, the simulators speak the providers'
// protocols, and the engine tests built on them (test/integration/<provider>.test.ts) test the engine
// rather than the simulators. Every wait is bounded.
//
// This module is what those files share: the raw clients, an inbox that waits for "the next frame
// that matters", and bounded waits. Each test file registers `afterEach(runCleanups)` so that every
// simulator, socket and server a test opens is closed after it, last opened first.
import { io as ioClient, type Socket as IoSocket } from 'socket.io-client';
import { expect } from 'vitest';
import WebSocket from 'ws';
import type { Simulator } from '../../../src-main/simulator/types.js';

export type Json = Record<string, unknown>;

export const WAIT_MS = 2_000;
/** How long "nothing arrives" is watched for: far above a loopback round trip (~0.1 ms). */
export const QUIET_MS = 250;

// ---- bounded waiting helpers ----------------------------------------------------------------------

/** What the running test opened; `runCleanups` closes it, last opened first. */
export const cleanups: (() => unknown)[] = [];

export async function runCleanups(): Promise<void> {
  const all = cleanups.splice(0).reverse();
  for (const cleanup of all) await cleanup();
}

export function track<T extends Simulator>(sim: T): T {
  cleanups.push(() => sim.close());
  return sim;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until(condition: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
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
export class Inbox<T> {
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

export interface WsClient {
  ws: WebSocket;
  inbox: Inbox<Json>;
  texts: string[];
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
}

export function wsClient(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
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
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
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

export async function closesWithin(client: WsClient, ms = WAIT_MS): Promise<{ code: number }> {
  return Promise.race([
    client.closed,
    sleep(ms).then(() => {
      throw new Error(`socket not closed within ${ms} ms`);
    }),
  ]);
}

export interface IoClient {
  socket: IoSocket;
  inbox: Inbox<Json>;
}

export function ozClient(url: string, auth: Json): IoClient {
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

export function ioConnected(client: IoClient): Promise<void> {
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

export async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(WAIT_MS) });
  return { status: res.status, body: (await res.json()) as Json };
}

export const byType = (type: string) => (m: Json) => m.type === type;

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** A GET that reports whatever comes back (any status, any body); rejects on a network error. */
export async function getRaw(
  url: string,
  headers: Record<string, string> = {},
  ms = WAIT_MS,
): Promise<RawAnswer> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(ms) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
