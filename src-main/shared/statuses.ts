// The status model both sides speak (docs/headless.md): the normalized order statuses, which of
// them end an order, which a user may be alerted about, and the states of a connection. Pure data,
// safe for the window; the engine re-exports it from engine/types.ts and engine/status.ts.

export const STATUSES = [
  'pending',
  'on_hold',
  'processing',
  'completed',
  'failed',
  'canceled',
  'expired',
  'refunded',
  'deleted',
] as const;
export type NormalizedStatus = (typeof STATUSES)[number];

/** Which normalized statuses end an order (a table, so a new status cannot be forgotten here). */
export const TERMINAL: Readonly<Record<NormalizedStatus, boolean>> = {
  pending: false,
  on_hold: false,
  processing: false,
  completed: true,
  failed: true,
  canceled: true,
  expired: true,
  refunded: true,
  deleted: true,
};

export function isTerminal(status: NormalizedStatus): boolean {
  return TERMINAL[status];
}

/**
 * How a finished order is counted: a refund (money back) and an expiry (nothing was paid) are not
 * failures, and each has its own count; `ok` ends are not counted. A table, so a new status must
 * be placed here.
 */
export const END_COUNT: Readonly<
  Record<NormalizedStatus, 'failed' | 'refunded' | 'expired' | 'ok' | null>
> = {
  pending: null,
  on_hold: null,
  processing: null,
  completed: 'ok',
  failed: 'failed',
  canceled: 'failed',
  expired: 'expired',
  refunded: 'refunded',
  deleted: 'failed',
};

/** Terminal statuses a user can choose to be alerted about. */
export type AlertableStatus = Exclude<NormalizedStatus, 'pending' | 'on_hold' | 'processing'>;

/**
 * Every terminal status, in the status model's order: the ones a user may be alerted about (the
 * settings' checkboxes and the default preferences alike).
 */
export const ALERTABLE_STATUSES: readonly AlertableStatus[] = STATUSES.filter(
  (s): s is AlertableStatus => isTerminal(s),
);

export const CONNECTION_STATES = [
  'connecting',
  'connected',
  'reconnecting',
  'offline',
  'auth_failed',
] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];
