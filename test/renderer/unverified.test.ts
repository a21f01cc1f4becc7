// Blindness made visible in the window: an order marked unverified after a gap says so on its
// collapsed row (since when, why in plain words), the source bar counts such orders, and both
// clear when the mark clears. Marks arrive as `order-mark` changes; problem lines as events.
import { screen } from '@testing-library/svelte';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BridgeChange } from '../../src-main/shared/bridge';
import type { ProblemLine } from '../../src-main/shared/lines';
import type { OrderRecord } from '../../src-main/shared/orders';
import { UNVERIFIED_REASON_WORDS, type OrderMark } from '../../src-main/shared/unverified';
import { useTimeLocale } from '../../src-renderer/lib/format';
import { mountApp as mountFixtureApp, record, sourceView } from './fixtures';

// Times follow the user's locale; these assertions are written for a 24-hour one.
beforeAll(() => useTimeLocale(['en-GB']));
afterAll(() => useTimeLocale([]));

// Noon local time, whatever TZ runs the tests: the gap began at 09:41 the same day.
const NOW = new Date(2025, 5, 1, 12, 0).getTime();
const SINCE = new Date(2025, 5, 1, 9, 41).toISOString();

/** The record with a mark; `reason` null: a mark without a recorded reason. */
function marked(r: OrderRecord, reason: string | null, since = SINCE): OrderRecord {
  return { ...r, unverifiedSince: since, ...(reason !== null && { unverifiedReason: reason }) };
}

const mark = (orderId: string, m: Partial<OrderMark> = {}): BridgeChange => ({
  type: 'order-mark',
  mark: { source: 'nx', orderId, ...m },
});

const problem: ProblemLine = {
  kind: 'problem',
  source: 'nx',
  provider: 'nexchange',
  code: 'unverified_after_gap',
  detail: '1 order(s) could not be verified after the connection gap',
  since: SINCE,
  orderIds: ['OPEN-2'],
  count: 1,
  at: SINCE,
};

/** App on a scripted bridge with `orders`, loaded at NOW (the clock runs on from there). */
async function mountApp(orders: OrderRecord[]) {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  try {
    return await mountFixtureApp({
      orders,
      sources: [sourceView('nx', 'nexchange', { label: 'n.exchange' })],
    });
  } finally {
    vi.useRealTimers();
  }
}

const rowOf = (id: string) => {
  const el = document.querySelector(`[data-order-id="${id}"]`);
  if (!el) throw new Error(`no row ${id}`);
  return el as HTMLElement;
};
const blindText = (id: string) => rowOf(id).querySelector('.blind')?.textContent ?? null;
const sourceItem = () => document.querySelector('.sources [data-source="nx"]') as HTMLElement;

describe('an unverified order in the window', () => {
  // Reason code as recorded → the words its row shows.
  it.each([
    ['no_catch_up', UNVERIFIED_REASON_WORDS.no_catch_up],
    ['lookup_failed', UNVERIFIED_REASON_WORDS.lookup_failed],
    ['unknown_to_provider', UNVERIFIED_REASON_WORDS.unknown_to_provider],
    ['not_listed', UNVERIFIED_REASON_WORDS.not_listed],
    ['beyond_rest_window', UNVERIFIED_REASON_WORDS.beyond_rest_window],
    ['__proto__', 'the reason was not recorded'],
    [null, 'the reason was not recorded'],
  ])(
    'from the snapshot, reason %s: since when and why, on the collapsed row',
    async (reason, words) => {
      await mountApp([marked(record('OPEN-1', 'processing'), reason)]);
      const text = blindText('OPEN-1');
      expect(text).toContain('unverified since 09:41');
      expect(text).toContain('could not check after the connection gap');
      expect(text).toContain(words);
      expect(rowOf('OPEN-1').classList.contains('unverified')).toBe(true);
    },
  );

  it('a gap on another day shows the day too', async () => {
    await mountApp([
      marked(
        record('OPEN-1', 'processing'),
        'no_catch_up',
        new Date(2025, 4, 30, 9, 41).toISOString(),
      ),
    ]);
    expect(blindText('OPEN-1')).toMatch(/unverified since \S+ 09:41/);
  });

  it('a mark set live shows on its row and in the source bar, and clears with the next update', async () => {
    const { app, send } = await mountApp([
      record('OPEN-1', 'processing'),
      record('OPEN-2', 'pending'),
    ]);
    expect(blindText('OPEN-1')).toBeNull();
    expect(sourceItem().dataset.unverified).toBe('0');
    expect(sourceItem().textContent).not.toContain('unverified');

    send([
      mark('OPEN-1', { unverifiedSince: SINCE, unverifiedReason: 'no_catch_up' }),
      mark('OPEN-2', { unverifiedSince: SINCE, unverifiedReason: 'no_catch_up' }),
      { type: 'event', event: problem },
    ]);
    expect(blindText('OPEN-1')).toContain('unverified since 09:41');
    expect(blindText('OPEN-2')).toContain(UNVERIFIED_REASON_WORDS.no_catch_up);
    expect(app.unverified.get('nx')).toBe(2);
    expect(sourceItem().textContent).toContain('2 orders unverified after a gap');
    // The latest problem line about the source explains the count.
    expect(sourceItem().querySelector('.blind')?.getAttribute('title')).toBe(problem.detail);

    // The engine cleared OPEN-1's mark (a repeat, a REST confirmation): no order line came with it.
    send([mark('OPEN-1')]);
    expect(blindText('OPEN-1')).toBeNull();
    expect(blindText('OPEN-2')).not.toBeNull();
    expect(sourceItem().textContent).toContain('1 order unverified after a gap');

    // A real change comes with its order line; the mark clears beside it.
    send([
      mark('OPEN-2'),
      {
        type: 'event',
        event: {
          kind: 'order',
          source: 'nx',
          provider: 'nexchange',
          orderId: 'OPEN-2',
          status: 'processing',
          terminal: false,
          providerStatus: '13',
          at: new Date(NOW).toISOString(),
        },
      },
    ]);
    expect(blindText('OPEN-2')).toBeNull();
    expect(screen.queryByText(/unverified/)).toBeNull();
    expect(sourceItem().dataset.unverified).toBe('0');
  });

  it('a mark for an order the window does not hold changes nothing', async () => {
    const { app, send } = await mountApp([record('OPEN-1', 'processing')]);
    const before = app.orders;
    send([mark('GONE', { unverifiedSince: SINCE, unverifiedReason: 'lookup_failed' })]);
    expect(app.orders).toBe(before);
    expect(app.orders.some((o) => o.orderId === 'GONE')).toBe(false);
  });
});
