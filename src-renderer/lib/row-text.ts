// Words for one order row: what a screen reader hears for it, and the times in its timeline.
import { PROVIDER_INFO } from '../../src-main/shared/providers';
import { STATUS_TEXT, flow } from './format';
import type { OrderRow } from './orders';

/**
 * "processing (13 PAID), n.exchange, main, 0.5 BTC → 8.1 ETH": the status in words with the
 * provider's own code, the provider, the source and the amounts. The id is the row's name.
 */
export function rowDescription(row: OrderRow, sourceLabel: string, providerLabel?: string): string {
  const r = row.record;
  const code = r ? (providerLabel ? `${r.providerStatus} ${providerLabel}` : r.providerStatus) : '';
  const status = r
    ? `${STATUS_TEXT[r.status] ?? r.status}${code && code !== r.status ? ` (${code})` : ''}`
    : 'waiting for first update';
  const provider = PROVIDER_INFO[row.provider]?.name ?? row.provider;
  return [status, provider, sourceLabel === provider ? undefined : sourceLabel, flow(r?.details)]
    .filter(Boolean)
    .join(', ');
}

let timeFormat: Intl.DateTimeFormat | undefined;
let dayTimeFormat: Intl.DateTimeFormat | undefined;

/** "14:02:05" on the local day of `now`; "Tue 3 Jun, 14:02" on any other day. */
export function timelineTime(iso: string, now: number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (d.toDateString() === new Date(now).toDateString()) {
    timeFormat ??= new Intl.DateTimeFormat([], {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    return timeFormat.format(d);
  }
  dayTimeFormat ??= new Intl.DateTimeFormat([], {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return dayTimeFormat.format(d);
}
