// Pure list logic for the orders view: which rows, in which order. Kept out of components so it is
// tested directly and stays cheap at 10,000 orders.
import type { SourceView } from '../../src-main/shared/bridge';
import type { OrderRecord } from '../../src-main/engine/store';
import type { NormalizedStatus, ProviderKey } from '../../src-main/engine/types';

export type OrderFilter = 'all' | 'active' | 'finished' | 'failed';

export interface OrderRow {
  key: string;
  source: string;
  provider: ProviderKey;
  orderId: string;
  /** undefined: watched, but the provider has not said anything about it yet. */
  record: OrderRecord | undefined;
}

export function orderKey(source: string, orderId: string): string {
  return `${source}\u0000${orderId}`;
}

/** Terminal statuses that mean the order did not go through. */
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
      return r !== undefined && r.terminal && FAILED_STATUSES.has(r.status);
  }
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
  const known = new Set<string>();
  const rows: OrderRow[] = [];
  const sourceIds = new Set(sources.map((s) => s.id));
  for (const r of orders) {
    const key = orderKey(r.source, r.orderId);
    known.add(key);
    if (!sourceIds.has(r.source)) continue;
    const row: OrderRow = {
      key,
      source: r.source,
      provider: r.provider,
      orderId: r.orderId,
      record: r,
    };
    if (needle && !r.orderId.toLowerCase().includes(needle)) continue;
    if (matches(row, filter)) rows.push(row);
  }
  for (const s of sources) {
    for (const orderId of s.watched) {
      const key = orderKey(s.id, orderId);
      if (known.has(key)) continue;
      if (needle && !orderId.toLowerCase().includes(needle)) continue;
      const row: OrderRow = { key, source: s.id, provider: s.provider, orderId, record: undefined };
      if (matches(row, filter)) rows.push(row);
    }
  }
  const rank = (row: OrderRow) => (!row.record ? 0 : row.record.terminal ? 2 : 1);
  return rows.sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return ra - rb;
    const ta = a.record?.updatedAt ?? '';
    const tb = b.record?.updatedAt ?? '';
    if (ta !== tb) return ta < tb ? 1 : -1;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
}

export function counts(orders: readonly OrderRecord[]): { active: number; failed: number } {
  let active = 0;
  let failed = 0;
  for (const r of orders) {
    if (!r.terminal) active += 1;
    else if (FAILED_STATUSES.has(r.status)) failed += 1;
  }
  return { active, failed };
}
