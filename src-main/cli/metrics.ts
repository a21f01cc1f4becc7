// GET /metrics (docs/service.md): Prometheus text through prom-client, read from the engine's
// per-source counters at scrape time (nothing is counted twice and nothing runs between scrapes).
// Names follow Prometheus conventions: `orderbell_` prefix, `_total` counters, seconds.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { SourceMetrics } from '../engine/source-counters.js';
import { CONNECTION_STATES } from '../shared/statuses.js';

/**
 * One forwarding target's deliveries since start, as the forwarding outbox reports them, one count
 * per `delivery` line: alerts `delivered`, alerts whose attempt failed and will be tried again
 * (`retrying`), alerts given up or refused (`failed`), and the outbox depth now (alerts not yet
 * delivered, held ones included).
 */
export interface DeliveryStat {
  target: string;
  type: string;
  delivered: number;
  failed: number;
  retrying: number;
  outboxDepth: number;
}
export type DeliveryStats = readonly DeliveryStat[];

export interface MetricsInputs {
  sources: () => readonly SourceMetrics[];
  /** The forwarding targets; absent while the run forwards nothing. */
  deliveries?: () => DeliveryStats;
  now?: () => number;
  /** Process metrics (CPU, memory, event-loop lag); off in unit tests that compare whole texts. */
  processMetrics?: boolean;
}

export const METRIC_NAMES = {
  connectionState: 'orderbell_source_connection_state',
  enabled: 'orderbell_source_enabled',
  reconnects: 'orderbell_source_reconnects_total',
  frames: 'orderbell_source_frames_total',
  orderUpdates: 'orderbell_source_order_updates_total',
  alerts: 'orderbell_source_alerts_total',
  lastMessageAge: 'orderbell_source_last_message_age_seconds',
  catchUpLookups: 'orderbell_source_catchup_lookups_total',
  deliveries: 'orderbell_notify_deliveries_total',
  outboxDepth: 'orderbell_notify_outbox_depth',
} as const;

const SOURCE_LABELS = ['source', 'provider'] as const;
/** How often the process metrics sample the event-loop delay. */
export const EVENT_LOOP_SAMPLE_MS = 1_000;
type SourceCounterKey = keyof SourceMetrics['counters'];

/** The per-source counters, as a table: metric name, help text, the counter it reads. */
const SOURCE_COUNTERS: readonly { name: string; help: string; key: SourceCounterKey }[] = [
  {
    name: METRIC_NAMES.reconnects,
    help: 'Times the source lost its link and went back to reconnecting.',
    key: 'reconnects',
  },
  { name: METRIC_NAMES.frames, help: 'Inbound frames (keepalives included).', key: 'frames' },
  {
    name: METRIC_NAMES.orderUpdates,
    help: 'Order status changes (NDJSON order lines).',
    key: 'orderUpdates',
  },
  { name: METRIC_NAMES.alerts, help: 'Alerts raised (NDJSON alert lines).', key: 'alerts' },
  {
    name: METRIC_NAMES.catchUpLookups,
    help: 'Catch-up REST requests (order lookups and list pages, retries included).',
    key: 'catchUpLookups',
  },
];

export function createMetricsRegistry(inputs: MetricsInputs): Registry {
  const registry = new Registry();
  const now = inputs.now ?? Date.now;
  const labelsOf = (s: SourceMetrics) => ({ source: s.id, provider: s.provider });

  new Gauge({
    name: METRIC_NAMES.connectionState,
    help: 'Connection state of the source: 1 for the current state, 0 for the others.',
    labelNames: [...SOURCE_LABELS, 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of inputs.sources()) {
        for (const state of CONNECTION_STATES) {
          this.set({ ...labelsOf(s), state }, s.state === state ? 1 : 0);
        }
      }
    },
  });
  new Gauge({
    name: METRIC_NAMES.enabled,
    help: 'Whether the source is enabled in the config (1) or not (0).',
    labelNames: SOURCE_LABELS,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of inputs.sources()) this.set(labelsOf(s), s.enabled ? 1 : 0);
    },
  });
  for (const c of SOURCE_COUNTERS) {
    new Counter({
      name: c.name,
      help: c.help,
      labelNames: SOURCE_LABELS,
      registers: [registry],
      collect() {
        // Counted by the engine; copied here at scrape time (reset drops removed sources).
        this.reset();
        for (const s of inputs.sources()) this.inc(labelsOf(s), s.counters[c.key]);
      },
    });
  }
  new Gauge({
    name: METRIC_NAMES.lastMessageAge,
    help: 'Seconds since the source last received a frame (absent before the first).',
    labelNames: SOURCE_LABELS,
    registers: [registry],
    collect() {
      this.reset();
      const at = now();
      for (const s of inputs.sources()) {
        if (s.heardAtMs !== undefined)
          this.set(labelsOf(s), Math.max(0, (at - s.heardAtMs) / 1000));
      }
    },
  });

  const deliveries = inputs.deliveries;
  if (deliveries) {
    const targetLabels = ['target', 'type'] as const;
    new Counter({
      name: METRIC_NAMES.deliveries,
      help: 'Delivery outcomes at the target, as the delivery lines say them: delivered, retrying (an attempt that failed and will be tried again), failed (given up).',
      labelNames: [...targetLabels, 'state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const d of deliveries()) {
          const labels = { target: d.target, type: d.type };
          this.inc({ ...labels, state: 'delivered' }, d.delivered);
          this.inc({ ...labels, state: 'retrying' }, d.retrying);
          this.inc({ ...labels, state: 'failed' }, d.failed);
        }
      },
    });
    new Gauge({
      name: METRIC_NAMES.outboxDepth,
      help: 'Alerts in the target outbox not yet delivered (retrying ones included).',
      labelNames: targetLabels,
      registers: [registry],
      collect() {
        this.reset();
        for (const d of deliveries()) this.set({ target: d.target, type: d.type }, d.outboxDepth);
      },
    });
  }
  if (inputs.processMetrics) {
    collectDefaultMetrics({
      register: registry,
      prefix: 'orderbell_',
      // The event-loop delay monitor is a timer: at prom-client's default 10 ms it would wake an
      // idle service 100 times a second. Once a second still shows a stalled loop.
      eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS,
    });
  }
  return registry;
}
