// The order store decides what an observation means: new order, real change, repeat, or a late
// message that would move a finished order backwards. Faces only render what it decides.
import { firstRecord, orderKey, withTransition, type OrderRecord } from '../shared/orders.js';
import { isRetirable } from './retention.js';
import { isTerminal } from './status.js';
import type { OrderDetails, OrderUpdate, ProviderKey } from './types.js';

// The record, its key and its history cap are shared with the window (shared/orders.ts); engine
// code keeps reading them from here.
export { orderKey, type OrderRecord, type Transition } from '../shared/orders.js';
export { HISTORY_LIMIT } from '../shared/limits.js';

export type ApplyOutcome =
  /** First observation of this order. */
  | 'new'
  /** status or providerStatus moved. */
  | 'changed'
  /** Same state as known (details may have been refreshed). */
  | 'repeat'
  /** A non-terminal state for an order already finished: ignored. */
  | 'regression'
  /**
   * A finished order now reads `deleted` (the provider removed it, as Houdini does after 48 h):
   * kept in its history only; status and provider status still say how it finished.
   */
  | 'noted';

export interface ApplyResult {
  outcome: ApplyOutcome;
  record: OrderRecord;
  /** This observation is the order's first terminal status. */
  becameTerminal: boolean;
}

export class OrderStore {
  private readonly orders = new Map<string, OrderRecord>();
  /** Bumped on every stored change; the saver compares it to decide whether to write. */
  version = 0;

  get size(): number {
    return this.orders.size;
  }

  get(source: string, orderId: string): OrderRecord | undefined {
    return this.orders.get(orderKey(source, orderId));
  }

  all(): IterableIterator<OrderRecord> {
    return this.orders.values();
  }

  apply(source: string, provider: ProviderKey, update: OrderUpdate, at: string): ApplyResult {
    const key = orderKey(source, update.orderId);
    const known = this.orders.get(key);
    const terminal = isTerminal(update.status);
    if (!known) {
      const record = firstRecord({
        source,
        provider,
        orderId: update.orderId,
        status: update.status,
        providerStatus: update.providerStatus,
        terminal,
        at,
        details: update.details,
      });
      this.orders.set(key, record);
      this.version += 1;
      return { outcome: 'new', record, becameTerminal: terminal };
    }
    if (known.terminal && !terminal)
      return { outcome: 'regression', record: known, becameTerminal: false };
    // Any word about the order ends "we could not see it".
    this.clearUnverified(known);
    if (known.terminal && update.status === 'deleted' && known.status !== 'deleted') {
      return this.noteRemoval(known, update, at);
    }
    // Most updates repeat the details already known: merge (and count a change) only when not.
    if (update.details && !hasAll(known.details, update.details)) {
      known.details = { ...known.details, ...update.details };
      this.version += 1;
    }
    // A finished order re-announced under another provider code (SatoriEx sends `filled` and then
    // `order_filled`) is the state already known, not a change to flip back and forth on.
    const sameState =
      known.status === update.status &&
      (known.providerStatus === update.providerStatus || known.terminal);
    if (sameState) return { outcome: 'repeat', record: known, becameTerminal: false };
    const becameTerminal = terminal && !known.terminal;
    known.status = update.status;
    known.providerStatus = update.providerStatus;
    known.terminal = known.terminal || terminal;
    known.updatedAt = at;
    known.history = withTransition(known.history, {
      status: update.status,
      providerStatus: update.providerStatus,
      at,
    });
    this.version += 1;
    return { outcome: 'changed', record: known, becameTerminal };
  }

  /**
   * "Deleted" after "completed" is the provider forgetting the order, not the order ending again:
   * the user must still see how it finished. The removal goes into the timeline once.
   */
  private noteRemoval(known: OrderRecord, update: OrderUpdate, at: string): ApplyResult {
    const last = known.history.at(-1);
    if (last?.status === update.status && last.providerStatus === update.providerStatus) {
      return { outcome: 'repeat', record: known, becameTerminal: false };
    }
    known.history = withTransition(known.history, {
      status: update.status,
      providerStatus: update.providerStatus,
      at,
    });
    this.version += 1;
    return { outcome: 'noted', record: known, becameTerminal: false };
  }

  /**
   * Each record as JSON (`JSON.stringify(record)`), in `all()` order, one at a time: the state file
   * is written from this without ever holding all of it as one string. (Caching the strings saved
   * CPU but kept ~10 MB more resident at 10,000 orders: npm run bench, figure 3.)
   */
  *serialized(): Generator<string> {
    for (const record of this.orders.values()) yield JSON.stringify(record);
  }

  /** Mark an order as not verifiable since `since`; false when the store does not know it. */
  markUnverified(source: string, orderId: string, since: string, reason: string): boolean {
    const record = this.orders.get(orderKey(source, orderId));
    if (!record) return false;
    if (record.unverifiedSince === since && record.unverifiedReason === reason) return true;
    // An older gap that was never closed keeps its start: the blind spot began then.
    if (!record.unverifiedSince || record.unverifiedSince > since) record.unverifiedSince = since;
    record.unverifiedReason = reason;
    this.version += 1;
    return true;
  }

  /** Clear the mark; true when there was one. */
  clearUnverified(record: OrderRecord): boolean {
    if (record.unverifiedSince === undefined && record.unverifiedReason === undefined) return false;
    delete record.unverifiedSince;
    delete record.unverifiedReason;
    this.version += 1;
    return true;
  }

  /**
   * Take finished orders whose last update is `retentionMs` old out of the live store; returns them
   * (the engine makes sure the ledger still knows each one before it lets them go).
   */
  retire(nowMs: number, retentionMs: number): OrderRecord[] {
    const retired: OrderRecord[] = [];
    for (const [key, record] of this.orders) {
      if (!isRetirable(record, nowMs, retentionMs)) continue;
      this.orders.delete(key);
      retired.push(record);
    }
    if (retired.length > 0) this.version += 1;
    return retired;
  }

  remove(source: string, orderId: string): boolean {
    const removed = this.orders.delete(orderKey(source, orderId));
    if (removed) this.version += 1;
    return removed;
  }

  /** Restore persisted records; malformed entries are skipped and counted, never thrown. */
  load(records: unknown[]): { loaded: number; skipped: number } {
    let loaded = 0;
    let skipped = 0;
    for (const r of records) {
      if (isRecordShape(r)) {
        this.orders.set(orderKey(r.source, r.orderId), r);
        loaded += 1;
      } else skipped += 1;
    }
    return { loaded, skipped };
  }
}

/** Every field of `update` is already in `known` with the same value. */
function hasAll(known: OrderDetails | undefined, update: OrderDetails): boolean {
  if (!known) return false; // even `{}` is news then: the record gains a details object
  for (const key in update) {
    if (known[key as keyof OrderDetails] !== update[key as keyof OrderDetails]) return false;
  }
  return true;
}

function isRecordShape(r: unknown): r is OrderRecord {
  if (typeof r !== 'object' || r === null) return false;
  const o = r as Record<string, unknown>;
  return (
    typeof o.source === 'string' &&
    typeof o.orderId === 'string' &&
    typeof o.provider === 'string' &&
    typeof o.status === 'string' &&
    typeof o.providerStatus === 'string' &&
    typeof o.terminal === 'boolean' &&
    Array.isArray(o.history)
  );
}
