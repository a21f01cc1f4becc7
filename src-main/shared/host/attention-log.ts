// The host's attention list (shared/attention.ts): alerts the user wants are added unread, marked
// read by a window command, kept in a file of the state folder so a restart shows what is still
// unread. The windows get each addition and each mark as a change; the tray reads the count.
import type { AlertLine } from '../../engine/types.js';
import { attentionKey, markEntriesRead, unreadCount, type AttentionEntry } from '../attention.js';
import type { BridgeChange } from '../bridge.js';
import { ATTENTION_LIMIT } from '../limits.js';
import { reasonOf, type OrderRecord } from '../orders.js';

/** Where the list is kept between runs. */
export interface AttentionStore {
  load(): AttentionEntry[];
  save(entries: readonly AttentionEntry[]): Promise<void> | void;
}

/** Tests and faces without a state folder: kept for the life of the process. */
export class MemoryAttention implements AttentionStore {
  private entries: AttentionEntry[] = [];
  load(): AttentionEntry[] {
    return structuredClone(this.entries);
  }
  save(entries: readonly AttentionEntry[]): void {
    this.entries = structuredClone([...entries]);
  }
}

export interface AttentionLogOptions {
  store: AttentionStore;
  enqueue: (change: BridgeChange) => void;
  /** Reports a write that may fail later (see ProblemList.watchSave). */
  watchSave: (result: Promise<void> | void) => void;
  /** The order an alert is about, for its reason (absent: removed meanwhile). */
  order: (source: string, orderId: string) => OrderRecord | undefined;
}

export class AttentionLog {
  private entries: AttentionEntry[];
  private readonly keys = new Set<string>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly opts: AttentionLogOptions) {
    this.entries = opts.store.load().slice(-ATTENTION_LIMIT);
    for (const e of this.entries) this.keys.add(e.key);
  }

  /** Oldest first. */
  get all(): AttentionEntry[] {
    return [...this.entries];
  }

  get unread(): number {
    return unreadCount(this.entries);
  }

  /** Called after every change of the list (the tray redraws). Returns unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** An alert the user wants (notified or held): unread until marked read. */
  add(alert: AlertLine): void {
    const key = attentionKey(alert);
    if (this.keys.has(key)) return;
    const entry: AttentionEntry = { key, alert, read: false };
    const order = this.opts.order(alert.source, alert.orderId);
    const reason = order && reasonOf(order);
    if (reason) entry.reason = reason;
    this.keys.add(key);
    this.entries.push(entry);
    if (this.entries.length > ATTENTION_LIMIT) {
      for (const gone of this.entries.splice(0, this.entries.length - ATTENTION_LIMIT)) {
        this.keys.delete(gone.key);
      }
    }
    this.opts.enqueue({ type: 'attention-added', entry });
    this.changed();
  }

  /** Marks these entries read (null: every one); unknown keys are ignored. */
  markRead(keys: readonly string[] | null): void {
    const next = markEntriesRead(this.entries, keys);
    if (next.every((e, i) => e === this.entries[i])) return;
    this.entries = next;
    this.opts.enqueue({ type: 'attention-read', keys: keys === null ? null : [...keys] });
    this.changed();
  }

  private changed(): void {
    this.opts.watchSave(this.opts.store.save(this.entries));
    for (const listener of this.listeners) listener();
  }
}
