// Which SatoriEx orders are the user's. `market:{id}` channels carry every `order` of the market,
// other users' too; an order is the user's when `GET /me/orders` listed it or the user channel named
// it. An unknown id on a market channel waits for one rate-limited refresh of /me/orders, then is
// applied if it turned out to be the user's and dropped otherwise. Strangers are never remembered,
// so nothing here grows with the market.
export interface OwnershipOptions {
  /** Reads /me/orders and calls `listed` with what it saw; absent: no REST, no refresh. */
  refresh?: () => Promise<void>;
  /** No two refreshes start closer together than this. */
  minRefreshIntervalMs: number;
  /** Unknown ids waiting for a refresh, at most (the oldest is dropped beyond). */
  maxPending: number;
  now?: () => number;
  /** An order dropped as another user's (for the log). */
  stranger?: (orderId: string) => void;
}

export const OWNERSHIP_DEFAULTS = { minRefreshIntervalMs: 5_000, maxPending: 1_000 } as const;

export class SatoriexOwnership {
  private readonly mine = new Set<string>();
  /** Unknown id → its events in arrival order, until the next refresh decides. */
  private readonly pending = new Map<string, Array<() => void>>();
  private refreshing: Promise<void> | undefined;
  private lastRefreshAt = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly o: OwnershipOptions) {
    this.now = o.now ?? Date.now;
  }

  /**
   * The user channel named it: the user's. Its market events still waiting run first, so they
   * keep their arrival order before the event that named it.
   */
  claim(orderId: string): void {
    this.mine.add(orderId);
    const waiting = this.pending.get(orderId);
    if (!waiting) return;
    this.pending.delete(orderId);
    for (const apply of waiting) apply();
  }

  /**
   * Every id a /me/orders read listed (the poll's hook). Call it before applying the read's
   * rows: waiting stream events are older than the read.
   */
  listed(orderIds: Iterable<string>): void {
    for (const id of orderIds) this.claim(id);
  }

  isMine(orderId: string): boolean {
    return this.mine.has(orderId);
  }

  /** A market-channel event about `orderId`: `apply` runs now, after a refresh, or never. */
  offer(orderId: string, apply: () => void): void {
    if (this.mine.has(orderId)) return apply();
    if (!this.o.refresh) return this.o.stranger?.(orderId);
    const waiting = this.pending.get(orderId);
    if (waiting) waiting.push(apply);
    else {
      if (this.pending.size >= this.o.maxPending) {
        const oldest = this.pending.keys().next().value;
        if (oldest !== undefined) {
          this.pending.delete(oldest);
          this.o.stranger?.(oldest);
        }
      }
      this.pending.set(orderId, [apply]);
    }
    this.scheduleRefresh();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private scheduleRefresh(): void {
    if (this.refreshing || this.timer) return;
    const wait = Math.max(0, this.lastRefreshAt + this.o.minRefreshIntervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runRefresh();
    }, wait);
    this.timer.unref?.();
  }

  private async runRefresh(): Promise<void> {
    const refresh = this.o.refresh;
    if (!refresh) return;
    this.lastRefreshAt = this.now();
    // Decided by this read: ids that arrive while it runs wait for the next one.
    const deciding = [...this.pending.keys()];
    this.refreshing = refresh().catch(() => {
      // A failed read decides nothing: the ids wait for the next refresh.
      deciding.length = 0;
    });
    await this.refreshing;
    this.refreshing = undefined;
    // Listed ids have run already (`listed`); what is left of this read's ids is someone else's.
    for (const id of deciding) {
      if (!this.pending.delete(id)) continue;
      this.o.stranger?.(id);
    }
    if (this.pending.size > 0) this.scheduleRefresh();
  }
}
