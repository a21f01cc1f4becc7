// Small display helpers: ages, times, amounts. Provider names, badges and colours come from each
// provider's description in shared/providers.ts.
import type { OrderDetails } from '../../src-main/shared/lines';
import type { ConnectionState, NormalizedStatus } from '../../src-main/shared/statuses';

/** "now", "12s", "5m", "3h", "2d" since `iso`. */
export function age(iso: string | undefined, now: number): string {
  if (!iso) return '–';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '–';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 2) return 'now';
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

// One formatter, made on first use: toLocaleTimeString builds a new one on every call, which is
// slow when many rows render at once. Same locale and options, so the same text.
let clockFormat: Intl.DateTimeFormat | undefined;

export function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  clockFormat ??= new Intl.DateTimeFormat([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  return clockFormat.format(d);
}

let hourMinuteFormat: Intl.DateTimeFormat | undefined;
let dayHourMinuteFormat: Intl.DateTimeFormat | undefined;

/**
 * "14:02" when `iso` is on the same local day as `now`, else "Tue 14:02" (a gap may have begun
 * days ago, while the app was closed).
 */
export function sinceClock(iso: string, now: number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (d.toDateString() === new Date(now).toDateString()) {
    hourMinuteFormat ??= new Intl.DateTimeFormat([], {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    return hourMinuteFormat.format(d);
  }
  dayHourMinuteFormat ??= new Intl.DateTimeFormat([], {
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return dayHourMinuteFormat.format(d);
}

export function dateTime(ms: number): string {
  return new Date(ms).toLocaleString([], {
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

function amount(value: string | undefined, currency: string | undefined): string | undefined {
  if (!value && !currency) return undefined;
  return [value, currency].filter(Boolean).join(' ');
}

/** "0.5 BTC → 8.1 ETH", or the pair, or undefined when nothing is known. */
export function flow(details: OrderDetails | undefined): string | undefined {
  if (!details) return undefined;
  const sent = amount(details.amountIn, details.currencyIn);
  const received = amount(details.amountOut, details.currencyOut);
  if (sent && received) return `${sent} → ${received}`;
  return sent ?? received ?? details.pair;
}

// Lookups take any string (a source may also be 'disabled'); `satisfies` keeps every status named.
export const STATUS_TEXT: Readonly<Record<string, string>> = {
  pending: 'pending',
  on_hold: 'on hold',
  processing: 'processing',
  completed: 'completed',
  failed: 'failed',
  canceled: 'canceled',
  expired: 'expired',
  refunded: 'refunded',
  deleted: 'deleted',
} satisfies Record<NormalizedStatus, string>;

export const CONNECTION_TEXT: Readonly<Record<string, string>> = {
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  offline: 'offline',
  auth_failed: 'sign-in failed',
} satisfies Record<ConnectionState, string>;
