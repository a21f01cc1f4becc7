// Watching orders and reading the list (issue 11, items 7, 8 and 9): the Source dropdown shows what
// the form uses, a pasted list adds each id, Remove can be undone, new orders stand out, ids the
// provider never reported wait below active orders; a row is read as more than its id; the
// timeline carries the date when not today; search looks at more than the id.
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import AddOrderForm from '../../src-renderer/components/AddOrderForm.svelte';
import OrderList from '../../src-renderer/components/OrderList.svelte';
import { parseOrderIds, visibleRows } from '../../src-renderer/lib/orders';
import { timelineTime } from '../../src-renderer/lib/row-text';
import { fakeBridge, mountApp, mountContext, record, sourceView } from './fixtures';

const sources = [sourceView('nx', 'nexchange', { label: 'Main' }), sourceView('hd', 'houdini')];

describe('the Source dropdown', () => {
  it('shows the source the form will use, and the one picked', async () => {
    const { bridge, invoke } = fakeBridge();
    render(AddOrderForm, { props: {}, context: mountContext({ bridge, snapshot: { sources } }) });
    const select = screen.getByLabelText('Source') as HTMLSelectElement;
    expect(select.value).toBe('nx');
    expect(select.selectedOptions[0]?.textContent).toContain('Main');
    await fireEvent.change(select, { target: { value: 'hd' } });
    expect(select.value).toBe('hd');
    await fireEvent.input(screen.getByLabelText('Order id'), { target: { value: 'H-1' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Watch order' }));
    await vi.waitFor(() =>
      expect(invoke).toHaveBeenCalledWith('addOrder', { source: 'hd', orderId: 'H-1' }),
    );
  });
});

describe('several ids at once', () => {
  it.each([
    ['A1, A2, A3', ['A1', 'A2', 'A3']],
    ['A1,A2,A3', ['A1', 'A2', 'A3']],
    ['A1 A2  A3', ['A1', 'A2', 'A3']],
    ['A1\nA2\r\nA3\n', ['A1', 'A2', 'A3']],
    ['A1; A2;A3', ['A1', 'A2', 'A3']],
    [' A1 ,, A1 ', ['A1']],
    ['', []],
  ])('parseOrderIds(%j)', (text, ids) => {
    expect(parseOrderIds(text)).toEqual(ids);
  });

  it('typing "A1, A2, A3" watches three orders', async () => {
    const { bridge, invoke } = fakeBridge();
    const onAdded = vi.fn();
    render(AddOrderForm, {
      props: { onAdded },
      context: mountContext({ bridge, snapshot: { sources } }),
    });
    await fireEvent.input(screen.getByLabelText('Order id'), {
      target: { value: 'A1, A2, A3' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Watch 3 orders' }));
    await vi.waitFor(() => expect(onAdded).toHaveBeenCalledWith('nx', ['A1', 'A2', 'A3']));
    expect(invoke.mock.calls.map((c) => c[1])).toEqual([
      { source: 'nx', orderId: 'A1' },
      { source: 'nx', orderId: 'A2' },
      { source: 'nx', orderId: 'A3' },
    ]);
  });

  it('a pasted list with new lines keeps its ids apart', async () => {
    render(AddOrderForm, { props: {}, context: mountContext({ snapshot: { sources } }) });
    const input = screen.getByLabelText('Order id') as HTMLInputElement;
    const event = new Event('paste', { bubbles: true, cancelable: true });
    Object.assign(event, { clipboardData: { getData: () => 'A1\nA2\nA3' } });
    input.dispatchEvent(event);
    flushSync();
    expect(event.defaultPrevented).toBe(true);
    expect(input.value).toBe('A1, A2, A3');
  });

  it('ids the main side refuses stay in the field, each with its reason', async () => {
    const { bridge } = fakeBridge({
      addOrder: (req) =>
        req.orderId === 'A2'
          ? { ok: false, field: 'orderId', error: 'this order is already in the list' }
          : { ok: true },
    });
    const onAdded = vi.fn();
    render(AddOrderForm, {
      props: { onAdded },
      context: mountContext({ bridge, snapshot: { sources } }),
    });
    const input = screen.getByLabelText('Order id') as HTMLInputElement;
    await fireEvent.input(input, { target: { value: 'A1 A2 A3' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Watch 3 orders' }));
    expect(await screen.findByText('A2: this order is already in the list')).toBeTruthy();
    expect(input.value).toBe('A2');
    expect(onAdded).toHaveBeenCalledWith('nx', ['A1', 'A3']);
  });
});

describe('ids the provider never reported', () => {
  it('wait visibly, below active orders and above finished ones', () => {
    const orders = [
      record('ACTIVE', 'processing', { at: '2025-06-01T10:00:00.000Z' }),
      record('DONE', 'completed', { at: '2025-06-01T11:00:00.000Z' }),
    ];
    const rows = visibleRows(
      orders,
      [sourceView('nx', 'nexchange', { watched: ['TYPO'] })],
      'all',
      '',
    );
    expect(rows.map((r) => r.orderId)).toEqual(['ACTIVE', 'TYPO', 'DONE']);
    render(OrderList, {
      props: { rows, onRemove: vi.fn() },
      context: mountContext({ snapshot: { sources: [sourceView('nx', 'nexchange')] } }),
    });
    const typo = screen.getByRole('article', { name: /^TYPO:/ });
    expect(within(typo).getByText('waiting for first update')).toBeTruthy();
  });
});

describe('remove, undo, and new orders', () => {
  it('Remove can be undone for a few seconds; focus goes to Undo; the order comes back highlighted', async () => {
    const { send } = await mountApp({
      sources: [sourceView('nx', 'nexchange', { watched: ['KEEP-1'] })],
      orders: [record('KEEP-1', 'processing')],
    });
    await fireEvent.click(screen.getByRole('button', { name: 'KEEP-1' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Remove from list' }));
    const undo = await screen.findByRole('button', { name: 'Undo' });
    expect(screen.getByRole('status').textContent).toContain('Removed KEEP-1');
    await vi.waitFor(() => expect(document.activeElement).toBe(undo));
    // The main side drops it…
    send([{ type: 'order-removed', source: 'nx', orderId: 'KEEP-1' }]);
    send([{ type: 'source', source: sourceView('nx', 'nexchange', { watched: [] }) }]);
    expect(document.querySelector('[data-order-id="KEEP-1"]')).toBeNull();
    // …and Undo watches it again.
    await fireEvent.click(undo);
    send([{ type: 'source', source: sourceView('nx', 'nexchange', { watched: ['KEEP-1'] }) }]);
    await vi.waitFor(() =>
      expect(document.querySelector('article[data-order-id="KEEP-1"]')?.className).toContain(
        'fresh',
      ),
    );
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  });

  it('an order added with the form is highlighted', async () => {
    const { send } = await mountApp({ sources: [sourceView('nx', 'nexchange')] });
    await fireEvent.click(screen.getByRole('button', { name: '+ Order' }));
    await fireEvent.input(screen.getByLabelText('Order id'), { target: { value: 'NEW-1' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Watch order' }));
    send([{ type: 'source', source: sourceView('nx', 'nexchange', { watched: ['NEW-1'] }) }]);
    await vi.waitFor(() =>
      expect(document.querySelector('article[data-order-id="NEW-1"]')?.className).toContain(
        'fresh',
      ),
    );
  });
});

describe('a row is read as more than its id (item 8)', () => {
  it('id, status in words with the provider code, provider, source and amounts', () => {
    const r = record('N-1', 'processing', { providerStatus: '13' });
    r.details = { amountIn: '0.5', currencyIn: 'BTC', amountOut: '8.1', currencyOut: 'ETH' };
    render(OrderList, {
      props: {
        rows: visibleRows([r], [sourceView('nx', 'nexchange', { label: 'main' })], 'all', ''),
        onRemove: vi.fn(),
      },
      context: mountContext({
        snapshot: { sources: [sourceView('nx', 'nexchange', { label: 'main' })] },
      }),
    });
    const summary = 'processing (13 PAID), n.exchange, main, 0.5 BTC → 8.1 ETH';
    expect(screen.getByRole('article', { name: `N-1: ${summary}` })).toBeTruthy();
    const toggle = screen.getByRole('button', { name: 'N-1' });
    const described = document.getElementById(toggle.getAttribute('aria-describedby') ?? '');
    expect(described?.textContent).toBe(summary);
  });
});

describe('words (item 9)', () => {
  const now = Date.parse('2025-06-04T12:00:00.000Z');
  it('a timeline entry from today shows the time; from another day, the date too', () => {
    const today = timelineTime(new Date(now).toISOString(), now);
    const earlier = timelineTime('2025-06-01T12:00:00.000Z', now);
    expect(today).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(earlier).not.toBe(today);
    // The day of the month in the local zone (1 June at noon UTC is 2 June in Kiritimati).
    const day = new Date('2025-06-01T12:00:00.000Z').getDate();
    expect(earlier).toMatch(new RegExp(`\\b${day}\\b`));
    expect(earlier).toMatch(/\d\d:\d\d/);
  });

  const orders = () => {
    const a = record('ALPHA-1', 'processing');
    a.details = {
      pair: 'BTC/ETH',
      amountIn: '0.5',
      currencyIn: 'BTC',
      amountOut: '8.1',
      currencyOut: 'ETH',
    };
    const b = record('BETA-2', 'pending', { source: 'hd', provider: 'houdini' });
    b.details = { amountIn: '250', currencyIn: 'USDC' };
    return [a, b];
  };
  const both = [sourceView('nx', 'nexchange', { label: 'Main desk' }), sourceView('hd', 'houdini')];
  it.each([
    ['alpha', ['ALPHA-1']],
    ['houdini', ['BETA-2']],
    ['n.exchange', ['ALPHA-1']],
    ['main desk', ['ALPHA-1']],
    ['btc/eth', ['ALPHA-1']],
    ['8.1', ['ALPHA-1']],
    ['usdc', ['BETA-2']],
    ['250 usdc', ['BETA-2']],
    ['eth alpha', ['ALPHA-1']],
    ['xyz', []],
  ])('search "%s" finds %j', (search, ids) => {
    expect(visibleRows(orders(), both, 'all', search).map((r) => r.orderId)).toEqual(ids);
  });
});
