// One connection lifecycle for every plain-WebSocket provider: connect with a handshake deadline and
// a payload cap, wait for the provider's own "you are in", keep a heartbeat with a silence deadline
// (the only way to notice a half-open TCP link in seconds rather than hours), reconnect with
// jittered backoff, resubscribe, and stop cleanly. Adapters only speak their wire protocol.
import WebSocket from 'ws';
import {
  AUTH_FAILED_BACKOFF,
  DEFAULT_BACKOFF,
  backoffDelay,
  type BackoffPolicy,
} from './backoff.js';
import { safeUrl } from './log.js';
import type { Source, SourceContext } from './source.js';
import type { ConnectionState, ProviderKey } from './types.js';

/** The live connection as an adapter sees it. */
export interface WsLink {
  send(text: string): void;
  sendJson(message: unknown): void;
  /** The provider confirmed the session (welcome, subscribe ack…): state becomes `connected`. */
  ready(): void;
  /** The provider refused the credentials: no fast retries. */
  authFailed(detail: string): void;
}

export interface WsEndpoint {
  url: string;
  headers?: Record<string, string>;
}

/** What a plain-WebSocket provider adapter implements. */
export interface WsProtocol {
  readonly defaultHeartbeatMs: number;
  endpoint(): WsEndpoint;
  /** Socket is open: send the subscribe messages; call `link.ready()` when the provider agrees. */
  onOpen(link: WsLink): void;
  onMessage(text: string, link: WsLink): void;
  /** The provider's own keepalive frame, sent every heartbeat beside a WebSocket ping. */
  keepalive?(link: WsLink): void;
  /** A refused upgrade or a close code that means "bad credentials": return the reason. */
  authFailure?(event: {
    httpStatus?: number;
    closeCode?: number;
    reason?: string;
  }): string | undefined;
  /** After `ready()`: catch up over REST on reconnects (and first connects, where it helps). */
  afterReady?(info: { reconnect: boolean }): Promise<void> | void;
  watch(orderId: string, link: WsLink | undefined): void;
  unwatch(orderId: string, link: WsLink | undefined): void;
  /** The source is stopping for good: clear the adapter's own timers. */
  dispose?(): void;
}

export interface SupervisorOptions {
  heartbeatIntervalMs?: number;
  /** TCP + TLS + upgrade, then the provider's own handshake, must finish within this. */
  handshakeTimeoutMs?: number;
  maxPayloadBytes?: number;
  backoff?: BackoffPolicy;
  authBackoff?: BackoffPolicy;
  /** Consecutive failed attempts after which the state reads `offline` (retries go on). */
  offlineAfterAttempts?: number;
  /** A connection that lived this long resets the backoff; shorter ones keep escalating. */
  stableAfterMs?: number;
  random?: () => number;
}

export const SUPERVISOR_DEFAULTS = {
  handshakeTimeoutMs: 10_000,
  maxPayloadBytes: 1024 * 1024,
  offlineAfterAttempts: 4,
  stableAfterMs: 5_000,
} as const;

export class WsSupervisor implements Source {
  private ws: WebSocket | undefined;
  private state: ConnectionState | undefined;
  private stopped = true;
  private attempt = 0;
  private everConnected = false;
  private readyAt = 0;
  private authFailedDetail: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private pingSentAt = 0;
  private link: WsLink | undefined;
  private readonly heartbeatMs: number;
  private readonly opts: Required<Omit<SupervisorOptions, 'heartbeatIntervalMs'>>;

  constructor(
    readonly id: string,
    readonly provider: ProviderKey,
    private readonly protocol: WsProtocol,
    private readonly ctx: SourceContext,
    options: SupervisorOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatIntervalMs ?? protocol.defaultHeartbeatMs;
    this.opts = {
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? SUPERVISOR_DEFAULTS.handshakeTimeoutMs,
      maxPayloadBytes: options.maxPayloadBytes ?? SUPERVISOR_DEFAULTS.maxPayloadBytes,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      authBackoff: options.authBackoff ?? AUTH_FAILED_BACKOFF,
      offlineAfterAttempts:
        options.offlineAfterAttempts ?? SUPERVISOR_DEFAULTS.offlineAfterAttempts,
      stableAfterMs: options.stableAfterMs ?? SUPERVISOR_DEFAULTS.stableAfterMs,
      random: options.random ?? Math.random,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    this.protocol.dispose?.();
    const ws = this.ws;
    this.ws = undefined;
    this.link = undefined;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 500);
        ws.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'client shutdown');
        else ws.terminate();
      });
    }
    this.setState('offline', 'stopped');
  }

  reconnectNow(): void {
    if (this.stopped) return;
    this.attempt = 0;
    this.authFailedDetail = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const ws = this.ws;
    if (ws) {
      this.dropSocket(ws);
      // dropSocket schedules a backoff retry; replace it with an immediate one.
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    this.connect();
  }

  watch(orderId: string): void {
    this.protocol.watch(orderId, this.state === 'connected' ? this.link : undefined);
  }

  unwatch(orderId: string): void {
    this.protocol.unwatch(orderId, this.state === 'connected' ? this.link : undefined);
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    const { url, headers } = this.protocol.endpoint();
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, {
        headers,
        handshakeTimeout: this.opts.handshakeTimeoutMs,
        maxPayload: this.opts.maxPayloadBytes,
        perMessageDeflate: false,
      });
    } catch (err) {
      this.ctx.log.error({ url: safeUrl(url), err: (err as Error).message }, 'cannot open socket');
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    let link: WsLink | undefined;
    let sawUpgradeFailure = false;

    // Covers the provider-level handshake too (welcome, subscribe ack): a server that accepts the
    // socket but never says hello is as dead as one that never answers.
    this.handshakeTimer = setTimeout(() => {
      this.ctx.log.warn({ source: this.id }, 'handshake timed out');
      this.dropSocket(ws);
    }, this.opts.handshakeTimeoutMs);

    ws.on('unexpected-response', (_req, res) => {
      sawUpgradeFailure = true;
      const detail = this.protocol.authFailure?.({ httpStatus: res.statusCode });
      res.resume();
      if (detail) this.onAuthFailed(ws, detail);
      else {
        this.ctx.log.warn({ source: this.id, status: res.statusCode }, 'upgrade refused');
        this.dropSocket(ws);
      }
    });

    ws.on('open', () => {
      if (ws !== this.ws) return;
      link = this.makeLink(ws);
      this.link = link;
      this.armDeadline();
      try {
        this.protocol.onOpen(link);
      } catch (err) {
        this.ctx.protocolError(`onOpen failed: ${(err as Error).message}`);
      }
    });

    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (ws !== this.ws || !link) return;
      this.deadlineTimer?.refresh();
      this.ctx.heard();
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      try {
        this.protocol.onMessage(text, link);
      } catch (err) {
        this.ctx.protocolError(`handler failed: ${(err as Error).message}`, text);
      }
    });

    ws.on('pong', () => {
      if (ws !== this.ws) return;
      this.deadlineTimer?.refresh();
      if (this.pingSentAt) {
        this.ctx.rtt(performance.now() - this.pingSentAt);
        this.pingSentAt = 0;
      }
    });

    ws.on('close', (code: number, reason: Buffer) => {
      if (ws !== this.ws) return;
      const why = reason.toString();
      const detail = this.protocol.authFailure?.({ closeCode: code, reason: why });
      if (detail) {
        this.onAuthFailed(ws, detail);
        return;
      }
      this.ctx.log.info({ source: this.id, code, reason: why }, 'connection closed');
      this.dropSocket(ws);
    });

    ws.on('error', (err: Error) => {
      if (ws !== this.ws) return;
      if (!sawUpgradeFailure) {
        this.ctx.log.warn({ source: this.id, err: err.message }, 'socket error');
      }
      // 'close' follows 'error' for an opened socket; for a failed connect it may not.
      this.dropSocket(ws);
    });
  }

  private makeLink(ws: WebSocket): WsLink {
    return {
      send: (text) => {
        if (ws === this.ws && ws.readyState === WebSocket.OPEN) ws.send(text);
      },
      sendJson: (message) => {
        if (ws === this.ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
      },
      ready: () => {
        if (ws !== this.ws || this.state === 'connected') return;
        clearTimeout(this.handshakeTimer);
        const reconnect = this.everConnected;
        this.everConnected = true;
        this.readyAt = Date.now();
        this.authFailedDetail = undefined;
        this.setState('connected');
        this.startHeartbeat(ws);
        const after = this.protocol.afterReady?.({ reconnect });
        if (after) {
          after.catch((err: Error) =>
            this.ctx.log.warn({ source: this.id, err: err.message }, 'catch-up failed'),
          );
        }
      },
      authFailed: (detail) => {
        if (ws === this.ws) this.onAuthFailed(ws, detail);
      },
    };
  }

  private startHeartbeat(ws: WebSocket): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => {
      if (ws !== this.ws || ws.readyState !== WebSocket.OPEN) return;
      this.pingSentAt = performance.now();
      ws.ping();
      if (this.link) this.protocol.keepalive?.(this.link);
    }, this.heartbeatMs);
    this.heartbeatTimer.unref?.();
  }

  /** Two heartbeat periods of total silence (no frame, no pong) means the link is dead. */
  private armDeadline(): void {
    clearTimeout(this.deadlineTimer);
    const ws = this.ws;
    this.deadlineTimer = setTimeout(() => {
      if (ws !== this.ws || !ws) return;
      this.ctx.log.warn(
        { source: this.id, silentMs: 2 * this.heartbeatMs },
        'no traffic within the heartbeat deadline: connection presumed half-open',
      );
      this.dropSocket(ws);
    }, 2 * this.heartbeatMs);
  }

  private onAuthFailed(ws: WebSocket, detail: string): void {
    this.authFailedDetail = detail;
    this.teardown(ws);
    this.setState('auth_failed', detail);
    this.attempt += 1;
    this.schedule(this.opts.authBackoff, true);
  }

  private dropSocket(ws: WebSocket): void {
    if (ws !== this.ws) return;
    const wasReady = this.state === 'connected';
    const stable = wasReady && Date.now() - this.readyAt >= this.opts.stableAfterMs;
    this.teardown(ws);
    if (this.stopped) return;
    this.attempt = stable ? 0 : this.attempt + 1;
    if (this.authFailedDetail) {
      // A failed retry after bad credentials stays in the slow lane until they work again.
      this.setState('auth_failed', this.authFailedDetail);
      this.schedule(this.opts.authBackoff, true);
      return;
    }
    this.setState(
      this.attempt >= this.opts.offlineAfterAttempts ? 'offline' : 'reconnecting',
      this.attempt >= this.opts.offlineAfterAttempts ? 'provider unreachable' : undefined,
    );
    this.scheduleRetry();
  }

  private teardown(ws: WebSocket): void {
    this.clearTimers();
    this.ws = undefined;
    this.link = undefined;
    ws.removeAllListeners('message');
    ws.on('error', () => {}); // late errors on a socket we have let go of
    ws.terminate();
  }

  private scheduleRetry(): void {
    this.schedule(this.opts.backoff, false);
  }

  private schedule(policy: BackoffPolicy, equalJitter: boolean): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    const n = Math.max(0, this.attempt - 1);
    let delay = backoffDelay(policy, n, this.opts.random);
    // After bad credentials, never retry sooner than half the ceiling: no storm, even by chance.
    if (equalJitter) delay = Math.round(delay / 2 + backoffDelay(policy, n, () => 1) / 2);
    this.ctx.log.debug({ source: this.id, delay, attempt: this.attempt }, 'retry scheduled');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
  }

  private clearTimers(): void {
    clearTimeout(this.handshakeTimer);
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.deadlineTimer);
    clearTimeout(this.retryTimer);
    this.handshakeTimer = this.heartbeatTimer = this.deadlineTimer = this.retryTimer = undefined;
    this.pingSentAt = 0;
  }

  private setState(state: ConnectionState, detail?: string): void {
    if (state === this.state && state !== 'auth_failed') return;
    this.state = state;
    this.ctx.connection(state, detail);
  }
}
