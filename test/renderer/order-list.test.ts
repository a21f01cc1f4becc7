import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import OrderList from '../../src-renderer/components/OrderList.svelte';
import { holdOrder, sameOrder, visibleRows } from '../../src-renderer/lib/orders';
import { PROVIDER_INFO } from '../../src-main/shared/providers';
import { mountContext, record, sourceView } from './fixtures';

const NOW = Date.parse('2025-06-01T12:00:30.000Z');

function rowsFor(orders: ReturnType<typeof record>[], watched: string[] = []) {
  return visibleRows(orders, [sourceView('nx', 'nexchange', { watched })], 'all', '');
}

function renderList(rows: ReturnType<typeof rowsFor>, onRemove = vi.fn(async () => undefined)) {
  return {
    onRemove,
    ...render(OrderList, {
      props: { rows, onRemove },
      // The state's status labels (LABELS) and source labels, the clock stopped at NOW.
      context: mountContext({
        now: NOW,
        snapshot: { sources: [sourceView('nx', 'nexchange', { label: 'n.exchange main' })] },
      }),
    }),
  };
}

describe('visibleRows', () => {
  const orders = [
    record('done-old', 'completed', { at: '2025-06-01T10:00:00.000Z' }),
    record('active-old', 'processing', { at: '2025-06-01T09:00:00.000Z' }),
    record('failed-new', 'failed', { at: '2025-06-01T11:00:00.000Z' }),
    record('active-new', 'pending', { at: '2025-06-01T11:30:00.000Z' }),
    record('other-source', 'pending', { source: 'gone' }),
  ];
  const sources = [sourceView('nx', 'nexchange', { watched: ['waiting-1', 'active-old'] })];
  it.each([
    // A watched id the provider never reported sorts below real active orders (issue 11, item 7).
    ['all', '', ['active-new', 'active-old', 'waiting-1', 'failed-new', 'done-old']],
    ['active', '', ['active-new', 'active-old', 'waiting-1']],
    ['finished', '', ['failed-new', 'done-old']],
    ['failed', '', ['failed-new']],
    ['all', 'NEW', ['active-new', 'failed-new']],
    ['all', 'zzz', []],
  ] as const)('filter %s, search "%s"', (filter, search, ids) => {
    expect(visibleRows(orders, sources, filter, search).map((r) => r.orderId)).toEqual(ids);
  });
});

describe('visibleRows across batches', () => {
  // The rows are rebuilt incrementally between calls; the result must match a fresh sort.
  function reference(orders: ReturnType<typeof record>[], watched: string[]): string[] {
    const known = new Set(orders.map((o) => o.orderId));
    const waiting = watched.filter((id) => !known.has(id)).sort();
    const rank = (o: ReturnType<typeof record>) => (o.terminal ? 1 : 0);
    const active = (o: ReturnType<typeof record>) => !o.terminal;
    const sorted = [...orders].sort((a, b) =>
      rank(a) !== rank(b)
        ? rank(a) - rank(b)
        : a.updatedAt !== b.updatedAt
          ? a.updatedAt < b.updatedAt
            ? 1
            : -1
          : a.orderId < b.orderId
            ? -1
            : 1,
    );
    // Active orders, then watched ids never reported, then finished orders.
    return [
      ...sorted.filter(active).map((o) => o.orderId),
      ...waiting,
      ...sorted.filter((o) => !active(o)).map((o) => o.orderId),
    ];
  }

  it('keeps the order of a fresh sort while orders change, appear and go', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const stamp = (s: number) => new Date(Date.UTC(2025, 5, 1, 12, 0, s)).toISOString();
    const byId = new Map<string, ReturnType<typeof record>>();
    for (let i = 0; i < 60; i++) {
      const id = `o-${i}`;
      byId.set(id, record(id, rnd(4) === 0 ? 'completed' : 'pending', { at: stamp(rnd(30)) }));
    }
    const watched = ['w-1', 'w-2', 'o-3'];
    for (let step = 0; step < 40; step++) {
      for (let k = 0; k < 5; k++) {
        // Every other step only updates known orders (same ids, same places).
        const onlyUpdates = step % 2 === 1;
        const ids = [...byId.keys()];
        const id = onlyUpdates ? (ids[rnd(ids.length)] as string) : `o-${rnd(70)}`;
        const known = byId.get(id);
        const status = rnd(5) === 0 ? 'failed' : 'processing';
        const next = record(id, status, { at: stamp(30 + step - rnd(3)) });
        if (known?.terminal) next.terminal = true;
        if (!onlyUpdates && rnd(10) === 0) byId.delete(id);
        else byId.set(id, next);
      }
      const orders = [...byId.values()];
      const sources = [sourceView('nx', 'nexchange', { watched })];
      expect(visibleRows(orders, sources, 'all', '').map((r) => r.orderId)).toEqual(
        reference(orders, watched),
      );
      expect(visibleRows(orders, sources, 'active', '').map((r) => r.orderId)).toEqual(
        reference(orders, watched).filter((id) => !byId.get(id)?.terminal),
      );
    }
  });
});

describe('OrderList', () => {
  it('shows provider badge, id, status chip with the provider label, amounts and age', () => {
    const r = record('N-1', 'processing', { providerStatus: '13', at: '2025-06-01T12:00:00.000Z' });
    r.details = { amountIn: '0.5', currencyIn: 'BTC', amountOut: '8.1', currencyOut: 'ETH' };
    renderList(rowsFor([r]));
    const row = screen.getByRole('listitem');
    expect(within(row).getByText('NX')).toBeTruthy();
    expect(within(row).getByText('N-1')).toBeTruthy();
    expect(within(row).getByText('processing')).toBeTruthy();
    // Issue 11: the provider's words first, its code second ("13 PAID" before).
    expect(row.querySelector('.own')?.textContent).toBe('paid 13');
    expect(within(row).getByText('0.5 BTC → 8.1 ETH')).toBeTruthy();
    expect(within(row).getByText('30s')).toBeTruthy();
    expect(within(row).getByText('n.exchange main')).toBeTruthy();
  });

  it("colours the badge with the provider's colour from its description", () => {
    renderList(rowsFor([record('N-1', 'processing')]));
    const badge = within(screen.getByRole('listitem')).getByText('NX');
    expect(badge.style.getPropertyValue('--p-color')).toBe(PROVIDER_INFO.nexchange.colour);
    expect(badge.getAttribute('title')).toBe('n.exchange · n.exchange main');
  });

  it('a watched order without news shows as waiting', () => {
    renderList(rowsFor([], ['W-1']));
    expect(screen.getByText('waiting for first update')).toBeTruthy();
  });

  it('expands to the timeline of transitions and removes the order', async () => {
    const r = record('N-2', 'pending', { providerStatus: '11', at: '2025-06-01T12:00:00.000Z' });
    r.history.push({ status: 'processing', providerStatus: '13', at: '2025-06-01T12:00:10.000Z' });
    r.history.push({ status: 'completed', providerStatus: '16', at: '2025-06-01T12:00:20.000Z' });
    Object.assign(r, { status: 'completed', providerStatus: '16', terminal: true });
    const { onRemove } = renderList(rowsFor([r]));
    const toggle = screen.getByRole('button', { name: 'N-2' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const timeline = screen.getByRole('list', { name: 'Timeline of order N-2' });
    expect(within(timeline).getAllByRole('listitem')).toHaveLength(3);
    expect(timeline.querySelector('.own')?.textContent).toBe('initial 11');
    await fireEvent.click(screen.getByRole('button', { name: 'Remove from list' }));
    expect(onRemove).toHaveBeenCalledWith(
      expect.objectContaining({ orderId: 'N-2', source: 'nx' }),
    );
  });

  it('copies the order id', async () => {
    renderList(rowsFor([record('COPY-ME', 'pending')]));
    await fireEvent.click(screen.getByRole('button', { name: 'Copy order id COPY-ME' }));
    expect(navigator.clipboard.writeText).toHaveBeenCalledWith('COPY-ME');
  });

  it('renders only a window of 10,000 orders', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      record(`BULK-${String(i).padStart(5, '0')}`, i % 3 === 0 ? 'completed' : 'processing', {
        at: new Date(Date.parse('2025-06-01T00:00:00Z') + i * 1000).toISOString(),
      }),
    );
    const { container } = renderList(rowsFor(many));
    const items = container.querySelectorAll('[role="listitem"]');
    expect(items.length).toBeGreaterThan(5);
    expect(items.length).toBeLessThan(40);
    // Newest active first (09999 is completed: i % 3 === 0).
    expect(items[0]?.querySelector('[data-order-id]')?.getAttribute('data-order-id')).toBe(
      'BULK-09998',
    );
  });

  it('says so when nothing matches', () => {
    render(OrderList, {
      props: { rows: [], onRemove: vi.fn(), emptyText: 'No order matches.' },
      context: mountContext({ now: NOW, snapshot: { sources: [] } }),
    });
    expect(screen.getByText('No order matches.')).toBeTruthy();
  });
});

describe('holdOrder (rows keep their places while the list is held)', () => {
  const src = [sourceView('nx', 'nexchange', { watched: [] })];
  const at = (s: number) => new Date(Date.UTC(2025, 5, 1, 12, 0, s)).toISOString();
  const rows = (orders: ReturnType<typeof record>[]) => visibleRows(orders, src, 'all', '');
  const ids = (list: readonly { orderId: string }[]) => list.map((r) => r.orderId);

  it.each([
    // [what happens, ids after the change in their true order, shown order kept, pending]
    [
      'B is updated: it stays second, with its new status',
      'B',
      ['B', 'A', 'C'],
      ['A', 'B', 'C'],
      1,
    ],
    ['C is removed: it leaves, nothing else moves', 'remove C', ['A', 'B'], ['A', 'B'], 0],
    ['D arrives: it waits for the pill', 'add D', ['D', 'A', 'B', 'C'], ['A', 'B', 'C'], 1],
    [
      'C leaves and D arrives in one batch: C goes, D waits',
      'C for D',
      ['D', 'A', 'B'],
      ['A', 'B'],
      1,
    ],
  ] as const)('%s', (_what, change, truth, kept, pending) => {
    const base = [
      record('A', 'pending', { at: at(3) }),
      record('B', 'pending', { at: at(2) }),
      record('C', 'pending', { at: at(1) }),
    ];
    const shown = rows(base);
    expect(ids(shown)).toEqual(['A', 'B', 'C']);
    let next = base;
    if (change === 'B') next = [base[0]!, record('B', 'processing', { at: at(9) }), base[2]!];
    if (change === 'remove C') next = base.slice(0, 2);
    if (change === 'add D') next = [...base, record('D', 'pending', { at: at(9) })];
    if (change === 'C for D') next = [base[0]!, base[1]!, record('D', 'pending', { at: at(9) })];
    const live = rows(next);
    expect(ids(live)).toEqual(truth);
    const held = holdOrder(shown, live, new Set());
    expect(ids(held.rows)).toEqual(kept);
    expect(held.changed.size).toBe(pending);
    // Contents follow the truth: every kept row is the live row object for its order.
    for (const row of held.rows) expect(live).toContain(row);
  });
});

describe('holdOrder across frames', () => {
  const src = [sourceView('nx', 'nexchange', { watched: [] })];
  const at = (s: number) => new Date(Date.UTC(2025, 5, 1, 12, 0, s)).toISOString();
  const rows = (orders: ReturnType<typeof record>[]) => visibleRows(orders, src, 'all', '');

  it('what waited from earlier frames still counts, unless that order has gone', () => {
    const a = record('A', 'pending', { at: at(3) });
    const b = record('B', 'pending', { at: at(2) });
    const c = record('C', 'pending', { at: at(1) });
    const shown = rows([a, b, c]);
    const first = holdOrder(
      shown,
      rows([a, record('B', 'processing', { at: at(8) }), c]),
      new Set(),
    );
    expect([...first.changed].map((k) => k.split('\u0000')[1])).toEqual(['B']);
    // Next frame: C is updated, then B is removed.
    const c2 = record('C', 'processing', { at: at(9) });
    const second = holdOrder(
      first.rows,
      rows([a, record('B', 'processing', { at: at(8) }), c2]),
      first.changed,
    );
    expect([...second.changed].map((k) => k.split('\u0000')[1]).sort()).toEqual(['B', 'C']);
    const third = holdOrder(second.rows, rows([a, c2]), second.changed);
    expect(third.rows.map((r) => r.orderId)).toEqual(['A', 'C']);
    expect([...third.changed].map((k) => k.split('\u0000')[1])).toEqual(['C']);
    // And the frame after that finds each order in its new place.
    const c3 = record('C', 'completed', { at: at(10) });
    const fourth = holdOrder(third.rows, rows([a, c3]), third.changed);
    expect(fourth.rows.map((r) => `${r.orderId} ${r.record?.status}`)).toEqual([
      'A pending',
      'C completed',
    ]);
  });
});

describe('sameOrder', () => {
  const src = [sourceView('nx', 'nexchange', { watched: [] })];
  const list = (...ids: string[]) =>
    visibleRows(
      ids.map((id, i) =>
        record(id, 'pending', { at: new Date(Date.UTC(2025, 5, 1, 12, 0, 50 - i)).toISOString() }),
      ),
      src,
      'all',
      '',
    ).slice();

  it.each([
    ['the same rows', list('A', 'B'), list('A', 'B'), true],
    [
      'other row objects for the same orders',
      list('A', 'B'),
      list('A', 'B').map((r) => ({ ...r })),
      true,
    ],
    ['two rows swapped', list('A', 'B'), list('B', 'A'), false],
    ['a row more', list('A', 'B'), list('A', 'B', 'C'), false],
    ['both empty', [], [], true],
  ] as const)('%s', (_what, a, b, same) => {
    expect(sameOrder(a, b)).toBe(same);
  });
});
