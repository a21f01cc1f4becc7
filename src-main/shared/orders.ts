// What the engine keeps about an order, and the rules of its record that both sides apply: the
// key, the first record, the capped history, and how an order line moves a record on. Pure
// functions on plain data, safe for the window.
//
// The engine's store decides what an observation means (new, changed, repeat, a late regression)
// and updates its records in place, for speed at 10,000 orders. The window never decides: the
// engine emits an order line only for a new order or a real change, so the window replays each
// line with `applyOrderLine`, which builds a new record (its lists are `$state.raw` and rows are
// cached by record identity). Both build on `firstRecord` and `withTransition`, so the shape of a
// record and the history cap are one definition.
import { HISTORY_LIMIT } from './limits.js';
import type { OrderDetails, OrderLine } from './lines.js';
import type { ProviderKey } from './providers.js';
import { needsUser } from './needs-user.js';
import type { NormalizedStatus } from './statuses.js';

export interface Transition {
  status: NormalizedStatus;
  providerStatus: string;
  at: string;
}

export interface OrderRecord {
  source: string;
  provider: ProviderKey;
  orderId: string;
  status: NormalizedStatus;
  providerStatus: string;
  terminal: boolean;
  details?: OrderDetails;
  firstSeenAt: string;
  updatedAt: string;
  /** Oldest first, capped at HISTORY_LIMIT (the first transition is always kept). */
  history: Transition[];
  /**
   * Set when a source came back and could not verify this order: the gap began then (ISO 8601).
   * Cleared by the order's next update (live or REST), docs/headless.md.
   */
  unverifiedSince?: string;
  /** Why it could not be verified (a code of engine/catch-up.ts UNVERIFIED_REASONS). */
  unverifiedReason?: string;
}

/** One order across every source: source ids and order ids never contain NUL. */
export function orderKey(source: string, orderId: string): string {
  return `${source}\u0000${orderId}`;
}

/** The fields of a first observation (an order line has them all). */
export interface FirstObservation {
  source: string;
  provider: ProviderKey;
  orderId: string;
  status: NormalizedStatus;
  providerStatus: string;
  terminal: boolean;
  at: string;
  details?: OrderDetails | undefined;
}

/** The record of an order seen for the first time: one transition, details copied. */
export function firstRecord(o: FirstObservation): OrderRecord {
  const record: OrderRecord = {
    source: o.source,
    provider: o.provider,
    orderId: o.orderId,
    status: o.status,
    providerStatus: o.providerStatus,
    terminal: o.terminal,
    firstSeenAt: o.at,
    updatedAt: o.at,
    history: [{ status: o.status, providerStatus: o.providerStatus, at: o.at }],
  };
  if (o.details) record.details = { ...o.details };
  return record;
}

/**
 * The history with one more transition, as a new array of exactly its length; past HISTORY_LIMIT
 * the second-oldest goes, so the first sighting and the latest steps stay. Not `push`: V8 grows a
 * pushed array to 17 slots, and a finished order (two steps) kept for the retention period would
 * carry 136 bytes of empty slots; 15,000 of them are 2 MB of bench figure 8's year.
 */
export function withTransition(history: readonly Transition[], step: Transition): Transition[] {
  if (history.length < HISTORY_LIMIT) return history.concat([step]);
  return [history[0]!, ...history.slice(2), step];
}

/**
 * The record after an order line, as a new object (`known` is left as it was). The line carries
 * the engine's decision: its status and provider status are the new state, its details every
 * detail known so far, and `terminal` never goes back.
 */
export function applyOrderLine(known: OrderRecord | undefined, line: OrderLine): OrderRecord {
  if (!known) return firstRecord(line);
  const history = withTransition(known.history, {
    status: line.status,
    providerStatus: line.providerStatus,
    at: line.at,
  });
  const next: OrderRecord = {
    ...known,
    status: line.status,
    providerStatus: line.providerStatus,
    terminal: known.terminal || line.terminal,
    updatedAt: line.at,
    history,
  };
  if (line.details) next.details = { ...known.details, ...line.details };
  return next;
}

/**
 * Reason codes providers send in place of a sentence (OZZOBiT's `cancelledBy` and `errorCode`), in
 * words. A code not listed here is shown as a sentence made from its words ("CARD_EXPIRED" → "card
 * expired"); a sentence the provider wrote is shown as it is.
 */
export const REASON_WORDS: Readonly<Record<string, string>> = {
  USER: 'canceled by the customer',
  CUSTOMER: 'canceled by the customer',
  MERCHANT: 'canceled by the merchant',
  SYSTEM: 'canceled by the provider',
  ADMIN: 'canceled by the provider',
  TIMEOUT: 'timed out',
};

/** A provider's reason in words: a known code, a SCREAMING_SNAKE code as words, or as given. */
export function reasonWords(reason: string): string {
  const trimmed = reason.trim();
  if (Object.hasOwn(REASON_WORDS, trimmed)) return REASON_WORDS[trimmed] as string;
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(trimmed)) {
    return trimmed.toLowerCase().replace(/_/g, ' ');
  }
  return trimmed;
}

type Explained = Pick<
  OrderRecord,
  | 'provider'
  | 'status'
  | 'providerStatus'
  | 'terminal'
  | 'details'
  | 'unverifiedSince'
  | 'unverifiedReason'
>;

/**
 * The one line that explains an order at a glance (the collapsed row, the attention view): why it
 * needs the user, else the provider's reason for how it ended or stalled, else nothing.
 */
export function reasonOf(order: Explained): string | undefined {
  const need = needsUser(order);
  const given = order.details?.reason;
  if (need && given) return `${need.words}: ${reasonWords(given)}`;
  if (need) return need.words;
  return given ? reasonWords(given) : undefined;
}
