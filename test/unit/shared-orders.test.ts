// The order record rules both sides share: first record, capped history, and the window's replay
// of order lines, which must end where the engine's store ends.
import { describe, expect, it } from 'vitest';
import { OrderStore } from '../../src-main/engine/store.js';
import { HISTORY_LIMIT } from '../../src-main/shared/limits.js';
import type { OrderDetails, OrderLine } from '../../src-main/shared/lines.js';
import {
  applyOrderLine,
  firstRecord,
  orderKey,
  withTransition,
  type OrderRecord,
  type Transition,
} from '../../src-main/shared/orders.js';
import type { NormalizedStatus } from '../../src-main/shared/statuses.js';

const line = (
  status: NormalizedStatus,
  providerStatus: string,
  at: string,
  extra: Partial<OrderLine> = {},
): OrderLine => ({
  kind: 'order',
  source: 'nx',
  provider: 'nexchange',
  orderId: 'A',
  status,
  providerStatus,
  terminal: ['completed', 'failed'].includes(status),
  at,
  ...extra,
});

describe('orderKey', () => {
  it.each([
    ['a', 'b', 'c', 'd', true],
    ['a', 'b', 'a', 'b', false],
    // Without a separator no id could contain, "ab"+"c" and "a"+"bc" would be one order.
    ['ab', 'c', 'a', 'bc', true],
  ])('%s/%s vs %s/%s differ: %s', (s1, o1, s2, o2, differ) => {
    expect(orderKey(s1, o1) !== orderKey(s2, o2)).toBe(differ);
  });
});

describe('firstRecord', () => {
  it('has one transition, and copies details rather than sharing them', () => {
    const details: OrderDetails = { amountIn: '1' };
    const r = firstRecord({ ...line('pending', '11', 't0'), details });
    expect(r).toEqual({
      source: 'nx',
      provider: 'nexchange',
      orderId: 'A',
      status: 'pending',
      providerStatus: '11',
      terminal: false,
      firstSeenAt: 't0',
      updatedAt: 't0',
      history: [{ status: 'pending', providerStatus: '11', at: 't0' }],
      details: { amountIn: '1' },
    });
    expect(r.details).not.toBe(details);
  });

  it('has no details key when none are known', () => {
    expect('details' in firstRecord(line('pending', '11', 't0'))).toBe(false);
  });
});

describe('withTransition', () => {
  const step = (i: number): Transition => ({
    status: 'processing',
    providerStatus: `p${i}`,
    at: `t${i}`,
  });
  // transitions pushed → length, first kept, last
  it.each([
    [1, 1],
    [HISTORY_LIMIT, HISTORY_LIMIT],
    [HISTORY_LIMIT + 1, HISTORY_LIMIT],
    [HISTORY_LIMIT * 3, HISTORY_LIMIT],
  ])('%i pushed keep %i, the first and the latest', (pushed, kept) => {
    let history: Transition[] = [];
    for (let i = 0; i < pushed; i++) {
      const before = history;
      history = withTransition(history, step(i));
      // A new array each time: the window caches rows by identity and the old one is left as it was.
      expect(history).not.toBe(before);
      expect(before).toHaveLength(Math.min(i, HISTORY_LIMIT));
    }
    expect(history).toHaveLength(kept);
    expect(history[0]?.providerStatus).toBe('p0');
    expect(history.at(-1)?.providerStatus).toBe(`p${pushed - 1}`);
  });
});

describe('applyOrderLine', () => {
  it('leaves the known record as it was and returns a new one', () => {
    const known = firstRecord({ ...line('pending', '11', 't0'), details: { amountIn: '1' } });
    const before = structuredClone(known);
    const next = applyOrderLine(known, {
      ...line('processing', '13', 't1'),
      details: { currencyIn: 'BTC' },
    });
    expect(known).toEqual(before);
    expect(next).not.toBe(known);
    expect(next.history).not.toBe(known.history);
    expect(next).toMatchObject({
      status: 'processing',
      providerStatus: '13',
      firstSeenAt: 't0',
      updatedAt: 't1',
      details: { amountIn: '1', currencyIn: 'BTC' },
    });
    expect(next.history.map((h) => h.providerStatus)).toEqual(['11', '13']);
  });

  it('never turns a finished record back to unfinished', () => {
    const done = applyOrderLine(undefined, line('completed', '16', 't0'));
    expect(
      applyOrderLine(done, { ...line('completed', '17', 't1'), terminal: false }).terminal,
    ).toBe(true);
  });

  // The engine emits a line only for a new order or a real change, carrying the record's state
  // and every detail known: replaying those lines must rebuild exactly the engine's record.
  type Obs = [NormalizedStatus, string, OrderDetails?];
  const SEQUENCES: [string, Obs[]][] = [
    [
      'walk to completion',
      [
        ['pending', '0'],
        ['processing', '1'],
        ['completed', '4'],
      ],
    ],
    [
      'repeats and a late regression',
      [
        ['processing', '1'],
        ['processing', '1'],
        ['completed', '4'],
        ['processing', '2'],
      ],
    ],
    [
      'details arriving on repeats and changes',
      [
        ['pending', '0', { amountIn: '1' }],
        ['pending', '0', { currencyIn: 'BTC' }],
        ['processing', '1', { txHash: '0xab' }],
      ],
    ],
    [
      'a re-announced end under another code',
      [
        ['completed', 'filled'],
        ['completed', 'order_filled'],
      ],
    ],
    [
      // (expired → deleted is no longer a change: the store only notes a removal in the timeline,
      // and emits no line; see OrderStore.noteRemoval.)
      'terminal to another terminal',
      [
        ['failed', '6'],
        ['refunded', '7'],
      ],
    ],
    [
      'more changes than the history keeps',
      Array.from({ length: HISTORY_LIMIT * 2 }, (_, i): Obs => ['processing', `p${i}`]),
    ],
  ];
  it.each(SEQUENCES)('replaying the engine lines rebuilds its record: %s', (_name, steps) => {
    const store = new OrderStore();
    let replayed: OrderRecord | undefined;
    steps.forEach(([status, providerStatus, details], i) => {
      const at = `t${i}`;
      const r = store.apply(
        'nx',
        'nexchange',
        { orderId: 'A', status, providerStatus, ...(details ? { details } : {}) },
        at,
      );
      if (r.outcome !== 'new' && r.outcome !== 'changed') return;
      // The line as the engine builds it (engine.ts onOrder).
      const emitted: OrderLine = {
        kind: 'order',
        source: 'nx',
        provider: 'nexchange',
        orderId: r.record.orderId,
        status: r.record.status,
        terminal: r.record.terminal,
        providerStatus: r.record.providerStatus,
        ...(r.record.details ? { details: r.record.details } : {}),
        at,
      };
      replayed = applyOrderLine(replayed, structuredClone(emitted));
    });
    expect(replayed).toEqual(store.get('nx', 'A'));
  });
});
