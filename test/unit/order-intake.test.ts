// The intake rules, table by table: which provider order ids are kept, and when a source's new
// orders are refused.
import { describe, expect, it } from 'vitest';
import {
  MAX_TRACKED_ORDERS_PER_SOURCE,
  orderIdProblem,
  TrackedOrderLimit,
} from '../../src-main/engine/order-intake.js';
import { MAX_ORDER_ID_LENGTH } from '../../src-main/shared/limits.js';

describe('orderIdProblem', () => {
  it.each([
    ['a plain id', 'HD-1', undefined],
    ['an id at the limit', 'x'.repeat(MAX_ORDER_ID_LENGTH), undefined],
    ['unicode letters', 'заказ-1', undefined],
    ['an empty id', '', 'not a non-empty string'],
    ['not a string', 42, 'not a non-empty string'],
    [
      'one past the limit',
      'x'.repeat(MAX_ORDER_ID_LENGTH + 1),
      `the limit is ${MAX_ORDER_ID_LENGTH}`,
    ],
    ['a newline', 'a\nb', 'control characters'],
    ['a tab', 'a\tb', 'control characters'],
    ['an ANSI escape', '\u001b[2J', 'control characters'],
    ['DEL', 'a\u007f', 'control characters'],
    ['a C1 control', 'a\u0085', 'control characters'],
    ['a line separator', 'a\u2028b', 'control characters'],
  ])('%s', (_name, id, expected) => {
    const problem = orderIdProblem(id);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toContain(expected);
  });
});

describe('TrackedOrderLimit', () => {
  function limit(stored: Record<string, number>, max = 3) {
    let now = 0;
    const store = { ...stored };
    const recounts: string[] = [];
    const tracked = new TrackedOrderLimit(
      (source) => {
        recounts.push(source);
        return store[source] ?? 0;
      },
      () => now,
      max,
    );
    return { tracked, store, recounts, advance: (ms: number) => (now += ms) };
  }

  it('defaults to the documented limit', () => {
    expect(
      new TrackedOrderLimit(
        () => 0,
        () => 0,
      ).limit,
    ).toBe(MAX_TRACKED_ORDERS_PER_SOURCE);
  });

  it.each([
    ['under the limit', 2, false, 'admit'],
    ['at the limit', 3, false, 'refuse-first'],
    ['at the limit, but named by the user', 3, true, 'admit'],
    ['past the limit (loaded from an older run)', 9, false, 'refuse-first'],
  ])('%s', (_name, stored, named, expected) => {
    const { tracked } = limit({ s: stored });
    expect(tracked.admit('s', named)).toBe(expected);
  });

  it('counts additions, says the first refusal once, and per source', () => {
    const { tracked, store } = limit({ s: 1, t: 0 });
    const add = () => {
      tracked.added('s');
      store.s = (store.s ?? 0) + 1; // the store took it too
    };
    expect(tracked.admit('s', false)).toBe('admit');
    add();
    expect(tracked.admit('s', false)).toBe('admit');
    add();
    expect(tracked.admit('s', false)).toBe('refuse-first');
    expect(tracked.admit('s', false)).toBe('refuse');
    expect(tracked.admit('t', false)).toBe('admit');
  });

  it('while at the limit, takes the count afresh at most once a second', () => {
    const { tracked, store, recounts, advance } = limit({ s: 3 });
    expect(tracked.admit('s', false)).toBe('refuse-first');
    store.s = 2; // an order removed elsewhere
    expect(tracked.admit('s', false)).toBe('refuse'); // not yet recounted
    const before = recounts.length;
    advance(1_000);
    expect(tracked.admit('s', false)).toBe('admit');
    expect(recounts.length).toBe(before + 1);
  });
});
