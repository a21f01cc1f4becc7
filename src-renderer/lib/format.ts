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

// One time format everywhere: the user's locale decides the hour cycle (12 h or 24 h), never this
// code, so two times on screen never disagree. Formatters are made once: toLocaleTimeString builds
// a new one on every call, which is slow when many rows render at once.
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const formats = new Map<string, Intl.DateTimeFormat>();
/** [] = the user's locale (the browser's or the OS's). */
let locales: string[] = [];

/** Format times for these locales from now on (tests pin one; [] = the user's). */
export function useTimeLocale(next: string[]): void {
  locales = next;
  formats.clear();
}

function formatter(name: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = formats.get(name);
  if (!f) {
    f = new Intl.DateTimeFormat(locales, options);
    formats.set(name, f);
  }
  return f;
}

function sameDay(a: Date, b: Date): boolean {
  return (
    a.getDate() === b.getDate() &&
    a.getMonth() === b.getMonth() &&
    a.getFullYear() === b.getFullYear()
  );
}

/**
 * "14:02:09" (or "2:02:09 PM", as the locale says) when `iso` is today, else with the date:
 * "Tue 3 Jun, 14:02" — a timeline or an activity line from another day must say which day.
 */
export function clock(iso: string, now: number = Date.now()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (sameDay(d, new Date(now)))
    return formatter('time-s', { ...TIME, second: '2-digit' }).format(d);
  return formatter('day-time', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...TIME,
  }).format(d);
}

/**
 * "14:02" when `iso` is on the same local day as `now`, else "Tue 14:02" (a gap may have begun
 * days ago, while the app was closed).
 */
export function sinceClock(iso: string, now: number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (sameDay(d, new Date(now))) return formatter('time', TIME).format(d);
  return formatter('weekday-time', { weekday: 'short', ...TIME }).format(d);
}

export function dateTime(ms: number): string {
  return formatter('weekday-time', { weekday: 'short', ...TIME }).format(new Date(ms));
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

/** Short words kept in capitals when a provider's all-caps label is put in lower case. */
const ACRONYMS: ReadonlySet<string> = new Set(['KYC', 'AML', 'ID', 'TX', 'API']);

/** "PENDING KYC" → "pending KYC", "PRE-RELEASE" → "pre-release"; mixed-case labels as given. */
export function labelWords(label: string): string {
  if (label !== label.toUpperCase()) return label;
  return label
    .split(' ')
    .map((w) => (ACRONYMS.has(w) ? w : w.toLowerCase()))
    .join(' ');
}

/**
 * What a status chip shows beside the normalized status: the provider's label in words when it
 * says more than the chip, and the provider's code (quieter) when it is a number, which means
 * nothing alone but is what the provider's own pages show, or when there is no label at all.
 */
export function providerWords(
  status: NormalizedStatus,
  providerStatus: string | undefined,
  label: string | undefined,
): { words?: string; code?: string } {
  if (providerStatus === undefined) return {};
  const chip = STATUS_TEXT[status] ?? status;
  // An unlabelled code that only repeats the chip ("processing processing") says nothing more.
  if (!label) return providerStatus.toLowerCase() === chip ? {} : { code: providerStatus };
  const words = labelWords(label);
  const sameAsChip = words.toLowerCase() === chip;
  const numeric = /^-?\d+$/.test(providerStatus);
  return {
    ...(sameAsChip ? {} : { words }),
    ...(numeric ? { code: providerStatus } : {}),
  };
}

/**
 * An activity event name in one style, whatever the provider's ("KYC_STATUS_CHANGED",
 * "kyc.approved", "walletCreated" → "KYC status changed", "kyc approved", "wallet created").
 */
export function eventWords(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s._:/-]+/)
    .filter(Boolean)
    .map((w) => (ACRONYMS.has(w.toUpperCase()) ? w.toUpperCase() : w.toLowerCase()));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
