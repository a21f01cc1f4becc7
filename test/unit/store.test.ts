// The order store's decisions, table-driven: a sequence of observations in, outcomes out.
import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, OrderStore, type ApplyOutcome } from '../../src-main/engine/store.js';
import type { NormalizedStatus } from '../../src-main/engine/types.js';

type Step = [NormalizedStatus, string, ApplyOutcome, boolean];

const CASES: Array<[string, Step[], NormalizedStatus]> = [
  ['first sight', [['pending', '0', 'new', false]], 'pending'],
  ['first sight already finished', [['completed', '4', 'new', true]], 'completed'],
  [
    'walks to completion',
    [
      ['pending', '0', 'new', false],
      ['processing', '1', 'changed', false],
      ['processing', '2', 'changed', false],
      ['completed', '4', 'changed', true],
    ],
    'completed',
  ],
  [
    'exact repeat is a repeat',
    [
      ['processing', '1', 'new', false],
      ['processing', '1', 'repeat', false],
    ],
    'processing',
  ],
  [
    'late message after the end does not move it back',
    [
      ['processing', '2', 'new', false],
      ['completed', '4', 'changed', true],
      ['processing', '3', 'regression', false],
      ['pending', '0', 'regression', false],
    ],
    'completed',
  ],
  [
    'duplicate terminal message: no second terminal transition',
    [
      ['processing', '2', 'new', false],
      ['failed', '6', 'changed', true],
      ['failed', '6', 'repeat', false],
    ],
    'failed',
  ],
  [
    'terminal to another terminal is recorded, not a second first-terminal',
    [
      ['failed', '6', 'new', true],
      ['refunded', '7', 'changed', false],
    ],
    'refunded',
  ],
  // Issue 9 changed this: `deleted` after a finish was a change to `deleted`, hiding how it ended.
  [
    'a finished order that reads deleted keeps how it finished',
    [
      ['expired', '5', 'new', true],
      ['deleted', '8', 'noted', false],
    ],
    'expired',
  ],
  [
    'provider code changes within one non-terminal status',
    [
      ['processing', '1', 'new', false],
      ['processing', '2', 'changed', false],
    ],
    'processing',
  ],
  [
    'a finished order re-announced under another code is a repeat',
    [
      ['completed', 'filled', 'new', true],
      ['completed', 'order_filled', 'repeat', false],
      ['completed', 'filled', 'repeat', false],
    ],
    'completed',
  ],
];

/** [status, providerStatus] per step, then the record's status, providerStatus and history. */
const REMOVALS: Array<
  [string, Array<[NormalizedStatus, string]>, [NormalizedStatus, string], ApplyOutcome[], string[]]
> = [
  [
    'completed, then deleted',
    [
      ['processing', '2'],
      ['completed', '4'],
      ['deleted', '8'],
    ],
    ['completed', '4'],
    ['new', 'changed', 'noted'],
    ['processing/2', 'completed/4', 'deleted/8'],
  ],
  [
    'refunded, then deleted twice: one timeline entry',
    [
      ['refunded', '7'],
      ['deleted', '8'],
      ['deleted', '8'],
    ],
    ['refunded', '7'],
    ['new', 'noted', 'repeat'],
    ['refunded/7', 'deleted/8'],
  ],
  [
    'deleted, then the finish repeated: still a repeat, no flip',
    [
      ['completed', '4'],
      ['deleted', '8'],
      ['completed', '4'],
    ],
    ['completed', '4'],
    ['new', 'noted', 'repeat'],
    ['completed/4', 'deleted/8'],
  ],
  [
    'deleted while not finished is the end it reads (no finish known to keep)',
    [
      ['processing', '1'],
      ['deleted', '8'],
    ],
    ['deleted', '8'],
    ['new', 'changed'],
    ['processing/1', 'deleted/8'],
  ],
  ['first sight already deleted', [['deleted', '8']], ['deleted', '8'], ['new'], ['deleted/8']],
];

describe('a finished order the provider removed', () => {
  it.each(REMOVALS)('%s', (_name, steps, [status, providerStatus], outcomes, history) => {
    const store = new OrderStore();
    const seen = steps.map(([s, p], i) => {
      const r = store.apply(
        'hd',
        'houdini',
        { orderId: 'H1', status: s, providerStatus: p },
        `t${i}`,
      );
      expect(r.becameTerminal).toBe(i === steps.findIndex(([x]) => x !== 'processing'));
      return r.outcome;
    });
    expect(seen).toEqual(outcomes);
    const record = store.get('hd', 'H1');
    expect([record?.status, record?.providerStatus, record?.terminal]).toEqual([
      status,
      providerStatus,
      true,
    ]);
    expect(record?.history.map((h) => `${h.status}/${h.providerStatus}`)).toEqual(history);
  });

  it('noting a removal bumps the version (so it is saved), a repeat does not', () => {
    const store = new OrderStore();
    store.apply('hd', 'houdini', { orderId: 'H1', status: 'completed', providerStatus: '4' }, 't0');
    const v = store.version;
    store.apply('hd', 'houdini', { orderId: 'H1', status: 'deleted', providerStatus: '8' }, 't1');
    expect(store.version).toBe(v + 1);
    store.apply('hd', 'houdini', { orderId: 'H1', status: 'deleted', providerStatus: '8' }, 't2');
    expect(store.version).toBe(v + 1);
  });
});

describe('order store', () => {
  it.each(CASES)('%s', (_name, steps, final) => {
    const store = new OrderStore();
    steps.forEach(([status, providerStatus, outcome, becameTerminal], i) => {
      const r = store.apply('hd', 'houdini', { orderId: 'H1', status, providerStatus }, `t${i}`);
      expect({ step: i, outcome: r.outcome, becameTerminal: r.becameTerminal }).toEqual({
        step: i,
        outcome,
        becameTerminal,
      });
    });
    expect(store.get('hd', 'H1')?.status).toBe(final);
  });

  it('keeps a transition history per order, capped but keeping the first', () => {
    const store = new OrderStore();
    store.apply(
      's',
      'satoriex',
      { orderId: 'A', status: 'pending', providerStatus: 'first' },
      't0',
    );
    for (let i = 0; i < HISTORY_LIMIT * 2; i += 1) {
      store.apply(
        's',
        'satoriex',
        { orderId: 'A', status: 'processing', providerStatus: `p${i}` },
        `t${i + 1}`,
      );
    }
    const h = store.get('s', 'A')?.history ?? [];
    expect(h).toHaveLength(HISTORY_LIMIT);
    expect(h[0]?.providerStatus).toBe('first');
    expect(h.at(-1)?.providerStatus).toBe(`p${HISTORY_LIMIT * 2 - 1}`);
  });

  it('separates orders by source and merges details', () => {
    const store = new OrderStore();
    store.apply(
      'a',
      'houdini',
      { orderId: 'X', status: 'pending', providerStatus: '0', details: { amountIn: '1' } },
      't',
    );
    store.apply('b', 'houdini', { orderId: 'X', status: 'processing', providerStatus: '1' }, 't');
    store.apply(
      'a',
      'houdini',
      { orderId: 'X', status: 'pending', providerStatus: '0', details: { currencyIn: 'BTC' } },
      't',
    );
    expect(store.size).toBe(2);
    expect(store.get('a', 'X')?.details).toEqual({ amountIn: '1', currencyIn: 'BTC' });
  });

  it('loads saved records and skips damaged ones', () => {
    const store = new OrderStore();
    const good = {
      source: 's',
      provider: 'houdini',
      orderId: 'A',
      status: 'completed',
      providerStatus: '4',
      terminal: true,
      history: [],
    };
    expect(store.load([good, { orderId: 3 }, null, 'x'])).toEqual({ loaded: 1, skipped: 3 });
    expect(store.get('s', 'A')?.terminal).toBe(true);
  });
});
