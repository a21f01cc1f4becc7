// OZZOBiT (its "WebSockets" page): socket.io, not a plain WebSocket. The config URL goes to
// socket.io-client as is (its path `/ws` is the namespace), `auth: {apiKey, env}`,
// `subscribe:order` / `subscribe:partner` after every connect, `order:update` pushes with an
// `event` name, 30 s heartbeat. socket.io keeps its own reconnection, set to the page's figures (5
// attempts, 1 s delay); what it lacks comes from the engine's shared lifecycle pieces, as for every
// provider: the heartbeat with its silence deadline and round trip (`heartbeat.ts`), the handshake
// deadline, and the retry lanes (`retry.ts`) for `auth_failed`, for another round after socket.io's
// 5 attempts, and for the attempts socket.io never retries by itself (the server's own disconnect,
// a namespace handshake that never completes).
import type { Socket, io as Connect } from 'socket.io-client';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../backoff.js';
import type { CatchUp, LookupResult } from '../catch-up.js';
import type { SourceConfigOf } from '../config.js';
import { Heartbeat } from '../heartbeat.js';
import { frameTooLargeMessage, isFrameTooLarge } from '../frame-limit.js';
import { getJson, RestError } from '../rest.js';
import { AUTH_FAILED_LANE, RetryPlanner, type RetryPlan } from '../retry.js';
import type { Source, SourceContext } from '../source.js';
import { SUPERVISOR_DEFAULTS } from '../supervisor.js';
import { ownRow, type StatusTable } from '../status.js';
import { UndoList, UndoSlot } from '../undo-list.js';
import type { OrderDetails } from '../types.js';
import { isObject, str } from '../wire.js';
import { z } from 'zod';
import { orderIds, restOrigin, secret, sourceSchema } from '../source-schema.js';
import type { AuthFailureTable, EngineProvider } from './descriptor.js';
import { GENEROUS_HORIZON_DAYS } from '../retention.js';

/**
 * The page's "Supported Events" that are about an order, mapped as the status model,
 * docs/headless.md says.
 */
export const OZZOBIT_STATUS: StatusTable = {
  ORDER_CREATED: { status: 'pending', label: 'created' },
  ORDER_PROCESSING: { status: 'processing', label: 'processing' },
  ORDER_COMPLETED: { status: 'completed', label: 'completed' },
  ORDER_FAILED: { status: 'failed', label: 'failed' },
  ORDER_CANCELLED: { status: 'canceled', label: 'cancelled' },
};

/**
 * The states of OZZOBiT's REST order API (not on the WebSockets page, docs/config.md), for a lookup
 * that answers one instead of an event name. The state is kept verbatim as providerStatus.
 */
export const OZZOBIT_REST_STATES: StatusTable = {
  PENDING_PAYMENT: { status: 'pending', label: 'pending payment' },
  PROCESSING: { status: 'processing', label: 'processing' },
  COMPLETED: { status: 'completed', label: 'completed' },
  FAILED: { status: 'failed', label: 'failed' },
  CANCELLED: { status: 'canceled', label: 'cancelled' },
};

/**
 * The page describes no auth errors: a `connect_error` while the socket is no longer active is the
 * namespace middleware refusing the API key or env.
 */
const AUTH_REFUSALS = {
  'message connect_error': 'connection refused',
} as const satisfies AuthFailureTable;

export interface OzzobitTimings {
  heartbeatMs: number;
  reconnectionAttempts: number;
  reconnectionDelay: number;
  reconnectionDelayMax: number;
  /**
   * socket.io's engine connect, and separately the namespace handshake after it (socket.io has no
   * deadline of its own for the latter).
   */
  handshakeTimeoutMs: number;
  /** After socket.io gives up: its next round of attempts starts 50–100 % of this later. */
  slowRetryMs: number;
  /** Backoff after the server's own disconnect or a namespace handshake past its deadline. */
  retryBackoff: BackoffPolicy;
  /** A connection that lived this long before the server ended it resets that backoff. */
  stableAfterMs: number;
  /** Largest frame read; a longer one is refused from its header and the connection reopened. */
  maxPayloadBytes: number;
}

/** The page's "Connection Details". */
export const OZZOBIT_DEFAULTS: Readonly<OzzobitTimings> = {
  heartbeatMs: 30_000,
  reconnectionAttempts: 5,
  reconnectionDelay: 1_000,
  reconnectionDelayMax: 5_000,
  handshakeTimeoutMs: 10_000,
  /** After socket.io gives up (5 attempts), try again this often rather than never. */
  slowRetryMs: 60_000,
  // As every plain-WebSocket provider: a server that ends every connection is retried at
  // 500 ms × 2ⁿ up to 30 s, not at once (648 connects in 2 s would get the key banned).
  retryBackoff: DEFAULT_BACKOFF,
  stableAfterMs: SUPERVISOR_DEFAULTS.stableAfterMs,
  // socket.io-client sets no limit of its own in Node: the same as every WebSocket provider's.
  maxPayloadBytes: SUPERVISOR_DEFAULTS.maxPayloadBytes,
};

export type OzzobitTuning = Partial<OzzobitTimings> & {
  /** The backoff's jitter source (tests pin it). */
  random?: () => number;
};

/**
 * socket.io-client, loaded when the first OZZOBiT source starts: the only provider that needs it,
 * and a service or desktop app without an OZZOBiT source is ~2 MB smaller without it (bench figure
 * 8). Once loaded, every later start opens its socket synchronously.
 */
let socketIo: typeof Connect | undefined;
let socketIoLoading: Promise<typeof Connect> | undefined;
function loadSocketIo(): Promise<typeof Connect> {
  socketIoLoading ??= import('socket.io-client').then((m) => (socketIo = m.io));
  return socketIoLoading;
}

export class OzzobitSource implements Source {
  readonly provider = 'ozzobit' as const;
  private socket: Socket | undefined;
  /** Our listeners on the socket and its Manager, from `start()` to `stop()`. */
  private session: UndoList | undefined;
  /** The heartbeat and the traffic tap of one connection, from `connect` to `disconnect`. */
  private readonly connection: UndoSlot;
  /** The timer before our next attempt (a new round of socket.io's, or one it would not make). */
  private readonly wait: UndoSlot;
  /** The namespace handshake's deadline, from the engine's open to the namespace's connect. */
  private readonly handshake: UndoSlot;
  private everConnected = false;
  /** Between `start()` and the first load of socket.io-client; `stop()` clears it. */
  private loading = false;
  /** Rounds of socket.io's own attempts that all failed. */
  private readonly rounds: RetryPlanner;
  /** Attempts socket.io does not retry: server disconnects, handshakes past their deadline. */
  private readonly attempts: RetryPlanner;
  private readonly t: OzzobitTimings;

  constructor(
    private readonly cfg: SourceConfigOf<'ozzobit'>,
    private readonly ctx: SourceContext,
    tuning: OzzobitTuning = {},
    /** The engine's catch-up: a pass per connect, ended with the connection. */
    private readonly catchUp?: CatchUp,
  ) {
    catchUp?.use(this);
    const { random, ...timings } = tuning;
    this.t = {
      ...OZZOBIT_DEFAULTS,
      ...(cfg.heartbeatIntervalMs ? { heartbeatMs: cfg.heartbeatIntervalMs } : {}),
      ...timings,
    };
    const undoFailed = (err: unknown) =>
      ctx.log.warn({ err: (err as Error)?.message ?? String(err) }, 'teardown step failed');
    this.connection = new UndoSlot(undoFailed);
    this.wait = new UndoSlot(undoFailed);
    this.handshake = new UndoSlot(undoFailed);
    this.rounds = new RetryPlanner({
      // Each failure counted here is a whole round of socket.io's own attempts: the source reads
      // `offline` after the first, and the next round comes 50–100 % of `slowRetryMs` later.
      lane: {
        policy: { baseMs: this.t.slowRetryMs, capMs: this.t.slowRetryMs, factor: 1 },
        jitter: 'equal',
      },
      authLane: AUTH_FAILED_LANE,
      offlineAfterFailures: 1,
      offlineDetail: `gave up after ${this.t.reconnectionAttempts} attempts`,
      ...(random ? { random } : {}),
    });
    this.attempts = new RetryPlanner({
      lane: { policy: this.t.retryBackoff, jitter: 'full' },
      authLane: AUTH_FAILED_LANE,
      offlineAfterFailures: SUPERVISOR_DEFAULTS.offlineAfterAttempts,
      offlineDetail: 'the server keeps ending the connection',
      stableAfterMs: this.t.stableAfterMs,
      ...(random ? { random } : {}),
    });
  }

  get id(): string {
    return this.cfg.id;
  }

  start(): void {
    if (this.socket || this.loading) return;
    if (socketIo) return this.open(socketIo);
    this.loading = true;
    loadSocketIo().then(
      (io) => {
        if (!this.loading) return; // stopped meanwhile
        this.loading = false;
        this.open(io);
      },
      (err: unknown) => {
        this.loading = false;
        this.ctx.log.error({ err: (err as Error)?.message ?? String(err) }, 'socket.io-client');
        this.ctx.connection('offline', 'socket.io-client could not be loaded');
      },
    );
  }

  private open(io: typeof Connect): void {
    const socket = io(this.cfg.url, {
      auth: { apiKey: this.cfg.apiKey, env: this.cfg.env },
      transports: ['websocket'],
      // Handed to ws, which refuses a longer frame from its header, before buffering any of it.
      transportOptions: { websocket: { maxPayload: this.t.maxPayloadBytes } },
      reconnection: true,
      reconnectionAttempts: this.t.reconnectionAttempts,
      reconnectionDelay: this.t.reconnectionDelay,
      reconnectionDelayMax: this.t.reconnectionDelayMax,
      randomizationFactor: 0.5,
      timeout: this.t.handshakeTimeoutMs,
      autoConnect: false,
      forceNew: true,
    });
    this.socket = socket;
    const session = new UndoList();
    this.session = session;
    this.ctx.connection('connecting');

    session.listen(socket, 'connect', () => this.onConnect(socket));
    session.listen(socket, 'order:update', (data: unknown) => this.onUpdate(data));
    session.listen(socket, 'disconnect', (reason: Socket.DisconnectReason, description?: unknown) =>
      this.onDisconnect(socket, reason, description),
    );
    session.listen(socket, 'connect_error', (err: Error) => this.onConnectError(socket, err));
    // The Manager's emitter only takes its own event names, hence on/off by hand.
    const onGaveUp = () => this.retryLater(socket, this.rounds.dropped());
    socket.io.on('reconnect_failed', onGaveUp);
    session.add(() => socket.io.off('reconnect_failed', onGaveUp));
    // The engine is open; socket.io now sends the namespace CONNECT and would wait for ever.
    const onEngineOpen = () => this.awaitNamespace(socket);
    socket.io.on('open', onEngineOpen);
    session.add(() => socket.io.off('open', onEngineOpen));
    // Registered last, so undone first: no timer of this session outlives its listeners.
    session.add(() => this.handshake.end());
    session.add(() => this.wait.end());
    session.add(() => this.connection.end());
    socket.connect();
  }

  async stop(): Promise<void> {
    this.loading = false;
    const socket = this.socket;
    this.socket = undefined;
    this.session?.run();
    this.session = undefined;
    // Our listeners are gone, so the 'io client disconnect' that follows reaches no one.
    socket?.disconnect();
    this.ctx.connection('offline', 'stopped');
  }

  reconnectNow(): void {
    const socket = this.socket;
    if (!socket) return;
    this.wait.end();
    this.handshake.end();
    this.rounds.reset();
    this.attempts.reset();
    this.connection.end();
    socket.disconnect();
    this.ctx.connection('reconnecting');
    socket.connect();
  }

  watch(orderId: string): void {
    if (this.socket?.connected) this.socket.emit('subscribe:order', { orderId });
  }

  unwatch(): void {
    // The page has no unsubscribe event: the engine stops tracking the order.
  }

  // The namespace accepted us (socket.io CONNECT packet `40/ws,{"sid":"Jx1-6bq0f2oZ7hVfAAAD"}`):
  // subscribe again, since subscriptions do not outlive a connection, and start its heartbeat.
  private onConnect(socket: Socket): void {
    this.wait.end();
    this.handshake.end();
    // socket.io starts its own backoff afresh on every connect; our lane for its rounds follows it.
    this.rounds.reset();
    // Ours only once the connection has lived `stableAfterMs`: a server that accepts and kicks at
    // once must meet a growing delay, not a fresh one.
    this.attempts.ready();
    this.everConnected = true;
    this.ctx.connection('connected');
    if (this.cfg.allOrders) socket.emit('subscribe:partner');
    for (const orderId of this.ctx.watched()) socket.emit('subscribe:order', { orderId });
    const connection = this.startHeartbeat(socket);
    // The page promises no answer to a subscribe: look every open order up, after every connect.
    this.catchUp?.ready(connection);
  }

  // `GET {restUrl}/api/v2/orders/{orderId}` with `Authorization: Bearer <apiKey>` (docs/config.md),
  // the order bare or as `{"data": order}`:
  //   {"orderId":"ord_8f3a2c","status":"COMPLETED","amount":"250.00","currency":"EUR","txHash":"0x…"}
  // `status` is an event name (`ORDER_COMPLETED`) or a REST state (`COMPLETED`); `id` may stand for
  // `orderId`. A 404 means OZZOBiT does not know the order.
  async lookup(orderId: string, signal: AbortSignal): Promise<LookupResult> {
    let body: unknown;
    try {
      body = await getJson(
        `${this.cfg.restUrl}/api/v2/orders/${encodeURIComponent(orderId)}`,
        { Authorization: `Bearer ${this.cfg.apiKey}` },
        undefined,
        signal,
      );
    } catch (err) {
      if (err instanceof RestError && err.status === 404) return 'unknown';
      throw err;
    }
    const order = isObject(body) && isObject(body.data) ? body.data : body;
    if (!isObject(order)) throw new Error('GET /api/v2/orders/{id} answered no order object');
    const state = str(order.status);
    const id = str(order.orderId) ?? str(order.id) ?? orderId;
    const mapped =
      state === undefined
        ? undefined
        : Object.hasOwn(OZZOBIT_STATUS, state)
          ? OZZOBIT_STATUS[state]
          : Object.hasOwn(OZZOBIT_REST_STATES, state)
            ? OZZOBIT_REST_STATES[state]
            : undefined;
    if (!state || !mapped) throw new Error(`GET /api/v2/orders/{id}: unusable status ${state}`);
    return { orderId: id, status: mapped.status, providerStatus: state, details: details(order) };
  }

  // The page's heartbeat: every interval we emit `ping` (`42/ws,["ping"]`) and the server answers
  // with an `order:update` whose event is PONG:
  //   42/ws,["order:update",{"event":"PONG","timestamp":"2025-03-14T09:26:53.589Z"}]
  // (a bare `PONG` event is accepted too). Every inbound packet, and engine.io's own ping (`2`),
  // proves the link alive and pushes the silence deadline back.
  private startHeartbeat(socket: Socket): UndoList {
    const undo = this.connection.begin();
    const heartbeat = new Heartbeat(undo, {
      intervalMs: this.t.heartbeatMs,
      log: this.ctx.log,
      ping: () => socket.emit('ping'),
      // Closing the engine (not the socket) lets socket.io's own reconnection take over.
      expired: () => socket.io.engine.close(),
      rtt: (ms) => this.ctx.rtt(ms),
    });
    const tap = (event: string, data?: unknown) => {
      this.ctx.heard();
      if (isPong(event, data)) heartbeat.pong();
      else heartbeat.heard();
    };
    socket.onAny(tap);
    undo.add(() => socket.offAny(tap));
    const onEnginePing = () => {
      this.ctx.heard();
      heartbeat.heard();
    };
    socket.io.on('ping', onEnginePing);
    undo.add(() => socket.io.off('ping', onEnginePing));
    this.ctx.heard(); // the CONNECT packet is traffic too
    heartbeat.start();
    return undo;
  }

  // Every `order:update` the page's "Supported Events" table lists, with the fields its "Data
  // Included" column names, as the handler receives them (packet `42/ws,["order:update",{…}]`):
  //   {"event":"ORDER_CREATED","orderId":"ord_8f3a2c","amount":"250.00","currency":"EUR","timestamp":"2025-03-14T09:26:53.589Z"}
  //   {"event":"ORDER_PROCESSING","orderId":"ord_8f3a2c","amount":"250.00","currency":"EUR","step":"PAYMENT_CONFIRMATION","timestamp":"2025-03-14T09:27:10.204Z"}
  //   {"event":"ORDER_COMPLETED","orderId":"ord_8f3a2c","amount":"250.00","currency":"EUR","txHash":"0x5b2e9c0f7a1d4e8b3c6a9f2e5d8b1c4a7f0e3d6b9c2a5f8e1d4b7a0c3f6e9d41f","timestamp":"2025-03-14T09:31:02.957Z"}
  //   {"event":"ORDER_FAILED","orderId":"ord_91d0e7","amount":"80.00","currency":"EUR","reason":"Payment declined by card issuer","errorCode":"PAYMENT_DECLINED","timestamp":"2025-03-14T09:28:45.030Z"}
  //   {"event":"ORDER_CANCELLED","orderId":"ord_c44b19","amount":"120.00","currency":"EUR","cancelledBy":"USER","timestamp":"2025-03-14T09:29:13.671Z"}
  //   {"event":"KYC_STATUS_CHANGED","userId":"usr_41c7","newStatus":"APPROVED","timestamp":"2025-03-14T09:30:00.418Z"}
  //   {"event":"PONG","timestamp":"2025-03-14T09:30:30.002Z"}
  private onUpdate(data: unknown): void {
    if (!isObject(data))
      return this.ctx.protocolError('order:update without an object', String(data));
    const event = str(data.event);
    if (!event)
      return this.ctx.protocolError('order:update without an event', JSON.stringify(data));
    if (event === 'PONG') return; // the heartbeat's answer, timed by the connection's tap
    if (event === 'KYC_STATUS_CHANGED') {
      const userId = str(data.userId);
      const newStatus = str(data.newStatus);
      return this.ctx.activity({
        event,
        ...(userId ? { entityId: userId } : {}),
        ...(newStatus ? { detail: newStatus } : {}),
      });
    }
    const mapped = ownRow(OZZOBIT_STATUS, event);
    if (!mapped)
      return this.ctx.protocolError(`unknown OZZOBiT event "${event}"`, JSON.stringify(data));
    const orderId = str(data.orderId);
    if (!orderId) return this.ctx.protocolError(`${event} without orderId`, JSON.stringify(data));
    this.ctx.order({
      orderId,
      status: mapped.status,
      providerStatus: event,
      details: details(data),
    });
  }

  // `reason` is socket.io's: "transport close" (link lost), "ping timeout" (engine.io heartbeat),
  // "io server disconnect" (the server's `41/ws,`), "io client disconnect" (ours).
  private onDisconnect(
    socket: Socket,
    reason: Socket.DisconnectReason,
    description?: unknown,
  ): void {
    this.connection.end();
    this.handshake.end();
    if (reason === 'io client disconnect') return;
    if (isFrameTooLarge(description)) {
      // socket.io reconnects by itself ("transport error"); the catch-up then verifies the orders.
      const line = frameTooLargeMessage(this.t.maxPayloadBytes);
      this.ctx.log.warn(line);
      this.ctx.connection('reconnecting', line);
      return;
    }
    this.ctx.log.info({ reason }, 'disconnected');
    // socket.io does not come back by itself after the server's own disconnect: our backoff does,
    // and a server that ends every connection reads `offline` after a few.
    if (reason === 'io server disconnect') return this.retryLater(socket, this.attempts.dropped());
    this.ctx.connection('reconnecting', reason);
  }

  // The engine.io connection is open and socket.io has sent the namespace CONNECT (`40/ws,{…auth}`).
  // A server that never answers it (neither `40/ws,{"sid":…}` nor `44/ws,{…}`) leaves the socket
  // connecting for ever: the same deadline as every provider's handshake, then a failed attempt.
  private awaitNamespace(socket: Socket): void {
    if (socket.connected) return;
    this.handshake.begin().timeout(() => {
      this.handshake.end();
      this.ctx.log.warn({ ms: this.t.handshakeTimeoutMs }, 'namespace handshake timed out');
      // Not connected, so no 'disconnect' follows; socket.io's manager closes and does not retry.
      socket.disconnect();
      this.retryLater(socket, this.attempts.dropped());
    }, this.t.handshakeTimeoutMs);
  }

  // A refusal by the namespace middleware arrives as a CONNECT_ERROR packet (the page does not
  // word auth errors; this is how the simulator's middleware refuses a bad key)
  //   44/ws,{"message":"unauthorized: invalid API key"}
  // and leaves the socket inactive; a network failure leaves it active (socket.io retries).
  private onConnectError(socket: Socket, err: Error): void {
    this.handshake.end();
    if (!socket.active) {
      // Bad API key or env: the slow lane, no automatic retry storm.
      this.retryLater(
        socket,
        this.rounds.authFailed(`${AUTH_REFUSALS['message connect_error']}: ${err.message}`),
      );
      return;
    }
    this.ctx.connection(this.everConnected ? 'reconnecting' : 'connecting', err.message);
  }

  private retryLater(socket: Socket, plan: RetryPlan): void {
    this.ctx.connection(plan.state, plan.detail);
    this.ctx.log.debug({ delay: plan.delayMs, state: plan.state }, 'retry scheduled');
    this.wait.begin().timeout(() => {
      this.wait.end();
      this.ctx.connection(this.everConnected ? 'reconnecting' : 'connecting');
      socket.connect();
    }, plan.delayMs);
  }
}

/** The "Data Included" fields of an order, alike on the socket and in REST. */
function details(data: Record<string, unknown>): OrderDetails {
  const amount = str(data.amount);
  const currency = str(data.currency);
  const txHash = str(data.txHash);
  const reason = str(data.reason) ?? str(data.errorCode) ?? str(data.cancelledBy);
  return {
    ...(amount ? { amountIn: amount } : {}),
    ...(currency ? { currencyIn: currency } : {}),
    ...(txHash ? { txHash } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** The heartbeat's answer: a `PONG` (or `pong`) event, or an `order:update` carrying one. */
function isPong(event: string, data: unknown): boolean {
  if (event === 'PONG' || event === 'pong') return true;
  return event === 'order:update' && isObject(data) && data.event === 'PONG';
}

/** OZZOBiT as the engine registry sees it. */
const ozzobitSchema = sourceSchema('ozzobit', {
  apiKey: secret,
  env: z.enum(['STAGING', 'PRODUCTION']).default('PRODUCTION'),
  orders: orderIds.default([]),
  allOrders: z.boolean().default(false),
  restUrl: restOrigin.optional(),
});

export const OZZOBIT_PROVIDER: EngineProvider<typeof ozzobitSchema> = {
  schema: ozzobitSchema,
  statuses: OZZOBIT_STATUS,
  authFailures: AUTH_REFUSALS,
  defaultHeartbeatMs: OZZOBIT_DEFAULTS.heartbeatMs,
  // `GET {restUrl}/api/v2/orders/{orderId}` per known order; there is no list.
  catchUp: { mode: 'lookup', requires: 'restUrl' },
  // The page says nothing about how long an order can be subscribed to or looked up.
  resendHorizonDays: GENEROUS_HORIZON_DAYS,
  // socket.io brings its own reconnection: the adapter is a whole source, not a WebSocket protocol.
  connect: {
    kind: 'source',
    source: (cfg, ctx, tuning, catchUp) => new OzzobitSource(cfg, ctx, tuning.ozzobit, catchUp),
  },
};
