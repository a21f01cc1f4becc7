// OZZOBiT (seed 001): socket.io, not a plain WebSocket. The config URL goes to socket.io-client as
// is (its path `/ws` is the namespace), `auth: {apiKey, env}`, `subscribe:order` / `subscribe:partner`
// after every connect, `order:update` pushes with an `event` name, 30 s heartbeat. socket.io keeps
// its own reconnection, set to the seed's figures (5 attempts, 1 s delay); this adapter adds what it
// lacks: the app-level heartbeat deadline, `auth_failed`, and a slow retry after the 5 attempts.
import { io, type Socket } from 'socket.io-client';
import type { SourceConfigOf } from '../config.js';
import type { Source, SourceContext } from '../source.js';
import type { StatusTable } from '../status.js';
import { isObject, str } from '../wire.js';
import { z } from 'zod';
import { orderIds, secret, sourceSchema } from '../source-schema.js';
import type { AuthFailureTable, EngineProvider } from './descriptor.js';

/** Seed 001 "Supported Events" that are about an order, mapped as contract §2 says. */
export const OZZOBIT_STATUS: StatusTable = {
  ORDER_CREATED: { status: 'pending', label: 'created' },
  ORDER_PROCESSING: { status: 'processing', label: 'processing' },
  ORDER_COMPLETED: { status: 'completed', label: 'completed' },
  ORDER_FAILED: { status: 'failed', label: 'failed' },
  ORDER_CANCELLED: { status: 'canceled', label: 'cancelled' },
};

/**
 * The seed describes no auth errors: a `connect_error` while the socket is no longer active is the
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
  handshakeTimeoutMs: number;
  slowRetryMs: number;
}

/** Seed 001 "Connection Details". */
export const OZZOBIT_DEFAULTS: Readonly<OzzobitTimings> = {
  heartbeatMs: 30_000,
  reconnectionAttempts: 5,
  reconnectionDelay: 1_000,
  reconnectionDelayMax: 5_000,
  handshakeTimeoutMs: 10_000,
  /** After socket.io gives up (5 attempts), try again this often rather than never. */
  slowRetryMs: 60_000,
};

export type OzzobitTuning = Partial<OzzobitTimings>;

export class OzzobitSource implements Source {
  readonly provider = 'ozzobit' as const;
  private socket: Socket | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private slowTimer: NodeJS.Timeout | undefined;
  private pingSentAt = 0;
  private everConnected = false;
  private authFailed = false;
  private readonly t: OzzobitTimings;

  constructor(
    private readonly cfg: SourceConfigOf<'ozzobit'>,
    private readonly ctx: SourceContext,
    tuning: OzzobitTuning = {},
  ) {
    this.t = {
      ...OZZOBIT_DEFAULTS,
      ...(cfg.heartbeatIntervalMs ? { heartbeatMs: cfg.heartbeatIntervalMs } : {}),
      ...tuning,
    };
  }

  get id(): string {
    return this.cfg.id;
  }

  start(): void {
    if (this.socket) return;
    const socket = io(this.cfg.url, {
      auth: { apiKey: this.cfg.apiKey, env: this.cfg.env },
      transports: ['websocket'],
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
    this.ctx.connection('connecting');

    socket.on('connect', () => this.onConnect(socket));
    socket.on('order:update', (data: unknown) => this.onUpdate(data));
    socket.on('PONG', () => this.onPong());
    socket.on('pong', () => this.onPong());
    socket.onAny(() => this.alive());
    socket.io.on('ping', () => this.alive()); // engine.io heartbeat from the server
    socket.on('disconnect', (reason) => this.onDisconnect(socket, reason));
    socket.on('connect_error', (err: Error) => this.onConnectError(socket, err));
    socket.io.on('reconnect_failed', () => {
      this.ctx.connection('offline', `gave up after ${this.t.reconnectionAttempts} attempts`);
      this.scheduleSlowRetry();
    });
    socket.connect();
  }

  async stop(): Promise<void> {
    this.clearTimers();
    clearTimeout(this.slowTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.removeAllListeners();
      socket.io.removeAllListeners();
      socket.disconnect();
    }
    this.ctx.connection('offline', 'stopped');
  }

  reconnectNow(): void {
    const socket = this.socket;
    if (!socket) return;
    clearTimeout(this.slowTimer);
    this.authFailed = false;
    this.clearTimers();
    socket.disconnect();
    this.ctx.connection('reconnecting');
    socket.connect();
  }

  watch(orderId: string): void {
    if (this.socket?.connected) this.socket.emit('subscribe:order', { orderId });
  }

  unwatch(): void {
    // The seed has no unsubscribe event: the engine stops tracking the order.
  }

  private onConnect(socket: Socket): void {
    clearTimeout(this.slowTimer);
    this.authFailed = false;
    this.everConnected = true;
    this.ctx.connection('connected');
    if (this.cfg.allOrders) socket.emit('subscribe:partner');
    for (const orderId of this.ctx.watched()) socket.emit('subscribe:order', { orderId });
    this.startHeartbeat(socket);
  }

  private onUpdate(data: unknown): void {
    this.alive();
    if (!isObject(data))
      return this.ctx.protocolError('order:update without an object', String(data));
    const event = str(data.event);
    if (!event)
      return this.ctx.protocolError('order:update without an event', JSON.stringify(data));
    if (event === 'PONG') return this.onPong();
    if (event === 'KYC_STATUS_CHANGED') {
      const userId = str(data.userId);
      const newStatus = str(data.newStatus);
      return this.ctx.activity({
        event,
        ...(userId ? { entityId: userId } : {}),
        ...(newStatus ? { detail: newStatus } : {}),
      });
    }
    const mapped = OZZOBIT_STATUS[event];
    if (!mapped)
      return this.ctx.protocolError(`unknown OZZOBiT event "${event}"`, JSON.stringify(data));
    const orderId = str(data.orderId);
    if (!orderId) return this.ctx.protocolError(`${event} without orderId`, JSON.stringify(data));
    const amount = str(data.amount);
    const currency = str(data.currency);
    const txHash = str(data.txHash);
    const reason = str(data.reason) ?? str(data.errorCode) ?? str(data.cancelledBy);
    this.ctx.order({
      orderId,
      status: mapped.status,
      providerStatus: event,
      details: {
        ...(amount ? { amountIn: amount } : {}),
        ...(currency ? { currencyIn: currency } : {}),
        ...(txHash ? { txHash } : {}),
        ...(reason ? { reason } : {}),
      },
    });
  }

  private onDisconnect(socket: Socket, reason: Socket.DisconnectReason): void {
    this.clearTimers();
    if (socket !== this.socket || reason === 'io client disconnect') return;
    this.ctx.log.info({ reason }, 'disconnected');
    this.ctx.connection('reconnecting', reason);
    // socket.io does not come back by itself after the server's own disconnect.
    if (reason === 'io server disconnect') socket.connect();
  }

  private onConnectError(socket: Socket, err: Error): void {
    if (socket !== this.socket) return;
    if (!socket.active) {
      // The namespace middleware refused us: bad API key or env. No automatic retry storm.
      this.authFailed = true;
      this.ctx.connection(
        'auth_failed',
        `${AUTH_REFUSALS['message connect_error']}: ${err.message}`,
      );
      this.scheduleSlowRetry();
      return;
    }
    this.ctx.connection(this.everConnected ? 'reconnecting' : 'connecting', err.message);
  }

  private scheduleSlowRetry(): void {
    clearTimeout(this.slowTimer);
    // Half to full period, so a fleet of clients does not come back in step.
    const delay = this.t.slowRetryMs * (0.5 + Math.random() / 2);
    this.slowTimer = setTimeout(() => {
      if (!this.socket) return;
      this.ctx.connection(this.authFailed ? 'auth_failed' : 'reconnecting');
      this.socket.connect();
    }, delay);
  }

  private startHeartbeat(socket: Socket): void {
    this.clearTimers();
    this.alive();
    this.heartbeatTimer = setInterval(() => {
      this.pingSentAt = performance.now();
      socket.emit('ping');
    }, this.t.heartbeatMs);
    this.heartbeatTimer.unref?.();
  }

  /** Any inbound traffic pushes the half-open deadline (two heartbeat periods) back. */
  private alive(): void {
    this.ctx.heard();
    if (this.deadlineTimer) return void this.deadlineTimer.refresh();
    if (!this.socket?.connected) return;
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = undefined;
      const socket = this.socket;
      if (!socket?.connected) return;
      this.ctx.log.warn('no traffic within the heartbeat deadline: connection presumed half-open');
      // Closing the engine (not the socket) lets socket.io's own reconnection take over.
      socket.io.engine.close();
    }, 2 * this.t.heartbeatMs);
  }

  private onPong(): void {
    if (this.pingSentAt) this.ctx.rtt(performance.now() - this.pingSentAt);
    this.pingSentAt = 0;
  }

  private clearTimers(): void {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.deadlineTimer);
    this.heartbeatTimer = this.deadlineTimer = undefined;
    this.pingSentAt = 0;
  }
}

/** OZZOBiT as the engine registry sees it. */
const ozzobitSchema = sourceSchema('ozzobit', {
  apiKey: secret,
  env: z.enum(['STAGING', 'PRODUCTION']).default('PRODUCTION'),
  orders: orderIds.default([]),
  allOrders: z.boolean().default(false),
});

export const OZZOBIT_PROVIDER: EngineProvider<typeof ozzobitSchema> = {
  schema: ozzobitSchema,
  statuses: OZZOBIT_STATUS,
  authFailures: AUTH_REFUSALS,
  defaultHeartbeatMs: OZZOBIT_DEFAULTS.heartbeatMs,
  // The server answers `subscribe:order` with the order's current state; there is no list.
  catchUp: { mode: 'lookup' },
  // socket.io brings its own reconnection: the adapter is a whole source, not a WebSocket protocol.
  connect: {
    kind: 'source',
    source: (cfg, ctx, tuning) => new OzzobitSource(cfg, ctx, tuning.ozzobit),
  },
};
