// What one source did since the process started, counted for the service metrics (GET /metrics,
// docs/service.md). Plain numbers bumped in place: a frame costs one increment, no allocation, so
// the hot path (bench figure 1) does not notice them. They belong to the source id, not to one
// connection: a source replaced by a config reload keeps counting where it was.
import type { ConnectionState } from '../shared/statuses.js';

export interface SourceCounters {
  /** Inbound frames (any message, keepalives included). */
  frames: number;
  /** `order` lines: an order's status or provider status changed. */
  orderUpdates: number;
  alerts: number;
  /** Times the link was lost and the source went back to `reconnecting`. */
  reconnects: number;
  /** Catch-up REST requests (order lookups and list pages, retries included). */
  catchUpLookups: number;
}

export function newSourceCounters(): SourceCounters {
  return { frames: 0, orderUpdates: 0, alerts: 0, reconnects: 0, catchUpLookups: 0 };
}

/** One source as the service endpoints see it (Engine.sourceMetrics()). */
export interface SourceMetrics {
  id: string;
  provider: string;
  enabled: boolean;
  state: ConnectionState;
  /** Since when (ms since the epoch) the source has been in `state`. */
  stateSinceMs: number;
  /** When the last frame arrived (ms since the epoch); absent before the first. */
  heardAtMs?: number;
  counters: Readonly<SourceCounters>;
}
