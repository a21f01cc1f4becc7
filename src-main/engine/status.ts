// The normalized side of status mapping: which statuses end an order (part of the status model the
// window shares, so defined in shared/statuses.ts and re-exported here) and the shape of a
// provider's table. Per-provider mappings live beside each adapter (providers/*.ts) as data.
import type { NormalizedStatus } from './types.js';

export { TERMINAL, isTerminal } from '../shared/statuses.js';

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
