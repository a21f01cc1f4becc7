// "We could not see": an order whose source came back from a gap and could not verify it carries an
// unverified mark (since when, and why) until its next update. This file is the vocabulary both
// sides share about that mark: the reasons in the user's words, the mark as it crosses the bridge,
// and the pure functions the window and the tray count and render with. Safe for the window.
import type { OrderRecord } from './orders.js';

/**
 * Each stable reason code (engine/catch-up.ts UNVERIFIED_REASONS is held to these keys) in plain
 * words, completing "could not check after the connection gap: …".
 */
export const UNVERIFIED_REASON_WORDS = {
  no_catch_up: 'this source has no way to look orders up',
  lookup_failed: 'looking the order up failed',
  unknown_to_provider: 'the provider does not know this order',
  not_listed: "it was missing from the account's order list",
  beyond_rest_window: 'it is older than the history the provider lets us look up',
} as const;

export type UnverifiedReasonCode = keyof typeof UNVERIFIED_REASON_WORDS;

/** For a reason this build does not know (a state file written by a newer version). */
export const UNKNOWN_REASON_WORDS = 'the reason was not recorded';

/**
 * A reason code in words. The code comes from a state file or the bridge, so it is looked up as an
 * own property only: "constructor" or "__proto__" must not find something on Object.prototype.
 */
export function unverifiedReasonWords(code: string | undefined): string {
  if (code === undefined || !Object.hasOwn(UNVERIFIED_REASON_WORDS, code)) {
    return UNKNOWN_REASON_WORDS;
  }
  return UNVERIFIED_REASON_WORDS[code as UnverifiedReasonCode];
}

/**
 * An order's mark was set or cleared (both fields absent: cleared). The engine says so apart from
 * the NDJSON order lines, which a mark never produces (contract §3).
 */
export interface OrderMark {
  source: string;
  orderId: string;
  unverifiedSince?: string;
  unverifiedReason?: string;
}

export function isUnverified(record: Pick<OrderRecord, 'unverifiedSince'>): boolean {
  return record.unverifiedSince !== undefined;
}

/** The record's mark as it crosses the bridge (a copy: the engine's records change in place). */
export function markOf(record: OrderRecord): OrderMark {
  const mark: OrderMark = { source: record.source, orderId: record.orderId };
  if (record.unverifiedSince !== undefined) mark.unverifiedSince = record.unverifiedSince;
  if (record.unverifiedReason !== undefined) mark.unverifiedReason = record.unverifiedReason;
  return mark;
}

/** Whether two records carry the same mark (both unmarked counts as the same). */
export function sameMark(a: OrderMark | undefined, b: OrderMark | undefined): boolean {
  return a?.unverifiedSince === b?.unverifiedSince && a?.unverifiedReason === b?.unverifiedReason;
}

/**
 * The record with `mark` applied, as a new object (the window's rows are cached by record
 * identity), or `record` itself when the mark is already the one it carries.
 */
export function applyMark(record: OrderRecord, mark: OrderMark): OrderRecord {
  if (sameMark(record, mark)) return record;
  const next: OrderRecord = { ...record };
  delete next.unverifiedSince;
  delete next.unverifiedReason;
  if (mark.unverifiedSince !== undefined) next.unverifiedSince = mark.unverifiedSince;
  if (mark.unverifiedReason !== undefined) next.unverifiedReason = mark.unverifiedReason;
  return next;
}

/** Marked orders per source id (sources without any are absent). */
export function unverifiedBySource(orders: Iterable<OrderRecord>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of orders) {
    if (isUnverified(r)) counts.set(r.source, (counts.get(r.source) ?? 0) + 1);
  }
  return counts;
}
