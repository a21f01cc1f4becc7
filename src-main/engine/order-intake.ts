// What the engine accepts from a provider before it stores anything: an order id it can keep,
// print and send back (bounded, no control characters), and, per source, a bounded number of
// tracked orders. Everything here is about inputs the engine does not control: a provider that
// streams megabyte ids or an endless stream of new orders must not grow the state folder without
// bound.
import { CONTROL_CHARACTERS, MAX_ORDER_ID_LENGTH } from '../shared/limits.js';

/**
 * The most orders one source may track. The bench holds 10,000 tracked orders within 100 MB; five
 * times that is far beyond any one partner account's open and recent orders, and keeps the worst
 * case of one source near half a gigabyte instead of unbounded.
 */
export const MAX_TRACKED_ORDERS_PER_SOURCE = 50_000;

/** The `problem` line's code when a source reaches the limit. */
export const TRACKED_ORDERS_LIMIT_CODE = 'tracked_orders_limit';

/** How often, at most, the count is taken afresh from the store while a source is at the limit. */
const RECOUNT_MS = 1_000;

/** Why a provider's order id cannot be kept, or undefined when it can. */
export function orderIdProblem(orderId: unknown): string | undefined {
  if (typeof orderId !== 'string' || orderId.length === 0)
    return 'order id is not a non-empty string';
  if (orderId.length > MAX_ORDER_ID_LENGTH) {
    return `order id of ${orderId.length} characters (the limit is ${MAX_ORDER_ID_LENGTH})`;
  }
  if (CONTROL_CHARACTERS.test(orderId)) return 'order id holds control characters';
  return undefined;
}

/** What `admit` decides for an order the store does not know yet. */
export type Admission = 'admit' | 'refuse' | 'refuse-first';

/**
 * Counts each source's tracked orders and refuses new ones past the limit. Orders the user named
 * (the watch list, itself bounded by the config and the window) are always admitted: the user
 * asked for them by name. The count is kept as orders are added and taken afresh from the store
 * (at most once a second) while a source is at the limit, so orders removed meanwhile, by the
 * user or by retention, make room again.
 */
export class TrackedOrderLimit {
  private readonly counts = new Map<string, number>();
  private readonly recountedAt = new Map<string, number>();
  private readonly said = new Set<string>();

  constructor(
    private readonly countInStore: (source: string) => number,
    private readonly nowMs: () => number,
    readonly limit: number = MAX_TRACKED_ORDERS_PER_SOURCE,
  ) {}

  admit(source: string, named: boolean): Admission {
    if (named) return 'admit';
    if (this.countOf(source) < this.limit) return 'admit';
    const now = this.nowMs();
    if (now - (this.recountedAt.get(source) ?? -Infinity) >= RECOUNT_MS) {
      this.recountedAt.set(source, now);
      this.counts.set(source, this.countInStore(source));
      if (this.countOf(source) < this.limit) return 'admit';
    }
    if (this.said.has(source)) return 'refuse';
    this.said.add(source);
    return 'refuse-first';
  }

  /** The store took a new order for `source`. */
  added(source: string): void {
    this.counts.set(source, this.countOf(source) + 1);
  }

  private countOf(source: string): number {
    let count = this.counts.get(source);
    if (count === undefined) {
      count = this.countInStore(source);
      this.counts.set(source, count);
    }
    return count;
  }
}
