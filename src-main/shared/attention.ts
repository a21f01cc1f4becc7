// The attention list: every alert the user wants (its status is one they chose), unread until they
// mark it read, kept across restarts in the state folder. The host owns the list
// (host/attention-log.ts); this file is the vocabulary both sides share. Pure, safe for the window.
import type { AlertLine } from './lines.js';

export interface AttentionEntry {
  /** Stable across restarts: source, order id and the alert's time (see attentionKey). */
  key: string;
  alert: AlertLine;
  /** Why, in words (the order's reason when it had one); absent when the status says it all. */
  reason?: string;
  read: boolean;
}

/** One alert = one entry: the engine never alerts the same order twice at the same instant. */
export function attentionKey(alert: Pick<AlertLine, 'source' | 'orderId' | 'at'>): string {
  return `${alert.source}\u0000${alert.orderId}\u0000${alert.at}`;
}

export function unreadCount(entries: readonly AttentionEntry[]): number {
  let n = 0;
  for (const e of entries) if (!e.read) n += 1;
  return n;
}

/** Entries after `keys` were marked read (null: all), as a new list; unchanged entries kept. */
export function markEntriesRead(
  entries: readonly AttentionEntry[],
  keys: readonly string[] | null,
): AttentionEntry[] {
  const wanted = keys === null ? null : new Set(keys);
  return entries.map((e) =>
    !e.read && (wanted === null || wanted.has(e.key)) ? { ...e, read: true } : e,
  );
}

/** What the window's tab and the tray say: "3 unread alerts", "1 unread alert". */
export function unreadWords(n: number): string {
  return `${n} unread alert${n === 1 ? '' : 's'}`;
}
