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
export type StatusTable = Readonly<Record<string, { status: NormalizedStatus; label: string }>>;
