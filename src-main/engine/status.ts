// Contract §2: which normalized statuses end an order. Per-provider mappings live beside each
// adapter (providers/*.ts) as data tables; this file only knows the normalized side.
import type { NormalizedStatus } from './types.js';

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

/** A provider's code → normalized status table, with the provider's own label for display. */
export type StatusTable = Readonly<Record<string, StatusRow>>;

export interface StatusRow {
  status: NormalizedStatus;
  label: string;
}

/**
 * The row a table itself holds for `key`, or undefined. Every lookup of a provider's word (a status,
 * an event or message type, an auth signal) goes through here: a plain `table[key]` also finds
 * what every object inherits, so `"constructor"`, `"toString"` or `"__proto__"` would read as a row
 * (a function, or Object.prototype) and become an order without a status.
 */
export function ownRow<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
