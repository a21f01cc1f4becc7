// Pure list logic for the orders view: which rows, in which order. Kept out of components so it is
// tested directly and stays cheap at 10,000 orders.
import type { SourceView } from '../../src-main/shared/bridge';
import { orderKey, type OrderRecord } from '../../src-main/shared/orders';
import { PROVIDER_INFO, type ProviderKey } from '../../src-main/shared/providers';
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

// Active orders first, then watched ids the provider never reported (a mistyped id must not sit
// above real orders), then finished ones.
function rank(row: OrderRow): number {
  return !row.record ? 1 : row.record.terminal ? 2 : 0;
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

// What a search looks at, per row object (kept while its record is unchanged): the id, the
// provider's name, the source's label, the pair and the amounts with their currencies.
const haystackOf = new WeakMap<OrderRow, string>();

function haystack(row: OrderRow, labels: ReadonlyMap<string, string>): string {
  let text = haystackOf.get(row);
  if (text === undefined) {
    const d = row.record?.details;
    text = [
      row.orderId,
      PROVIDER_INFO[row.provider]?.name,
      labels.get(row.source) ?? row.source,
      d?.pair,
      d?.amountIn,
      d?.currencyIn,
      d?.amountOut,
      d?.currencyOut,
    ]
      .filter(Boolean)
      .join('\n')
      .toLowerCase();
    haystackOf.set(row, text);
  }
  return text;
}

/**
 * Rows to show: active orders, then watched orders without news, then finished ones, each group
 * most recently changed first; narrowed by the filter and by a case-insensitive search over id,
 * provider, source label, pair and amounts (every word must match).
 */
export function visibleRows(
  orders: readonly OrderRecord[],
  sources: readonly SourceView[],
  filter: OrderFilter,
  search: string,
): readonly OrderRow[] {
  const needles = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const all = allRows(orders, sources);
  // The cached list itself, not a copy (10,000 entries a frame): callers only read it.
  if (needles.length === 0 && filter === 'all') return all;
  const labels = new Map(sources.map((s) => [s.id, s.label ?? s.id]));
  return all.filter((row) => {
    if (!matches(row, filter)) return false;
    if (needles.length === 0) return true;
    const text = haystack(row, labels);
    return needles.every((n) => text.includes(n));
  });
}

// Key → position of a held order's rows. The held sequence changes only when it is applied (about
// once a second) or loses a row, so the map is built once for it and handed on to each frame's
// result instead of hashing 10,000 keys into a new map every frame (a map that size is
// large-object garbage, only reclaimed by the full collections that made the longest frames).
const positions = new WeakMap<readonly OrderRow[], ReadonlyMap<string, number>>();

function positionsOf(rows: readonly OrderRow[]): ReadonlyMap<string, number> {
  let index = positions.get(rows);
  if (!index) {
    const map = new Map<string, number>();
    rows.forEach((row, i) => map.set(row.key, i));
    positions.set(rows, map);
    index = map;
  }
  return index;
}

/**
 * The rows in the order the user is looking at, with their current contents: `shown` (the order
 * last applied) keeps its sequence, each row replaced by its current object from `live` (so
 * statuses change in place); rows gone from `live` leave; rows new in `live` wait. `pending` counts
 * the rows that changed or arrived since `shown` was applied (what applying would bring).
 */
export function holdOrder(
  shown: readonly OrderRow[],
  live: readonly OrderRow[],
  since: ReadonlySet<string>,
): { rows: readonly OrderRow[]; changed: Set<string> } {
  const index = positionsOf(shown);
  const placed = new Array<OrderRow | undefined>(shown.length).fill(undefined);
  const changed = new Set<string>();
  let kept = 0;
  for (const row of live) {
    const i = index.get(row.key);
    if (i === undefined) {
      changed.add(row.key);
      continue;
    }
    placed[i] = row;
    kept += 1;
    if (row !== shown[i]) changed.add(row.key);
  }
  // What waited from earlier frames still does, unless its order has left (new ones were added above).
  for (const key of since) {
    const i = index.get(key);
    if (i !== undefined && placed[i] !== undefined) changed.add(key);
  }
  if (kept === shown.length) {
    const rows = placed as OrderRow[];
    positions.set(rows, index);
    return { rows, changed };
  }
  return { rows: placed.filter((row): row is OrderRow => row !== undefined), changed };
}

/** True when the two lists hold the same rows in the same order. */
export function sameOrder(a: readonly OrderRow[], b: readonly OrderRow[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && x?.key !== y?.key) return false;
  }
  return true;
}

/** Order ids from what the user typed or pasted: split on commas, semicolons and whitespace. */
export function parseOrderIds(text: string): string[] {
  const ids: string[] = [];
  for (const id of text.split(/[\s,;]+/)) if (id && !ids.includes(id)) ids.push(id);
  return ids;
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
