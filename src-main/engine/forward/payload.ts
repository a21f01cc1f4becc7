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

/** The alerts held during one quiet period, sent as one message when it ends. */
export interface ForwardSummary {
  kind: 'summary';
  /** `summary:<ISO time the quiet hours ended>`: stable across retries and restarts. */
  id: string;
  at: string;
  count: number;
  alerts: ForwardAlert[];
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

/** The summary's text: one line per alert, its title and body. */
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
