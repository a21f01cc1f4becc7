// The engine's vocabulary. Everything a face (CLI, Electron, web mode) sees is built from these
// types; the NDJSON lines of docs/headless.md are exactly `EngineEvent`.

import type { ProviderKey } from '../shared/providers.js';

// The provider vocabulary is shared with the window, so it lives in shared/; re-exported here so
// engine code reads all of its vocabulary from one module.
export { PROVIDERS, PROVIDER_NAMES, isProviderKey, type ProviderKey } from '../shared/providers.js';

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

export const CONNECTION_STATES = [
  'connecting',
  'connected',
  'reconnecting',
  'offline',
  'auth_failed',
] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

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

/** One normalized observation of an order, as an adapter reports it. */
export interface OrderUpdate {
  orderId: string;
  status: NormalizedStatus;
  /** The provider's own code or event name, kept verbatim (numbers as decimal strings). */
  providerStatus: string;
  details?: OrderDetails;
}

/** A provider event that is not about an order: never alerts. */
export interface ActivityUpdate {
  event: string;
  entityId?: string;
  detail?: string;
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

/** One line of the headless NDJSON stream (docs/headless.md). */
export type EngineEvent = ConnectionLine | OrderLine | ActivityLine | AlertLine | ProblemLine;
