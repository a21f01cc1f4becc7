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
      ['expired', '5', 'new', true],
      ['deleted', '8', 'changed', false],
    ],
    'deleted',
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
