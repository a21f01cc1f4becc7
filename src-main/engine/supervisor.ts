// One connection lifecycle for every plain-WebSocket provider: connect with a handshake deadline and
// a payload cap, wait for the provider's own "you are in", keep a heartbeat with a silence deadline
// (the only way to notice a half-open TCP link in seconds rather than hours), reconnect with
// jittered backoff, resubscribe, and stop cleanly. Adapters only speak their wire protocol.
//
// The supervisor holds at most one live attempt (`ws-attempt.ts`: one socket, one undo list) or
// one wait before the next; starting either ends the other, so a stale socket can never act.
import WebSocket from 'ws';
import { AUTH_FAILED_BACKOFF, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import type { CatchUp, CatchUpPort } from './catch-up.js';
import { MAX_FRAME_BYTES } from './frame-limit.js';
import { safeUrl } from './log.js';
import { RetryPlanner, type RetryPlan } from './retry.js';
import type { Source, SourceContext } from './source.js';
import type { ConnectionState, ProviderKey } from './types.js';
import { UndoSlot, type UndoList } from './undo-list.js';
import { WsAttempt, type AttemptEnd } from './ws-attempt.js';

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

/**
 * What a plain-WebSocket provider adapter implements. Its catch-up (`lookup` / `list`, see
 * catch-up.ts) is run by the engine after every ready, never by the adapter itself.
 */
export interface WsProtocol extends CatchUpPort {
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
  /** The source's catch-up: a pass starts with every ready attempt and ends with it. */
  catchUp?: CatchUp;
}

export const SUPERVISOR_DEFAULTS = {
  handshakeTimeoutMs: 10_000,
  maxPayloadBytes: MAX_FRAME_BYTES,
  offlineAfterAttempts: 4,
  stableAfterMs: 5_000,
} as const;

export class WsSupervisor implements Source {
  private attempt: WsAttempt | undefined;
  /** The timer before the next attempt, while there is no live one. */
  private readonly wait = new UndoSlot();
  private state: ConnectionState | undefined;
  private running = false;
  private everConnected = false;
  private readonly planner: RetryPlanner;
  private readonly heartbeatMs: number;
  private readonly handshakeTimeoutMs: number;
  private readonly maxPayloadBytes: number;
  private readonly catchUp: CatchUp | undefined;

  constructor(
    readonly id: string,
    readonly provider: ProviderKey,
    private readonly protocol: WsProtocol,
    private readonly ctx: SourceContext,
    options: SupervisorOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatIntervalMs ?? protocol.defaultHeartbeatMs;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? SUPERVISOR_DEFAULTS.handshakeTimeoutMs;
    this.maxPayloadBytes = options.maxPayloadBytes ?? SUPERVISOR_DEFAULTS.maxPayloadBytes;
    this.catchUp = options.catchUp;
    this.planner = new RetryPlanner({
      lane: { policy: options.backoff ?? DEFAULT_BACKOFF, jitter: 'full' },
      authLane: { policy: options.authBackoff ?? AUTH_FAILED_BACKOFF, jitter: 'equal' },
      offlineAfterFailures:
        options.offlineAfterAttempts ?? SUPERVISOR_DEFAULTS.offlineAfterAttempts,
      offlineDetail: 'provider unreachable',
      stableAfterMs: options.stableAfterMs ?? SUPERVISOR_DEFAULTS.stableAfterMs,
      random: options.random ?? Math.random,
      now: Date.now,
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wait.end();
    this.protocol.dispose?.();
    const attempt = this.attempt;
    this.attempt = undefined;
    await attempt?.shutdown();
    this.setState('offline', 'stopped');
  }

  reconnectNow(): void {
    if (!this.running) return;
    this.planner.reset();
    this.attempt?.dispose();
    this.attempt = undefined;
    this.connect();
  }

  watch(orderId: string): void {
    this.protocol.watch(orderId, this.liveLink());
  }

  unwatch(orderId: string): void {
    this.protocol.unwatch(orderId, this.liveLink());
  }

  /** The link to send on, only while the provider has accepted the session. */
  private liveLink(): WsLink | undefined {
    return this.state === 'connected' ? this.attempt?.link : undefined;
  }

  private connect(): void {
    this.wait.end();
    this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    const { url, headers } = this.protocol.endpoint();
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, {
        headers,
        handshakeTimeout: this.handshakeTimeoutMs,
        maxPayload: this.maxPayloadBytes,
        perMessageDeflate: false,
      });
    } catch (err) {
      this.ctx.log.error({ url: safeUrl(url), err: (err as Error).message }, 'cannot open socket');
      this.retry(this.planner.dropped());
      return;
    }
    this.attempt = new WsAttempt(
      ws,
      this.protocol,
      this.ctx,
      {
        heartbeatMs: this.heartbeatMs,
        handshakeTimeoutMs: this.handshakeTimeoutMs,
        maxPayloadBytes: this.maxPayloadBytes,
      },
      { ready: (undo) => this.onReady(undo), ended: (end) => this.onEnded(end) },
    );
  }

  private onReady(undo: UndoList): void {
    this.everConnected = true;
    this.planner.ready();
    this.setState('connected');
    // After EVERY ready, first connect included: a server is never assumed to replay.
    this.catchUp?.ready(undo);
  }

  private onEnded(end: AttemptEnd): void {
    this.attempt = undefined;
    const plan =
      end.authFailure === undefined
        ? this.planner.dropped()
        : this.planner.authFailed(end.authFailure);
    this.retry(plan);
  }

  private retry(plan: RetryPlan): void {
    this.setState(plan.state, plan.detail);
    this.ctx.log.debug({ delay: plan.delayMs, attempt: this.planner.failures }, 'retry scheduled');
    this.wait.begin().timeout(() => this.connect(), plan.delayMs);
  }

  private setState(state: ConnectionState, detail?: string): void {
    if (state === this.state && state !== 'auth_failed') return;
    this.state = state;
    this.ctx.connection(state, detail);
  }
}
