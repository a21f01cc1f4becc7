// The normalized side of status mapping: which statuses end an order (part of the status model the
// window shares, so defined in shared/statuses.ts and re-exported here) and the shape of a
// provider's table. Per-provider mappings live beside each adapter (providers/*.ts) as data.
import type { NormalizedStatus } from './types.js';

export { TERMINAL, isTerminal } from '../shared/statuses.js';

/** A provider's code → normalized status table, with the provider's own label for display. */
export type StatusTable = Readonly<Record<string, { status: NormalizedStatus; label: string }>>;
