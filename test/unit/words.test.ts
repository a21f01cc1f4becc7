// The words tables of issue 11: which states need the user, the one-line reason of an order, and an
// alert's body (never a bare code such as "(0)" or "USER (ORDER_CANCELLED)").
import { describe, expect, it } from 'vitest';
import { alertText } from '../../src-main/engine/alert-text.js';
import {
  markEntriesRead,
  unreadCount,
  type AttentionEntry,
} from '../../src-main/shared/attention.js';
import { needsUser, type NeedsUserKind } from '../../src-main/shared/needs-user.js';
import {
  firstRecord,
  reasonOf,
  reasonWords,
  type OrderRecord,
} from '../../src-main/shared/orders.js';
import type { ProviderKey } from '../../src-main/shared/providers.js';
import { isTerminal, type NormalizedStatus } from '../../src-main/shared/statuses.js';

function order(
  provider: ProviderKey,
  status: NormalizedStatus,
  providerStatus: string,
  extra: Partial<OrderRecord> = {},
): OrderRecord {
  return {
    ...firstRecord({
      source: 's',
      provider,
      orderId: 'O1',
      status,
      providerStatus,
      terminal: isTerminal(status),
      at: '2025-06-01T10:00:00.000Z',
    }),
    ...extra,
  };
}

describe('needsUser', () => {
  const cases: [string, OrderRecord, NeedsUserKind | undefined][] = [
    ['NEXCHANGE PENDING KYC', order('nexchange', 'on_hold', '9'), 'on_hold'],
    ['NEXCHANGE INITIATED REFUND', order('nexchange', 'processing', '6'), 'refund_started'],
    ['NEXCHANGE PAID (ordinary progress)', order('nexchange', 'processing', '13'), undefined],
    ['NEXCHANGE INITIAL', order('nexchange', 'pending', '11'), undefined],
    ['NEXCHANGE REFUNDED (ended)', order('nexchange', 'refunded', '8'), undefined],
    ['Houdini EXCHANGING', order('houdini', 'processing', '2'), undefined],
    ['any provider on hold', order('satoriex', 'on_hold', 'held'), 'on_hold'],
    [
      'unverified after a gap',
      order('houdini', 'processing', '2', {
        unverifiedSince: '2025-06-01T09:00:00.000Z',
        unverifiedReason: 'lookup_failed',
      }),
      'unverified',
    ],
    ['OZZOBiT completed', order('ozzobit', 'completed', 'ORDER_COMPLETED'), undefined],
  ];
  it.each(cases)('%s', (_name, record, kind) => {
    expect(needsUser(record)?.kind).toBe(kind);
  });

  it('a code named like an Object.prototype member is not a table hit', () => {
    expect(needsUser(order('nexchange', 'processing', 'constructor'))).toBeUndefined();
  });
});

describe('reasonOf / reasonWords', () => {
  it.each([
    ['USER', 'canceled by the customer'],
    ['PAYMENT_DECLINED', 'payment declined'],
    ['Payment declined by card issuer', 'Payment declined by card issuer'],
  ])('%s → %s', (code, words) => expect(reasonWords(code)).toBe(words));

  it.each([
    [
      order('ozzobit', 'canceled', 'ORDER_CANCELLED', { details: { reason: 'USER' } }),
      'canceled by the customer',
    ],
    [order('nexchange', 'on_hold', '9'), 'identity check (KYC) needed'],
    [
      order('nexchange', 'processing', '6', { details: { reason: 'address invalid' } }),
      'refund started: address invalid',
    ],
    [order('houdini', 'completed', '4'), undefined],
  ])('%#: the collapsed row says %s', (record, words) => expect(reasonOf(record)).toBe(words));
});

describe('alertText', () => {
  const cases: [string, OrderRecord, string, string][] = [
    [
      'NEXCHANGE canceled (code 0)',
      order('nexchange', 'canceled', '0'),
      'n.exchange: order was canceled',
      'Order O1',
    ],
    [
      'OZZOBiT canceled by the user',
      order('ozzobit', 'canceled', 'ORDER_CANCELLED', {
        details: { reason: 'USER', amountIn: '80', currencyIn: 'EUR' },
      }),
      'OZZOBiT: order was canceled',
      'Order O1 · 80 EUR · canceled by the customer',
    ],
    [
      'NEXCHANGE refund failed: the label says more than "failed"',
      order('nexchange', 'failed', '7'),
      'n.exchange: order failed',
      'Order O1 · refund failed',
    ],
    [
      'Houdini completed',
      order('houdini', 'completed', '4', {
        details: { amountIn: '0.1', currencyIn: 'BTC', amountOut: '2', currencyOut: 'ETH' },
      }),
      'Houdini: order completed',
      'Order O1 · 0.1 BTC → 2 ETH · finished',
    ],
  ];
  it.each(cases)('%s', (_name, record, title, body) => {
    const text = alertText(record);
    expect(text.body).toBe(body);
    expect(text.title.endsWith(title.split(': ')[1] as string)).toBe(true);
    expect(text.body).not.toMatch(/\([^)]*\)$/);
  });
});

describe('attention entries', () => {
  const entry = (key: string, read: boolean) => ({ key, read }) as AttentionEntry;
  it('counts unread and marks some or all read without touching the others', () => {
    const list = [entry('a', false), entry('b', true), entry('c', false)];
    expect(unreadCount(list)).toBe(2);
    const some = markEntriesRead(list, ['a', 'zz']);
    expect(some.map((e) => e.read)).toEqual([true, true, false]);
    expect(some[1]).toBe(list[1]);
    expect(unreadCount(markEntriesRead(list, null))).toBe(0);
  });
});
