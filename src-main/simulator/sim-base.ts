// Plumbing shared by the five simulators: the http server and the fault proxy in front of it, the
// frame log, the stats, the script runner and orderly shutdown (BaseSimulator), plus the upgrade,
// auth and bookkeeping of a plain `ws` server (WsHub) for the four providers that are not socket.io.
// A provider file then holds only its wire protocol.
import { randomBytes } from 'node:crypto';
import { STATUS_CODES, createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { RawData } from 'ws';
import type { ProviderKey } from '../engine/types.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { RestFaults, type RestFault, type RestVerdict } from './rest-faults.js';
import { findRoute, type RestCall, type RestRoute } from './rest-routes.js';
import { strictOf } from './strict.js';
import type {
  ReceivedFrame,
  RestRequestRecord,
  ScriptStep,
  Simulator,
  SimulatorStats,
} from './types.js';

/** The frame log is for assertions and debugging; a long demo run must not grow it forever. */
const MAX_FRAMES = 10_000;
/** Far above any real message of these protocols; a client sending more is misbehaving. */
const MAX_PAYLOAD_BYTES = 1024 * 1024;

export type Json = Record<string, unknown>;

/** Parses a frame that should be a JSON object; anything else (garbage, arrays, numbers) is undefined. */
export function parseJsonObject(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Json)
      : undefined;
  } catch {
    return undefined;
  }
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function isoNow(): string {
  return new Date().toISOString();
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The REST stand-ins are read-only: anything but GET gets 405. True when the call was answered. */
export function refuseNonGet(call: RestCall): boolean {
  if (call.req.method === 'GET') return false;
  sendJson(call.res, 405, { error: 'method not allowed' });
  return true;
}

/** A request's URL, or undefined for a request line too broken to parse (it matches no route). */
export function requestUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return undefined;
  }
}

function listenHttp(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (typeof address === 'object' && address) resolve(address.port);
      else reject(new Error('http server has no port'));
    });
  });
}

/**
 * Records what is written to `res` (status, headers, body) instead of sending it; `release()` sends
 * it as written. For an answer built now and delivered later, whatever the handler calls.
 */
function holdOutput(res: ServerResponse): { release(): void } {
  const NAMES = ['writeHead', 'write', 'end'] as const;
  const held: Array<() => void> = [];
  const own = NAMES.map((name) => Object.getOwnPropertyDescriptor(res, name));
  for (const name of NAMES) {
    const original = res[name] as (...args: unknown[]) => unknown;
    Object.defineProperty(res, name, {
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => {
        held.push(() => original.apply(res, args));
        return name === 'write' ? true : res;
      },
    });
  }
  return {
    release() {
      for (const [i, name] of NAMES.entries()) {
        const descriptor = own[i];
        if (descriptor) Object.defineProperty(res, name, descriptor);
        else Reflect.deleteProperty(res, name);
      }
      // The client may have given up meanwhile: nothing to deliver to then.
      if (res.destroyed) return;
      for (const send of held.splice(0)) send();
    },
  };
}

function answerInternalError(res: ServerResponse): void {
  if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
  else res.destroy();
}

function rawToBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * Everything a simulator has besides its wire protocol. Subclasses attach their ws / socket.io
 * server to `this.http` in their constructor; the start function then awaits `listen()`.
 */
export abstract class BaseSimulator implements Simulator {
  abstract readonly provider: ProviderKey;
  abstract readonly url: string;
  readonly received: ReceivedFrame[] = [];
  readonly restRequests: RestRequestRecord[] = [];
  readonly strict: boolean;
  protected readonly http: Server;
  protected readonly counters = { authFailures: 0, restCalls: 0, restEndlessBytes: 0 };
  private readonly restByEndpoint = new Map<string, number>();
  private readonly restFaults = new RestFaults();
  protected closed = false;
  private proxy: FaultProxy | undefined;
  private lastConnection = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Resolvers of scripts still running, so close() can settle them instead of leaving them hanging. */
  private readonly scriptEnds = new Set<() => void>();
  private closing: Promise<void> | undefined;

  protected constructor(
    readonly credentials: Record<string, string>,
    options: { strict?: boolean } = {},
  ) {
    this.strict = strictOf(options);
    this.http = createServer((req, res) => {
      try {
        this.handleHttp(req, res);
      } catch {
        answerInternalError(res);
      }
    });
    // Keep-alive REST connections would otherwise hold close() open.
    this.http.keepAliveTimeout = 1000;
  }

  abstract setStatus(
    orderId: string,
    status: string | number,
    opts?: { restOnly?: boolean; market?: string },
  ): void;
  abstract replay(orderId: string, status: string | number): void;
  abstract emitActivity(event: string, entityId?: string): void;
  abstract sendRaw(text: string): void;
  abstract connections(): number;
  abstract orders(): Map<string, string | number>;
  /** Forget every client on the server side right away (restart, close). */
  protected abstract disconnectAll(): void;
  /** Release the protocol server (ws / socket.io) before the http server closes. */
  protected abstract shutdown(): Promise<void>;
  /** The TCP sockets under every client connection (for `burst`). */
  protected abstract clientSockets(): Iterable<Corkable | undefined>;

  burst(fn: () => void): void {
    const sockets = [...this.clientSockets()].filter((s): s is Corkable => s !== undefined);
    for (const socket of sockets) socket.cork();
    try {
      fn();
    } finally {
      for (const socket of sockets) socket.uncork();
    }
  }

  /** The provider's REST endpoints; the default is a provider without REST. */
  protected restRoutes(): readonly RestRoute[] {
    return [];
  }

  setRestFault(fault: RestFault | undefined): void {
    this.restFaults.set(fault);
  }

  // Every REST request: routed, counted and logged, then met by the current fault (if any), then
  // served by the provider's handler. Paths that are no endpoint get 404 and are not counted.
  private handleHttp(req: IncomingMessage, res: ServerResponse): void {
    const url = requestUrl(req);
    const hit = url && findRoute(this.restRoutes(), url.pathname);
    if (!url || !hit) {
      sendJson(res, 404, { error: 'not found' });
      return;
    }
    const endpoint = hit.route.path;
    this.counters.restCalls += 1;
    this.restByEndpoint.set(endpoint, (this.restByEndpoint.get(endpoint) ?? 0) + 1);
    this.restRequests.push({
      at: Date.now(),
      method: req.method ?? '',
      path: url.pathname + url.search,
      endpoint,
    });
    if (this.restRequests.length > MAX_FRAMES)
      this.restRequests.splice(0, this.restRequests.length - MAX_FRAMES);
    const serve = () => hit.route.handle({ req, res, url, params: hit.params });
    this.meetFault(this.restFaults.verdict(Date.now()), res, serve);
  }

  private meetFault(verdict: RestVerdict, res: ServerResponse, serve: () => void): void {
    switch (verdict.kind) {
      case 'serve':
        if (verdict.delayMs <= 0) serve();
        else {
          this.later(verdict.delayMs, () => {
            try {
              serve();
            } catch {
              answerInternalError(res);
            }
          });
        }
        return;
      case 'serveLate': {
        // The handler answers now (its snapshot is of this moment); the bytes leave later.
        const held = holdOutput(res);
        try {
          serve();
        } catch {
          answerInternalError(res);
        }
        this.later(verdict.ms, () => held.release());
        return;
      }
      case 'answer':
        sendJson(res, verdict.status, verdict.body, verdict.headers);
        return;
      case 'hang':
        // Left open: close() (or the client giving up) ends it.
        return;
      case 'reset':
        res.socket?.destroy();
        return;
      case 'endless':
        this.pourEndless(res, verdict.status);
        return;
    }
  }

  // `[` and then spaces for ever: never valid JSON, never finished. Written only as fast as the
  // client reads (backpressure), so the simulator itself stays small.
  private pourEndless(res: ServerResponse, status: number): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.write('[');
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pour = () => {
      while (!res.destroyed && !this.closed) {
        this.counters.restEndlessBytes += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pour);
      }
      if (!res.destroyed) res.destroy();
    };
    pour();
  }

  /** A timer that close() cancels. */
  protected later(ms: number, fn: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Starts the http server on a free loopback port and the fault proxy in front of it. */
  async listen(): Promise<void> {
    const backendPort = await listenHttp(this.http);
    this.proxy = await startFaultProxy(backendPort);
  }

  /** The public (proxy) port: what every client connects to. */
  protected get port(): number {
    if (!this.proxy) throw new Error(`${this.provider} simulator is not listening yet`);
    return this.proxy.port;
  }

  /** Same port as the stream, as the providers' own REST origins are their stream hosts. */
  get restUrl(): string | undefined {
    return this.restRoutes().length > 0 ? `http://127.0.0.1:${this.port}` : undefined;
  }

  get stats(): Readonly<SimulatorStats> {
    return {
      accepted: this.proxy?.accepted ?? 0,
      authFailures: this.counters.authFailures,
      restCalls: this.counters.restCalls,
      restByEndpoint: Object.fromEntries(this.restByEndpoint),
      restEndlessBytes: this.counters.restEndlessBytes,
    };
  }

  protected newConnectionId(): number {
    this.lastConnection += 1;
    return this.lastConnection;
  }

  protected logFrame(connection: number, text: string): void {
    this.received.push({ at: Date.now(), connection, text });
    if (this.received.length > MAX_FRAMES)
      this.received.splice(0, this.received.length - MAX_FRAMES);
  }

  drop(): void {
    this.proxy?.drop();
  }

  halfOpen(on: boolean): void {
    this.proxy?.halfOpen(on);
  }

  async restart(): Promise<void> {
    if (this.closed || !this.proxy) return;
    // The proxy stops accepting synchronously, so no client slips in between the two steps.
    const restarting = this.proxy.restart();
    this.disconnectAll();
    await restarting;
  }

  runScript(steps: readonly ScriptStep[], speed = 1): Promise<void> {
    if (!(speed > 0) || !Number.isFinite(speed)) {
      return Promise.reject(new RangeError(`speed must be a positive number, got ${speed}`));
    }
    if (this.closed || steps.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      let left = steps.length;
      const end = (): void => {
        this.scriptEnds.delete(end);
        resolve();
      };
      this.scriptEnds.add(end);
      for (const step of steps) {
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            this.runStep(step);
            left -= 1;
            if (left === 0) end();
          },
          Math.max(0, step.after) / speed,
        );
        this.timers.add(timer);
      }
    });
  }

  private runStep(step: ScriptStep): void {
    try {
      if ('activity' in step) this.emitActivity(step.activity, step.orderId);
      else {
        this.setStatus(step.orderId, step.status, {
          ...(step.restOnly !== undefined && { restOnly: step.restOnly }),
          ...(step.market !== undefined && { market: step.market }),
        });
      }
    } catch (err) {
      // A bad step must not take the whole process down from a timer; say so on stderr.
      process.emitWarning(`${this.provider} simulator: script step failed: ${String(err)}`);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const end of [...this.scriptEnds]) end();
    await this.proxy?.close();
    this.disconnectAll();
    await this.shutdown();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => {
      if (!this.http.listening) return resolve();
      this.http.close(() => resolve());
    });
  }

  /** Wires a plain `ws` server to this simulator's http server, frame log and connection ids. */
  protected attachWs<S>(options: WsHubOptions<S>): WsHub<S> {
    return new WsHub(this.http, options, {
      nextId: () => this.newConnectionId(),
      log: (id, text) => this.logFrame(id, text),
    });
  }
}

/** What `burst` needs of a socket. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/** The net.Socket under a `ws` WebSocket (`_socket` is internal to ws, stable across v8). */
export function underlyingSocket(ws: unknown): Corkable | undefined {
  return (ws as { _socket?: Corkable | null } | undefined)?._socket ?? undefined;
}

export type UpgradeVerdict = { ok: true } | { ok: false; status: number; message: string };

export interface WsPeer<S> {
  readonly id: number;
  readonly socket: WebSocket;
  readonly state: S;
}

export interface WsHubOptions<S> {
  /** The only path that upgrades; others get 404. */
  path: string;
  /** Decides at the HTTP upgrade, before any WebSocket exists (header / query auth). */
  verify(req: IncomingMessage): UpgradeVerdict;
  init(req: IncomingMessage): S;
  onOpen?(peer: WsPeer<S>): void;
  onText(peer: WsPeer<S>, text: string): void;
}

/** Answers an upgrade request with a plain HTTP error, as servers that check auth at upgrade do. */
function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** A `ws` server in noServer mode: upgrade checks, per-connection state, logging, safe sends. */
export class WsHub<S> {
  readonly peers = new Set<WsPeer<S>>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD_BYTES,
  });

  constructor(
    http: Server,
    private readonly options: WsHubOptions<S>,
    private readonly sim: { nextId(): number; log(id: number, text: string): void },
  ) {
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => undefined);
      try {
        this.upgrade(req, socket, head);
      } catch {
        socket.destroy();
      }
    });
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = requestUrl(req);
    if (url?.pathname !== this.options.path) {
      rejectUpgrade(socket, 404, 'not found');
      return;
    }
    const verdict = this.options.verify(req);
    if (!verdict.ok) {
      rejectUpgrade(socket, verdict.status, verdict.message);
      return;
    }
    const state = this.options.init(req);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, state));
  }

  private accept(socket: WebSocket, state: S): void {
    const peer: WsPeer<S> = { id: this.sim.nextId(), socket, state };
    this.peers.add(peer);
    socket.on('error', () => undefined);
    socket.on('close', () => this.peers.delete(peer));
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const bytes = rawToBuffer(data);
      const text = isBinary ? `<binary ${bytes.length} bytes>` : bytes.toString('utf8');
      this.sim.log(peer.id, text);
      if (isBinary) return;
      try {
        this.options.onText(peer, text);
      } catch {
        // A handler bug or odd input must never take the server down.
      }
    });
    try {
      this.options.onOpen?.(peer);
    } catch {
      // As above.
    }
  }

  /** Sends a JSON value (or a string verbatim) if the socket is still open. */
  send(peer: WsPeer<S>, message: unknown): void {
    if (peer.socket.readyState !== WebSocket.OPEN) return;
    peer.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  broadcast(message: unknown, filter: (peer: WsPeer<S>) => boolean = () => true): void {
    for (const peer of this.peers) if (filter(peer)) this.send(peer, message);
  }

  count(filter: (peer: WsPeer<S>) => boolean = () => true): number {
    let n = 0;
    for (const peer of this.peers)
      if (peer.socket.readyState === WebSocket.OPEN && filter(peer)) n++;
    return n;
  }

  sockets(): Iterable<Corkable | undefined> {
    return [...this.peers].map((peer) => underlyingSocket(peer.socket));
  }

  /** Destroys every socket without a close frame (the proxy has usually reset them already). */
  terminateAll(): void {
    for (const peer of this.peers) peer.socket.terminate();
    this.peers.clear();
  }

  close(): Promise<void> {
    this.terminateAll();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}

/**
 * A simulator whose clients are plain WebSockets held by one WsHub (all but the socket.io one): the
 * hub knows how to cut, cork and close its clients, so each provider only speaks its protocol.
 */
export abstract class WsSimulator<S> extends BaseSimulator {
  protected abstract readonly hub: WsHub<S>;

  protected disconnectAll(): void {
    this.hub.terminateAll();
  }

  protected clientSockets(): Iterable<Corkable | undefined> {
    return this.hub.sockets();
  }

  protected shutdown(): Promise<void> {
    return this.hub.close();
  }
}
