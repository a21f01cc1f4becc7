// The lines of the headless NDJSON stream (docs/headless.md), which are also the events the window
// receives over the bridge. Types only, safe for the window; engine/types.ts re-exports them.
import type { ProviderKey } from './providers.js';
import type { ConnectionState, NormalizedStatus } from './statuses.js';

/** What is known about an order besides its status; every field optional, shown when present. */
export interface OrderDetails {
  pair?: string;
  amountIn?: string;
  currencyIn?: string;
  amountOut?: string;
  currencyOut?: string;
  txHash?: string;
  reason?: string;
}

interface LineBase {
  source: string;
  provider: ProviderKey;
  at: string;
}

export interface ConnectionLine extends LineBase {
  kind: 'connection';
  state: ConnectionState;
  detail?: string;
}

export interface OrderLine extends LineBase {
  kind: 'order';
  orderId: string;
  status: NormalizedStatus;
  terminal: boolean;
  providerStatus: string;
  details?: OrderDetails;
}

export interface ActivityLine extends LineBase {
  kind: 'activity';
  event: string;
  entityId?: string;
  detail?: string;
}

export interface AlertLine extends LineBase {
  kind: 'alert';
  orderId: string;
  status: NormalizedStatus;
  title: string;
  body: string;
}

/**
 * Something the user must know that is not one order's status (docs/headless.md). `source` and
 * `provider` are present when it concerns one source.
 */
export interface ProblemLine {
  kind: 'problem';
  source?: string;
  provider?: ProviderKey;
  /** Stable, machine-readable (e.g. `unverified_after_gap`). */
  code: string;
  detail: string;
  /** `unverified_after_gap`: when the gap began (the source was last seen connected). */
  since?: string;
  /** `unverified_after_gap`: the orders concerned (bounded; `count` says how many in all). */
  orderIds?: string[];
  count?: number;
  at: string;
}

/** The states of one alert at one `notify` target (docs/config.md). */
export const DELIVERY_STATES = ['delivered', 'retrying', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * The fate of one alert at one `notify` target (docs/headless.md): delivered, failed for now and
 * retried, or given up (after 24 h; a `problem` line with code `delivery_failed` says so too).
 */
export interface DeliveryLine extends LineBase {
  kind: 'delivery';
  /** The target's id from the config. */
  target: string;
  orderId: string;
  status: NormalizedStatus;
  state: DeliveryState;
  /** Which attempt this was, from 1 (counted across restarts). */
  attempt: number;
  /** Set when the alert went out inside a quiet-hours summary: the summary's id. */
  summary?: string;
}

/** One line of the headless NDJSON stream (docs/headless.md). */
export type EngineEvent =
  ConnectionLine | OrderLine | ActivityLine | AlertLine | ProblemLine | DeliveryLine;
