// The ordered feed of changes to the attached windows. Every change gets the next seq; a window
// receives nothing until it took its snapshot, then exactly the changes after that snapshot's seq,
// batched (at most one batch per flush interval). While a window is attached, a status tick runs
// (default once a second) so the caller can push what changes without events (message age, RTT).
import type { Logger } from '../../engine/log.js';
import type { BridgeChange, ChangeBatch } from '../bridge.js';
import type { BridgeClient } from './ports.js';

export interface ChangeStreamOptions {
  log: Logger;
  /** Changes are sent at most this often; default 50 ms. */
  flushIntervalMs?: number;
  /** The status tick runs this often while a window is attached; default 1000 ms. */
  statusIntervalMs?: number;
  /** Called on each status tick when some window holds a snapshot. */
  onStatusTick?: () => void;
  now?: () => number;
  /** Applied to every batch as it leaves (the configured secrets are masked here). */
  outgoing?: (batch: ChangeBatch) => ChangeBatch;
}

interface ClientSlot {
  client: BridgeClient;
  /** seq of the snapshot this client holds; undefined until it asked for one. */
  readyAt: number | undefined;
}

export class ChangeStream {
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly flushIntervalMs: number;
  private readonly statusIntervalMs: number;
  private readonly onStatusTick: () => void;
  private readonly outgoing: (batch: ChangeBatch) => ChangeBatch;
  private readonly clients = new Set<ClientSlot>();
  private seqNow = 0;
  private queue: BridgeChange[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private lastFlushAt = 0;

  constructor(opts: ChangeStreamOptions) {
    this.log = opts.log;
    this.now = opts.now ?? Date.now;
    this.flushIntervalMs = opts.flushIntervalMs ?? 50;
    this.statusIntervalMs = opts.statusIntervalMs ?? 1_000;
    this.onStatusTick = opts.onStatusTick ?? (() => {});
    this.outgoing = opts.outgoing ?? ((batch) => batch);
  }

  /** seq of the latest change: a snapshot taken now reflects every change up to it. */
  get seq(): number {
    return this.seqNow;
  }

  /** Attach a window; it receives nothing until `snapshotTaken(client)`. Returns detach. */
  attach(client: BridgeClient): () => void {
    const slot: ClientSlot = { client, readyAt: undefined };
    this.clients.add(slot);
    this.ensureStatusTimer();
    return () => {
      this.clients.delete(slot);
      if (this.clients.size === 0) {
        clearInterval(this.statusTimer);
        this.statusTimer = undefined;
      }
    };
  }

  /** `client` (if attached) now holds a snapshot at the current seq; returns that seq. */
  snapshotTaken(client?: BridgeClient): number {
    if (client) {
      for (const slot of this.clients) if (slot.client === client) slot.readyAt = this.seqNow;
    }
    return this.seqNow;
  }

  enqueue(change: BridgeChange): void {
    this.seqNow += 1;
    // Nobody holds a snapshot yet: whoever asks later gets this change inside the snapshot.
    if (!this.hasReadyClient()) return;
    this.queue.push(change);
    if (this.flushTimer) return;
    const wait = Math.max(0, this.lastFlushAt + this.flushIntervalMs - this.now());
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  /** Send what is queued now (tests, shutdown). */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.lastFlushAt = this.now();
    const changes = this.queue;
    this.queue = [];
    if (changes.length === 0) return;
    const last = this.seqNow;
    const first = last - changes.length + 1;
    for (const slot of this.clients) {
      if (slot.readyAt === undefined || slot.readyAt >= last) continue;
      // A client whose snapshot came mid-queue already reflects the changes up to its seq.
      const skip = Math.max(0, slot.readyAt - first + 1);
      const batch: ChangeBatch = { seq: last, changes: skip > 0 ? changes.slice(skip) : changes };
      try {
        slot.client.send(this.outgoing(batch));
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'sending changes to a window failed');
      }
    }
  }

  /** Sends what is queued, stops both timers and forgets every window. */
  dispose(): void {
    this.flush();
    clearTimeout(this.flushTimer);
    clearInterval(this.statusTimer);
    this.flushTimer = undefined;
    this.statusTimer = undefined;
    this.clients.clear();
  }

  private hasReadyClient(): boolean {
    for (const slot of this.clients) if (slot.readyAt !== undefined) return true;
    return false;
  }

  private ensureStatusTimer(): void {
    if (this.statusTimer) return;
    this.statusTimer = setInterval(() => {
      if (this.hasReadyClient()) this.onStatusTick();
    }, this.statusIntervalMs);
    this.statusTimer.unref();
  }
}
