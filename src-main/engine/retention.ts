// Bounded growth: how long a finished order stays in the live store, and how long the alert ledger
// must remember an order after it finished. Pure rules over timestamps; the engine applies them.
import type { OrderRecord } from '../shared/orders.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Finished orders stay in the live store this long after their last update (a config setting). */
export const DEFAULT_RETENTION_DAYS = 30;
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 3650;
/**
 * A provider that never says when it stops sending an order: its ledger keys are kept a year after
 * the finish (longer when the order is still in the store or watched). Providers' own horizons are
 * in their descriptors (`resendHorizonDays`).
 */
export const GENEROUS_HORIZON_DAYS = 365;

/** The last moment anything was written into the record's timeline (status change or note). */
export function lastActivityMs(record: Pick<OrderRecord, 'updatedAt' | 'history'>): number {
  const updated = Date.parse(record.updatedAt);
  const last = record.history.at(-1);
  const noted = last ? Date.parse(last.at) : Number.NaN;
  // An unreadable time counts as "now": a record is never retired on a date it does not have.
  if (Number.isNaN(updated) && Number.isNaN(noted)) return Number.POSITIVE_INFINITY;
  if (Number.isNaN(noted)) return updated;
  if (Number.isNaN(updated)) return noted;
  return Math.max(updated, noted);
}

/** A finished order whose last update is at least `retentionMs` old leaves the live store. */
export function isRetirable(
  record: Pick<OrderRecord, 'terminal' | 'updatedAt' | 'history'>,
  nowMs: number,
  retentionMs: number,
): boolean {
  return record.terminal && nowMs - lastActivityMs(record) >= retentionMs;
}

export interface LedgerKeepFacts {
  /** When the ledger recorded the order's finish (ms); NaN when the line had no readable time. */
  atMs: number;
  /** The live store still holds the order (under any source). */
  inStore: boolean;
  /** A source still watches the order id (config or run time): it is looked up after every gap. */
  watched: boolean;
  /** How long after a finish the provider may still send the order again (ms). */
  horizonMs: number;
}

/**
 * A ledger key is still needed while the provider could send the order again: while the store holds
 * it (the store retires it later and the key must outlive it), while a source watches it (every
 * catch-up asks for it), and for the provider's horizon after the finish. A key without a readable
 * time is kept: nothing proves it old.
 */
export function isLedgerKeyNeeded(facts: LedgerKeepFacts, nowMs: number): boolean {
  if (facts.inStore || facts.watched || Number.isNaN(facts.atMs)) return true;
  return nowMs - facts.atMs < facts.horizonMs;
}

/** The retention setting, clamped to what the config accepts (an engine option may bypass it). */
export function retentionMs(days: number | undefined): number {
  const d = days ?? DEFAULT_RETENTION_DAYS;
  return Math.min(MAX_RETENTION_DAYS, Math.max(MIN_RETENTION_DAYS, d)) * DAY_MS;
}
