// Pure list logic for the orders view: which rows, in which order. Kept out of components so it is
// tested directly and stays cheap at 10,000 orders.
import type { SourceView } from '../../src-main/shared/bridge';
import { orderKey, type OrderRecord } from '../../src-main/shared/orders';
import type { ProviderKey } from '../../src-main/shared/providers';
import { END_COUNT, type NormalizedStatus } from '../../src-main/shared/statuses';

export type OrderFilter = 'all' | 'active' | 'finished' | 'failed';

export interface OrderRow {
  key: string;
  source: string;
  provider: ProviderKey;
  orderId: string;
  /** undefined: watched, but the provider has not said anything about it yet. */
  record: OrderRecord | undefined;
}

/** Terminal statuses that mean the order did not go through (how the window colours and filters). */
export const FAILED_STATUSES: ReadonlySet<NormalizedStatus> = new Set([
  'failed',
  'canceled',
  'expired',
  'refunded',
  'deleted',
]);

function matches(row: OrderRow, filter: OrderFilter): boolean {
  const r = row.record;
  switch (filter) {
    case 'all':
      return true;
    case 'active':
      return !r || !r.terminal;
    case 'finished':
      return r !== undefined && r.terminal;
    case 'failed':
      return r !== undefined && r.terminal && END_COUNT[r.status] === 'failed';
  }
}

// Rows are kept between calls: a record that did not change keeps its row object (and its key
// string), and the previous order is the starting point of the next sort, which is then nearly
// sorted already (a batch moves a few orders), so a frame costs a linear pass, not a full sort.
const rowOf = new WeakMap<OrderRecord, OrderRow>();
let lastAll: {
  orders: readonly OrderRecord[];
  length: number;
  sources: readonly SourceView[];
  rows: OrderRow[];
  watched: Map<string, OrderRow>;
} | null = null;

function rank(row: OrderRow): number {
  return !row.record ? 0 : row.record.terminal ? 2 : 1;
}

function compareRows(a: OrderRow, b: OrderRow): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  const ta = a.record?.updatedAt ?? '';
  const tb = b.record?.updatedAt ?? '';
  if (ta !== tb) return ta < tb ? 1 : -1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function rowFor(r: OrderRecord): OrderRow {
  let row = rowOf.get(r);
  if (!row || row.record !== r) {
    row = {
      key: orderKey(r.source, r.orderId),
      source: r.source,
      provider: r.provider,
      orderId: r.orderId,
      record: r,
    };
    rowOf.set(r, row);
  }
  return row;
}

/** First index whose row sorts at or after `row`. */
function lowerBound(rows: readonly OrderRow[], row: OrderRow): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareRows(rows[mid] as OrderRow, row) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The common case of a batch: the same orders in the same places, a few of them replaced by newer
 * records. Moves just those rows; undefined when the change is of another kind.
 */
function patchRows(
  before: readonly OrderRecord[],
  orders: readonly OrderRecord[],
  sorted: readonly OrderRow[],
  sourceIds: ReadonlySet<string>,
): OrderRow[] | undefined {
  if (before.length !== orders.length) return undefined;
  const changed: number[] = [];
  for (let i = 0; i < orders.length; i++) {
    const a = orders[i] as OrderRecord;
    const b = before[i] as OrderRecord;
    if (a === b) continue;
    if (a.source !== b.source || a.orderId !== b.orderId) return undefined;
    changed.push(i);
    if (changed.length > 256) return undefined;
  }
  const rows = sorted.slice();
  for (const i of changed) {
    const old = rowOf.get(before[i] as OrderRecord);
    if (!old || old.record !== before[i]) return undefined;
    if (!sourceIds.has(old.source)) continue;
    let at = lowerBound(rows, old);
    if (rows[at] !== old) at = rows.indexOf(old);
    if (at < 0) return undefined;
    rows.splice(at, 1);
  }
  for (const i of changed) {
    const row = rowFor(orders[i] as OrderRecord);
    if (!sourceIds.has(row.source)) continue;
    rows.splice(lowerBound(rows, row), 0, row);
  }
  return rows;
}

/** Every row of the known sources, sorted, before filter and search. */
function allRows(orders: readonly OrderRecord[], sources: readonly SourceView[]): OrderRow[] {
  const last = lastAll;
  if (last && last.orders === orders && last.length === orders.length && last.sources === sources) {
    return last.rows;
  }
  const sourceIds = new Set(sources.map((s) => s.id));
  if (last && last.sources === sources && last.length === last.orders.length) {
    const rows = patchRows(last.orders, orders, last.rows, sourceIds);
    if (rows) {
      lastAll = { orders, length: orders.length, sources, rows, watched: last.watched };
      return rows;
    }
  }
  const byKey = new Map<string, OrderRow>();
  for (const r of orders) {
    const row = rowFor(r);
    byKey.set(row.key, row);
  }
  const fresh: OrderRow[] = [];
  for (const row of byKey.values()) if (sourceIds.has(row.source)) fresh.push(row);
  const watched = new Map<string, OrderRow>();
  for (const s of sources) {
    for (const orderId of s.watched) {
      const key = orderKey(s.id, orderId);
      if (byKey.has(key)) continue;
      const prev = last?.watched.get(key);
      const row: OrderRow =
        prev && prev.provider === s.provider
          ? prev
          : { key, source: s.id, provider: s.provider, orderId, record: undefined };
      watched.set(key, row);
      fresh.push(row);
    }
  }
  let rows = fresh;
  if (last) {
    // Lay the rows out in the previous order (new ones at the end) so the sort below has little to do.
    const pos = new Map<string, number>();
    last.rows.forEach((row, i) => pos.set(row.key, i));
    const placed: (OrderRow | undefined)[] = new Array<OrderRow | undefined>(last.rows.length);
    const extra: OrderRow[] = [];
    for (const row of fresh) {
      const i = pos.get(row.key);
      if (i === undefined || placed[i] !== undefined) extra.push(row);
      else placed[i] = row;
    }
    rows = [];
    for (const row of placed) if (row !== undefined) rows.push(row);
    for (const row of extra) rows.push(row);
  }
  rows.sort(compareRows);
  lastAll = { orders, length: orders.length, sources, rows, watched };
  return rows;
}

/**
 * Rows to show: watched orders without news first, then active orders, then finished ones, each
 * group most recently changed first; narrowed by the filter and by a case-insensitive id search.
 */
export function visibleRows(
  orders: readonly OrderRecord[],
  sources: readonly SourceView[],
  filter: OrderFilter,
  search: string,
): OrderRow[] {
  const needle = search.trim().toLowerCase();
  const all = allRows(orders, sources);
  if (!needle && filter === 'all') return all.slice();
  return all.filter(
    (row) => (!needle || row.orderId.toLowerCase().includes(needle)) && matches(row, filter),
  );
}

export interface Tally {
  active: number;
  /** Failed or canceled; refunds and expiries have their own counts (END_COUNT). */
  failed: number;
  refunded: number;
  expired: number;
}

export function counts(orders: readonly OrderRecord[]): Tally {
  const tally: Tally = { active: 0, failed: 0, refunded: 0, expired: 0 };
  for (const r of orders) {
    if (!r.terminal) {
      tally.active += 1;
      continue;
    }
    const kind = END_COUNT[r.status];
    if (kind === 'failed' || kind === 'refunded' || kind === 'expired') tally[kind] += 1;
  }
  return tally;
}
