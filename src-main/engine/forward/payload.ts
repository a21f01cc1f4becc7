// What a notify target receives: one alert, or one summary of the alerts held during quiet hours
// (docs/config.md, "Quiet hours"). Built from the engine's alert line; nothing here sends.
import { alertId, HIGH_PRIORITY_STATUSES } from '../../shared/notify.js';
import type { AlertLine } from '../types.js';
import type { NormalizedStatus } from '../types.js';

/** The webhook JSON body of one alert, field for field (contract §4). */
export interface ForwardAlert {
  id: string;
  source: string;
  provider: string;
  orderId: string;
  status: NormalizedStatus;
  title: string;
  body: string;
  at: string;
}

/**
 * The alerts held during one quiet period, sent as one message when it ends. Its webhook body is a
 * superset of an alert's (contract §4): the same keys, `status` "summary", `source`, `provider` and
 * `orderId` empty (it is about many orders), then `kind`, `count` and the alerts themselves.
 */
export interface ForwardSummary {
  /** `summary:<ISO time the quiet hours ended>`: stable across retries and restarts. */
  id: string;
  source: '';
  provider: '';
  orderId: '';
  status: 'summary';
  title: string;
  body: string;
  at: string;
  kind: 'summary';
  count: number;
  alerts: ForwardAlert[];
}

/** The summary of these held alerts (key order is the webhook body's). */
export function summaryOf(id: string, at: string, alerts: ForwardAlert[]): ForwardSummary {
  return {
    id,
    source: '',
    provider: '',
    orderId: '',
    status: 'summary',
    title: summaryTitle(alerts.length),
    body: summaryBody(alerts),
    at,
    kind: 'summary',
    count: alerts.length,
    alerts,
  };
}

export type ForwardPayload =
  ({ kind: 'alert' } & { alert: ForwardAlert }) | { kind: 'summary'; summary: ForwardSummary };

export function forwardAlertOf(line: AlertLine): ForwardAlert {
  return {
    id: alertId(line.source, line.orderId, line.status),
    source: line.source,
    provider: line.provider,
    orderId: line.orderId,
    status: line.status,
    title: line.title,
    body: line.body,
    at: line.at,
  };
}

export function summaryId(endedAt: string): string {
  return `summary:${endedAt}`;
}

export function summaryTitle(count: number): string {
  return `Orderbell: ${count} alert${count === 1 ? '' : 's'} during quiet hours`;
}

/** The summary body names at most this many alert ids; the count says how many more. */
export const SUMMARY_BODY_IDS = 10;

/**
 * The summary's `body` for a webhook, for people: the count per status, then the first alert ids
 * ("2 alerts during quiet hours: 1 completed, 1 refunded.\nhd:A:completed\nhd:B:refunded").
 */
export function summaryBody(alerts: readonly ForwardAlert[]): string {
  const byStatus = new Map<string, number>();
  for (const a of alerts) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
  const counts = [...byStatus].map(([status, n]) => `${n} ${status}`).join(', ');
  const n = alerts.length;
  const head = `${n} alert${n === 1 ? '' : 's'} during quiet hours${counts ? `: ${counts}` : ''}.`;
  const ids = alerts.slice(0, SUMMARY_BODY_IDS).map((a) => a.id);
  const more = n > SUMMARY_BODY_IDS ? [`… and ${n - SUMMARY_BODY_IDS} more`] : [];
  return [head, ...ids, ...more].join('\n');
}

/** The summary's text for ntfy: one line per alert, its title and body. */
export function summaryText(summary: ForwardSummary): string {
  return summary.alerts.map((a) => `${a.title}: ${a.body}`).join('\n');
}

export function isHighPriority(payload: ForwardPayload): boolean {
  return payload.kind === 'alert'
    ? HIGH_PRIORITY_STATUSES.has(payload.alert.status)
    : payload.summary.alerts.some((a) => HIGH_PRIORITY_STATUSES.has(a.status));
}

export function payloadId(payload: ForwardPayload): string {
  return payload.kind === 'alert' ? payload.alert.id : payload.summary.id;
}
