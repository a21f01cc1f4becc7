import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import OrderList from '../../src-renderer/components/OrderList.svelte';
import { visibleRows } from '../../src-renderer/lib/orders';
import { LABELS, record, sourceView } from './fixtures';

const NOW = Date.parse('2025-06-01T12:00:30.000Z');

function rowsFor(orders: ReturnType<typeof record>[], watched: string[] = []) {
  return visibleRows(orders, [sourceView('nx', 'nexchange', { watched })], 'all', '');
}

function renderList(rows: ReturnType<typeof rowsFor>, onRemove = vi.fn(async () => undefined)) {
  return {
    onRemove,
    ...render(OrderList, {
      rows,
      labels: LABELS,
      now: NOW,
      sourceLabels: { nx: 'n.exchange main' },
      onRemove,
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
    ['all', '', ['waiting-1', 'active-new', 'active-old', 'failed-new', 'done-old']],
    ['active', '', ['waiting-1', 'active-new', 'active-old']],
    ['finished', '', ['failed-new', 'done-old']],
    ['failed', '', ['failed-new']],
    ['all', 'NEW', ['active-new', 'failed-new']],
    ['all', 'zzz', []],
  ] as const)('filter %s, search "%s"', (filter, search, ids) => {
    expect(visibleRows(orders, sources, filter, search).map((r) => r.orderId)).toEqual(ids);
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
    expect(within(row).getByText('13 PAID')).toBeTruthy();
    expect(within(row).getByText('0.5 BTC → 8.1 ETH')).toBeTruthy();
    expect(within(row).getByText('30s')).toBeTruthy();
    expect(within(row).getByText('n.exchange main')).toBeTruthy();
  });

  it('a watched order without news shows as waiting', () => {
    renderList(rowsFor([], ['W-1']));
    expect(screen.getByText('waiting for news')).toBeTruthy();
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
    expect(within(timeline).getByText('11 INITIAL')).toBeTruthy();
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
      rows: [],
      labels: LABELS,
      now: NOW,
      sourceLabels: {},
      onRemove: vi.fn(),
      emptyText: 'No order matches.',
    });
    expect(screen.getByText('No order matches.')).toBeTruthy();
  });
});
