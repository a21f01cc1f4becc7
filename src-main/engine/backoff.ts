// Reconnect delays: exponential with full jitter and a cap (AWS "Exponential Backoff and Jitter").
// Full jitter spreads a crowd of clients reconnecting after an outage instead of synchronising them.

export interface BackoffPolicy {
  /** Delay ceiling of the first retry, in ms. */
  baseMs: number;
  /** No delay is ever longer than this. */
  capMs: number;
  /** Growth per attempt (2 = doubling). */
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000, factor: 2 };

/** Slow lane after bad credentials: retrying fast cannot help and may get the key locked. */
export const AUTH_FAILED_BACKOFF: BackoffPolicy = { baseMs: 60_000, capMs: 30 * 60_000, factor: 2 };

/** Upper bound of the delay before retry number `attempt` (0-based). */
export function backoffCeiling(policy: BackoffPolicy, attempt: number): number {
  const exp = policy.baseMs * Math.pow(policy.factor, Math.max(0, attempt));
  return Math.min(policy.capMs, exp);
}

/** Full jitter: uniform in [0, ceiling]; `random` is injectable for table-driven tests. */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  return Math.round(random() * backoffCeiling(policy, attempt));
}
