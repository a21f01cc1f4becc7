// When to try again after a connection attempt ends, and what the state reads meanwhile: one
// planner for every provider. Pure (clock and randomness injected); the caller owns the timer.
import {
  AUTH_FAILED_BACKOFF,
  DEFAULT_BACKOFF,
  backoffCeiling,
  backoffDelay,
  type BackoffPolicy,
} from './backoff.js';
import type { ConnectionState } from './types.js';

/** A backoff policy and how its delays are jittered. */
export interface RetryLane {
  policy: BackoffPolicy;
  /**
   * `full`: uniform in [0, ceiling] (spreads a crowd best). `equal`: uniform in [ceiling / 2,
   * ceiling], never sooner than half the ceiling — for lanes that must stay slow even by chance.
   */
  jitter: 'full' | 'equal';
}

/** Ordinary reconnects: 500 ms × 2ⁿ, capped at 30 s, full jitter. */
export const RECONNECT_LANE: RetryLane = { policy: DEFAULT_BACKOFF, jitter: 'full' };

/** After bad credentials: 30–60 s, doubling to 15–30 min. Retrying fast cannot fix a key. */
export const AUTH_FAILED_LANE: RetryLane = { policy: AUTH_FAILED_BACKOFF, jitter: 'equal' };

/** The delay before the next try, after `failures` consecutive failed attempts (≥ 1). */
export function laneDelay(lane: RetryLane, failures: number, random: () => number): number {
  const n = Math.max(0, failures - 1);
  const delay = backoffDelay(lane.policy, n, random);
  if (lane.jitter === 'full') return delay;
  return Math.round(delay / 2 + backoffCeiling(lane.policy, n) / 2);
}

export interface RetryOptions {
  lane: RetryLane;
  authLane: RetryLane;
  /** Consecutive failed attempts after which the state reads `offline` (retries go on). */
  offlineAfterFailures: number;
  /** The `detail` beside `offline`. */
  offlineDetail: string;
  /**
   * A session (`ready()`) that lived this long resets the count when it drops; shorter ones keep
   * escalating. Default 0: any accepted session does.
   */
  stableAfterMs?: number;
  random?: () => number;
  now?: () => number;
}

/** What to show and how long to wait before the next attempt. */
export interface RetryPlan {
  state: Extract<ConnectionState, 'reconnecting' | 'offline' | 'auth_failed'>;
  detail?: string;
  delayMs: number;
}

export class RetryPlanner {
  private failureCount = 0;
  private readyAt: number | undefined;
  private authDetail: string | undefined;

  private readonly stableAfterMs: number;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly o: RetryOptions) {
    this.stableAfterMs = o.stableAfterMs ?? 0;
    this.random = o.random ?? Math.random;
    this.now = o.now ?? Date.now;
  }

  /** Consecutive failed attempts so far. */
  get failures(): number {
    return this.failureCount;
  }

  /** The provider accepted the session: credentials work again. */
  ready(): void {
    this.readyAt = this.now();
    this.authDetail = undefined;
  }

  /** An attempt or a live connection ended for any reason but bad credentials. */
  dropped(): RetryPlan {
    const stable = this.readyAt !== undefined && this.now() - this.readyAt >= this.stableAfterMs;
    this.readyAt = undefined;
    this.failureCount = stable ? 0 : this.failureCount + 1;
    if (this.authDetail !== undefined) {
      // A failed retry after bad credentials stays in the slow lane until they work again.
      return this.plan('auth_failed', this.authDetail, this.o.authLane);
    }
    const offline = this.failureCount >= this.o.offlineAfterFailures;
    return offline
      ? this.plan('offline', this.o.offlineDetail, this.o.lane)
      : this.plan('reconnecting', undefined, this.o.lane);
  }

  /** The provider refused the credentials: the slow lane, until a session is accepted. */
  authFailed(detail: string): RetryPlan {
    this.authDetail = detail;
    this.readyAt = undefined;
    this.failureCount += 1;
    return this.plan('auth_failed', detail, this.o.authLane);
  }

  /** Start afresh (the user or the system asked to reconnect now). */
  reset(): void {
    this.failureCount = 0;
    this.readyAt = undefined;
    this.authDetail = undefined;
  }

  private plan(state: RetryPlan['state'], detail: string | undefined, lane: RetryLane): RetryPlan {
    const delayMs = laneDelay(lane, this.failureCount, this.random);
    return detail === undefined ? { state, delayMs } : { state, detail, delayMs };
  }
}
