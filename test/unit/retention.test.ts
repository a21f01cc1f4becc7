// Bounded growth, the pure rules (engine/retention.ts): when a finished order leaves the live store,
// and when the alert ledger may forget an order. Times are fixed instants, never the wall clock.
import { describe, expect, it } from 'vitest';
import { ENGINE_PROVIDERS } from '../../src-main/engine/providers/index.js';
import {
  DAY_MS,
  DEFAULT_RETENTION_DAYS,
  GENEROUS_HORIZON_DAYS,
  isLedgerKeyNeeded,
  isRetirable,
  lastActivityMs,
  retentionMs,
} from '../../src-main/engine/retention.js';
import { OrderStore } from '../../src-main/engine/store.js';
import type { Transition } from '../../src-main/shared/orders.js';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const step = (at: number): Transition => ({
  status: 'completed',
  providerStatus: '4',
  at: iso(at),
});

describe('lastActivityMs: the later of updatedAt and the last timeline entry', () => {
  it.each([
    { name: 'status change only', updatedAt: iso(T0), history: [step(T0)], expected: T0 },
    {
      name: 'a later note (deleted after a finish)',
      updatedAt: iso(T0),
      history: [step(T0), step(T0 + 5 * DAY_MS)],
      expected: T0 + 5 * DAY_MS,
    },
    { name: 'no history', updatedAt: iso(T0), history: [], expected: T0 },
    { name: 'unreadable updatedAt', updatedAt: 'x', history: [step(T0)], expected: T0 },
    {
      name: 'nothing readable: never old',
      updatedAt: 'x',
      history: [],
      expected: Number.POSITIVE_INFINITY,
    },
  ])('$name', ({ updatedAt, history, expected }) => {
    expect(lastActivityMs({ updatedAt, history })).toBe(expected);
  });
});

describe('isRetirable', () => {
  const thirty = 30 * DAY_MS;
  it.each([
    { name: 'finished, 30 days old', terminal: true, age: thirty, expected: true },
    { name: 'finished, 31 days old', terminal: true, age: thirty + DAY_MS, expected: true },
    { name: 'finished, 1 ms short of 30 days', terminal: true, age: thirty - 1, expected: false },
    { name: 'finished today', terminal: true, age: 0, expected: false },
    { name: 'open, a year old: never', terminal: false, age: 365 * DAY_MS, expected: false },
    { name: 'finished, clock behind the record', terminal: true, age: -DAY_MS, expected: false },
  ])('$name → $expected', ({ terminal, age, expected }) => {
    const record = { terminal, updatedAt: iso(T0), history: [step(T0)] };
    expect(isRetirable(record, T0 + age, thirty)).toBe(expected);
  });
});

describe('isLedgerKeyNeeded', () => {
  const horizon = 7 * DAY_MS;
  it.each([
    { name: 'in the store', inStore: true, watched: false, age: 999 * DAY_MS, expected: true },
    { name: 'watched', inStore: false, watched: true, age: 999 * DAY_MS, expected: true },
    { name: 'within the horizon', inStore: false, watched: false, age: 6 * DAY_MS, expected: true },
    { name: 'at the horizon', inStore: false, watched: false, age: horizon, expected: false },
    { name: 'past the horizon', inStore: false, watched: false, age: 8 * DAY_MS, expected: false },
    { name: 'no readable time', inStore: false, watched: false, age: Number.NaN, expected: true },
  ])('$name → $expected', ({ inStore, watched, age, expected }) => {
    const now = T0 + 1000 * DAY_MS;
    const atMs = Number.isNaN(age) ? Number.NaN : now - age;
    expect(isLedgerKeyNeeded({ atMs, inStore, watched, horizonMs: horizon }, now)).toBe(expected);
  });
});

describe('retentionMs: the setting, clamped', () => {
  it.each([
    { days: undefined, expected: DEFAULT_RETENTION_DAYS },
    { days: 0, expected: 1 },
    { days: 7, expected: 7 },
    { days: 99_999, expected: 3650 },
  ])('$days → $expected days', ({ days, expected }) => {
    expect(retentionMs(days)).toBe(expected * DAY_MS);
  });
});

describe('each provider says how long it may re-send a finished order', () => {
  it.each([
    // "8 DELETED — Deleted (order older than 48 hours)": 48 h plus margin.
    { provider: 'houdini', days: 7 },
    { provider: 'nexchange', days: GENEROUS_HORIZON_DAYS },
    { provider: 'ozzobit', days: GENEROUS_HORIZON_DAYS },
    { provider: 'orangepill', days: GENEROUS_HORIZON_DAYS },
    { provider: 'satoriex', days: GENEROUS_HORIZON_DAYS },
  ] as const)('$provider: $days days', ({ provider, days }) => {
    expect(ENGINE_PROVIDERS[provider].resendHorizonDays).toBe(days);
  });
});

describe('OrderStore.retire', () => {
  it('takes out only finished orders past the retention, and says which', () => {
    const store = new OrderStore();
    const at = (d: number) => iso(T0 + d * DAY_MS);
    store.apply(
      's',
      'houdini',
      { orderId: 'OLD', status: 'completed', providerStatus: '4' },
      at(0),
    );
    store.apply('s', 'houdini', { orderId: 'OPEN', status: 'pending', providerStatus: '0' }, at(0));
    store.apply(
      's',
      'houdini',
      { orderId: 'RECENT', status: 'failed', providerStatus: '6' },
      at(20),
    );
    store.apply(
      's',
      'houdini',
      { orderId: 'NOTED', status: 'completed', providerStatus: '4' },
      at(0),
    );
    store.apply(
      's',
      'houdini',
      { orderId: 'NOTED', status: 'deleted', providerStatus: '8' },
      at(2),
    );
    const version = store.version;
    const retired = store.retire(T0 + 31 * DAY_MS, 30 * DAY_MS);
    expect(retired.map((r) => r.orderId)).toEqual(['OLD']);
    expect([...store.all()].map((r) => r.orderId).sort()).toEqual(['NOTED', 'OPEN', 'RECENT']);
    expect(store.version).toBeGreaterThan(version);
    // Nothing to retire: the version (and so the state file) does not move.
    const again = store.version;
    expect(store.retire(T0 + 31 * DAY_MS, 30 * DAY_MS)).toEqual([]);
    expect(store.version).toBe(again);
  });
});
