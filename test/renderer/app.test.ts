// The whole window in jsdom: App hands state, bridge and clock to every component through the
// window context, and a focus request (a clicked notification or toast) shows its order whatever
// tab, filter and search were showing, without copying state into state in an effect.
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlertLine } from '../../src-main/shared/lines';
import OrdersView from '../../src-renderer/components/OrdersView.svelte';
import { Clock } from '../../src-renderer/lib/clock.svelte';
import { mountApp as mountFixtureApp, record, sourceView } from './fixtures';

const ORDERS = [
  record('DONE-1', 'completed', { at: '2025-06-01T11:00:00.000Z' }),
  record('OPEN-1', 'processing', { at: '2025-06-01T11:30:00.000Z' }),
];

/** App on a scripted bridge with the orders above. */
const mountApp = () =>
  mountFixtureApp({ orders: ORDERS, sources: [sourceView('nx', 'nexchange')] });

const tab = (name: string) => screen.getByRole('tab', { name: new RegExp(`^${name}`) });
const shownIds = () =>
  [...document.querySelectorAll('[data-order-id]')].map((el) => el.getAttribute('data-order-id'));

describe('App', () => {
  afterEach(() => vi.useRealTimers());

  it('a focus request shows the orders tab, whatever tab the user chose', async () => {
    const { send } = await mountApp();
    await fireEvent.click(tab('Settings'));
    expect(tab('Settings').getAttribute('aria-selected')).toBe('true');
    send([{ type: 'focus-order', source: 'nx', orderId: 'DONE-1' }]);
    expect(tab('Orders').getAttribute('aria-selected')).toBe('true');
    // The user's choice holds again until the next request.
    await fireEvent.click(tab('Activity'));
    expect(tab('Activity').getAttribute('aria-selected')).toBe('true');
    send([{ type: 'focus-order', source: 'nx', orderId: 'DONE-1' }]);
    expect(tab('Orders').getAttribute('aria-selected')).toBe('true');
  });

  it('a focus request clears the filter and the search, and opens the order', async () => {
    const { send } = await mountApp();
    await fireEvent.click(screen.getByRole('button', { name: /^Active/ }));
    await fireEvent.input(screen.getByLabelText('Search orders'), {
      target: { value: 'OPEN' },
    });
    expect(shownIds()).toEqual(['OPEN-1']);
    send([{ type: 'focus-order', source: 'nx', orderId: 'DONE-1' }]);
    expect(screen.getByRole('button', { name: /^All/ }).getAttribute('aria-pressed')).toBe('true');
    expect((screen.getByLabelText('Search orders') as HTMLInputElement).value).toBe('');
    expect(shownIds()).toEqual(['OPEN-1', 'DONE-1']);
    await vi.waitFor(() =>
      expect(screen.getByRole('button', { name: 'DONE-1' }).getAttribute('aria-expanded')).toBe(
        'true',
      ),
    );
    // Filtering again after the request works as before.
    await fireEvent.click(screen.getByRole('button', { name: /^Finished/ }));
    expect(shownIds()).toEqual(['DONE-1']);
  });

  it('clicking a toast opens its order and retires the toast', async () => {
    const { app, send } = await mountApp();
    await fireEvent.click(tab('Settings'));
    const alert: AlertLine = {
      kind: 'alert',
      source: 'nx',
      provider: 'nexchange',
      orderId: 'DONE-1',
      status: 'completed',
      title: 'Order DONE-1 completed',
      body: 'n.exchange',
      at: '2025-06-01T12:00:00.000Z',
    };
    send([{ type: 'event', event: alert }]);
    const toasts = screen.getByLabelText('Alerts');
    await fireEvent.click(within(toasts).getByText('Order DONE-1 completed'));
    expect(app.toasts).toEqual([]);
    expect(app.focus).toMatchObject({ source: 'nx', orderId: 'DONE-1' });
    expect(tab('Orders').getAttribute('aria-selected')).toBe('true');
  });

  it('the active count in the tab and the title follow the state', async () => {
    const { send } = await mountApp();
    expect(within(tab('Orders')).getByText('1')).toBeTruthy();
    expect(document.title).toBe('Orderbell (1 active)');
    send([
      {
        type: 'event',
        event: {
          kind: 'order',
          source: 'nx',
          provider: 'nexchange',
          orderId: 'OPEN-1',
          status: 'completed',
          terminal: true,
          providerStatus: '16',
          at: '2025-06-01T12:00:00.000Z',
        },
      },
    ]);
    expect(document.title).toBe('Orderbell');
  });
});

describe('window context', () => {
  it('a component mounted without it says what is missing', () => {
    expect(() => render(OrdersView)).toThrow(/no window context/);
  });
});

describe('Clock', () => {
  it('stays where it was made until started, then ticks until stopped', () => {
    vi.useFakeTimers({ now: 1_000 });
    const clock = new Clock(500);
    expect(clock.now).toBe(500);
    const stop = clock.start(1000);
    vi.advanceTimersByTime(1000);
    expect(clock.now).toBe(2_000);
    stop();
    vi.advanceTimersByTime(5000);
    expect(clock.now).toBe(2_000);
    vi.useRealTimers();
  });
});
