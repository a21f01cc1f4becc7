// The window's words: provider labels before their codes, activity names in one style, and one
// time format (the locale's hour cycle everywhere, a date when not today).
import { afterEach, describe, expect, it } from 'vitest';
import {
  clock,
  dateTime,
  eventWords,
  providerWords,
  sinceClock,
  useTimeLocale,
} from '../../src-renderer/lib/format';
import { counts } from '../../src-renderer/lib/orders';
import { record } from './fixtures';

afterEach(() => useTimeLocale([]));

describe('providerWords', () => {
  it.each([
    ['pending', '-1', 'NEW', { words: 'new', code: '-1' }],
    ['pending', '11', 'INITIAL', { words: 'initial', code: '11' }],
    ['on_hold', '9', 'PENDING KYC', { words: 'pending KYC', code: '9' }],
    ['completed', '16', 'COMPLETED', { code: '16' }],
    ['processing', 'ORDER_PROCESSING', 'processing', {}],
    ['failed', 'withdraw_failed', undefined, { code: 'withdraw_failed' }],
    ['processing', 'processing', undefined, {}],
    ['completed', 'COMPLETED', undefined, {}],
  ] as const)('%s %s %s', (status, code, label, expected) => {
    expect(providerWords(status, code, label)).toEqual(expected);
  });
});

describe('eventWords', () => {
  it.each([
    ['KYC_STATUS_CHANGED', 'KYC status changed'],
    ['kyc.approved', 'KYC approved'],
    ['walletCreated', 'Wallet created'],
    ['account:updated', 'Account updated'],
  ])('%s → %s', (name, words) => expect(eventWords(name)).toBe(words));
});

describe('one time format', () => {
  // Local times, whatever TZ runs the tests.
  const now = new Date(2025, 5, 3, 15, 0).getTime();
  const today = new Date(2025, 5, 3, 14, 2, 9).toISOString();
  const earlier = new Date(2025, 4, 30, 14, 2).toISOString();

  it.each([
    [['en-GB'], /^14:02:09$/, /^14:02$/],
    [['en-US'], /^02:02:09\sPM$/, /^02:02\sPM$/],
  ])('%s: every time on one hour cycle', (locales, withSeconds, short) => {
    useTimeLocale(locales);
    expect(clock(today, now)).toMatch(withSeconds);
    expect(sinceClock(today, now)).toMatch(short);
    const twelve = /[AP]M/;
    const all = [clock(today, now), clock(earlier, now), sinceClock(earlier, now), dateTime(now)];
    expect(new Set(all.map((t) => twelve.test(t))).size).toBe(1);
  });

  it('a time from another day carries its date', () => {
    useTimeLocale(['en-GB']);
    expect(clock(earlier, now)).toMatch(/30 May.*14:02/);
  });
});

describe('the tally', () => {
  it('counts refunds and expiries apart from failures', () => {
    const orders = (
      [
        ['A', 'processing'],
        ['B', 'failed'],
        ['C', 'canceled'],
        ['D', 'refunded'],
        ['E', 'expired'],
        ['F', 'completed'],
        ['G', 'refunded'],
      ] as const
    ).map(([id, status]) => record(id, status));
    expect(counts(orders)).toEqual({ active: 1, failed: 2, refunded: 2, expired: 1 });
  });
});
