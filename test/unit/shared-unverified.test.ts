// The shared vocabulary of the unverified mark: words for every engine reason code (and nothing
// found on Object.prototype), the mark applied to a record, the count per source.
import { describe, expect, it } from 'vitest';
import { UNVERIFIED_REASONS } from '../../src-main/engine/catch-up.js';
import type { OrderRecord } from '../../src-main/shared/orders.js';
import {
  applyMark,
  markOf,
  UNKNOWN_REASON_WORDS,
  UNVERIFIED_REASON_WORDS,
  unverifiedBySource,
  unverifiedReasonWords,
  type OrderMark,
} from '../../src-main/shared/unverified.js';

const AT = '2025-06-01T12:00:00.000Z';
const SINCE = '2025-06-01T14:02:00.000Z';

function rec(orderId: string, mark: Partial<OrderMark> = {}, source = 'nx'): OrderRecord {
  return {
    source,
    provider: 'nexchange',
    orderId,
    status: 'pending',
    providerStatus: '11',
    terminal: false,
    firstSeenAt: AT,
    updatedAt: AT,
    history: [{ status: 'pending', providerStatus: '11', at: AT }],
    ...mark,
  };
}

describe('reason words', () => {
  it('name exactly the codes the engine reports', () => {
    expect(Object.keys(UNVERIFIED_REASON_WORDS).sort()).toEqual(
      Object.keys(UNVERIFIED_REASONS).sort(),
    );
  });

  it.each([
    ['no_catch_up', UNVERIFIED_REASON_WORDS.no_catch_up],
    ['lookup_failed', UNVERIFIED_REASON_WORDS.lookup_failed],
    ['beyond_rest_window', UNVERIFIED_REASON_WORDS.beyond_rest_window],
    [undefined, UNKNOWN_REASON_WORDS],
    ['from_a_newer_version', UNKNOWN_REASON_WORDS],
    ['constructor', UNKNOWN_REASON_WORDS],
    ['__proto__', UNKNOWN_REASON_WORDS],
    ['toString', UNKNOWN_REASON_WORDS],
    ['hasOwnProperty', UNKNOWN_REASON_WORDS],
  ] as const)('%s → %s', (code, words) => {
    expect(unverifiedReasonWords(code)).toBe(words);
  });
});

describe('applyMark', () => {
  const marked = rec('A', { unverifiedSince: SINCE, unverifiedReason: 'lookup_failed' });
  const plain = rec('A');
  // [name, record, mark, expected since, expected reason, same object back]
  const CASES: [string, OrderRecord, OrderMark, string | undefined, string | undefined, boolean][] =
    [
      ['set', plain, markOf(marked), SINCE, 'lookup_failed', false],
      ['clear', marked, { source: 'nx', orderId: 'A' }, undefined, undefined, false],
      ['same mark', marked, markOf(marked), SINCE, 'lookup_failed', true],
      ['already clear', plain, { source: 'nx', orderId: 'A' }, undefined, undefined, true],
      [
        'new reason',
        marked,
        { ...markOf(marked), unverifiedReason: 'no_catch_up' },
        SINCE,
        'no_catch_up',
        false,
      ],
    ];
  it.each(CASES)('%s', (_name, record, mark, since, reason, same) => {
    const before = structuredClone(record);
    const next = applyMark(record, mark);
    expect(next.unverifiedSince).toBe(since);
    expect(next.unverifiedReason).toBe(reason);
    expect(next === record).toBe(same);
    expect(record).toEqual(before); // never changed in place
    if (since === undefined) expect('unverifiedSince' in next).toBe(false);
    expect(next.history).toEqual(record.history);
  });
});

describe('markOf and unverifiedBySource', () => {
  it('markOf copies only the mark', () => {
    expect(markOf(rec('A'))).toEqual({ source: 'nx', orderId: 'A' });
    expect(markOf(rec('A', { unverifiedSince: SINCE, unverifiedReason: 'x' }))).toEqual({
      source: 'nx',
      orderId: 'A',
      unverifiedSince: SINCE,
      unverifiedReason: 'x',
    });
  });

  it('counts marked orders per source', () => {
    const counts = unverifiedBySource([
      rec('A', { unverifiedSince: SINCE }),
      rec('B', { unverifiedSince: SINCE }),
      rec('C'),
      rec('D', { unverifiedSince: SINCE }, 'hd'),
      rec('E', {}, 'op'),
    ]);
    expect([...counts]).toEqual([
      ['nx', 2],
      ['hd', 1],
    ]);
  });
});
