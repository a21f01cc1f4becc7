// What readState makes of every shape orders.json can be found in: unreadable as a whole, or kept
// in part with the dropped parts named by field. Pure; the engine's handling of real files is in
// test/integration/state-damage.test.ts.
import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, MAX_ORDER_ID_LENGTH } from '../../src-main/shared/limits.js';
import {
  describeDamage,
  MAX_DETAIL_LENGTH,
  readState,
  type StateReading,
} from '../../src-main/engine/state-reader.js';

const good = (orderId = 'A', extra: Record<string, unknown> = {}) => ({
  source: 'hd',
  provider: 'houdini',
  orderId,
  status: 'completed',
  providerStatus: '4',
  terminal: true,
  firstSeenAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:01:00.000Z',
  history: [{ status: 'completed', providerStatus: '4', at: '2024-01-01T00:01:00.000Z' }],
  ...extra,
});

const file = (top: Record<string, unknown>) => JSON.stringify({ version: 1, orders: [], ...top });
const readable = (r: StateReading) => {
  if (!r.readable) throw new Error(`unreadable: ${r.why}`);
  return r;
};
const big = 'x'.repeat(1_000_000);

describe('readState: unreadable as a whole', () => {
  it.each([
    ['not JSON', '{"version":1,"orders":[{"sourc', /not JSON/],
    ['empty', '', /not JSON/],
    ['a list', '[1,2]', /top level is a list/],
    ['null', 'null', /top level is null/],
    ['a number', '5', /top level is a number/],
    ['a string', '"orders"', /top level is a string/],
    ['no version', '{"orders":[]}', /unexpected version \(missing\)/],
    ['another version', '{"version":2,"orders":[]}', /unexpected version 2/],
    ['a huge version, quoted short', `{"version":"${big}","orders":[]}`, /version "x{39}…/],
    ['no orders', '{"version":1}', /"orders" is missing/],
    ['orders an object', '{"version":1,"orders":{}}', /"orders" is an object, not a list/],
    ['orders a string', '{"version":1,"orders":"ab"}', /"orders" is a string/],
  ])('%s', (_name, text, why) => {
    const r = readState(text);
    expect(r.readable).toBe(false);
    expect(!r.readable && r.why).toMatch(why);
    expect(!r.readable && r.why.length).toBeLessThan(200);
  });
});

describe('readState: good parts kept, each drop named', () => {
  it('a good file is read whole, with nothing dropped', () => {
    const r = readable(
      readState(
        file({
          orders: [good('A'), good('B', { details: { pair: 'BTC/ETH' } })],
          baselined: ['hd'],
          watched: { hd: ['W1', 'W2'] },
          hidden: ['hd\u0000GONE'],
        }),
      ),
    );
    expect(r.dropped).toEqual([]);
    expect(describeDamage(r)).toBe('');
    expect(r.state.orders.map((o) => o.orderId)).toEqual(['A', 'B']);
    expect(r.state.orders[1]).toEqual(good('B', { details: { pair: 'BTC/ETH' } }));
    expect(r.state.baselined).toEqual(['hd']);
    expect([...r.state.watched]).toEqual([['hd', ['W1', 'W2']]]);
    expect(r.state.hidden).toEqual(['hd\u0000GONE']);
  });

  it('absent optional lists are empty, not damage', () => {
    const r = readable(readState('{"version":1,"orders":[]}'));
    expect(r.dropped).toEqual([]);
    expect(r.state).toEqual({ orders: [], baselined: [], watched: new Map(), hidden: [] });
  });

  it('unknown fields, top level and in records, are ignored (a newer build may add some)', () => {
    const r = readable(
      readState(file({ orders: [good('A', { futureField: 1 })], futureTop: { a: 1 } })),
    );
    expect(r.dropped).toEqual([]);
    expect(r.state.orders[0]).toEqual(good('A'));
  });

  // Each row: the file's top level, the field named, orders kept (by id) of the file's.
  const rows: [string, Record<string, unknown>, string, string[]][] = [
    ['"baselined":5', { orders: [good()], baselined: 5 }, 'baselined', ['A']],
    ['"baselined" an object', { orders: [good()], baselined: { hd: true } }, 'baselined', ['A']],
    [
      '"baselined" holds a number',
      { orders: [good()], baselined: ['hd', 7] },
      'baselined[]',
      ['A'],
    ],
    ['"hidden":{}', { orders: [good()], hidden: {} }, 'hidden', ['A']],
    ['"hidden" key without NUL', { orders: [good()], hidden: ['hdA'] }, 'hidden[]', ['A']],
    ['"watched":{"hd":"ab"}', { orders: [good()], watched: { hd: 'ab' } }, 'watched["hd"]', ['A']],
    ['"watched" a list', { orders: [good()], watched: ['hd'] }, 'watched', ['A']],
    ['"watched" a string', { orders: [good()], watched: 'hd' }, 'watched', ['A']],
    ['watched id a number', { watched: { hd: ['W', 5] } }, 'watched["hd"]', []],
    ['watched id too long', { watched: { hd: ['x'.repeat(129)] } }, 'watched["hd"]', []],
    ['watched source id too long', { watched: { ['s'.repeat(65)]: ['W'] } }, 'watched', []],
    ['a record is null', { orders: [good(), null] }, 'orders[]', ['A']],
    ['a record is a string', { orders: ['x', good()] }, 'orders[]', ['A']],
    ['a record is a list', { orders: [[1], good()] }, 'orders[]', ['A']],
    [
      'orderId a number',
      { orders: [good(), good('B', { orderId: 3 })] },
      'orders[].orderId',
      ['A'],
    ],
    ['orderId empty', { orders: [good(), good('')] }, 'orders[].orderId', ['A']],
    ['orderId 1 MB', { orders: [good(big), good('B')] }, 'orders[].orderId', ['B']],
    [
      'source a list',
      { orders: [good('B', { source: ['hd'] }), good()] },
      'orders[].source',
      ['A'],
    ],
    [
      'provider unknown',
      { orders: [good('B', { provider: 'x' }), good()] },
      'orders[].provider',
      ['A'],
    ],
    [
      'status unknown',
      { orders: [good('B', { status: 'won' }), good()] },
      'orders[].status',
      ['A'],
    ],
    [
      'terminal "yes"',
      { orders: [good('B', { terminal: 'yes' }), good()] },
      'orders[].terminal',
      ['A'],
    ],
    [
      'terminal missing',
      { orders: [good('B', { terminal: undefined }), good()] },
      'orders[].terminal',
      ['A'],
    ],
    [
      'history an object',
      { orders: [good('B', { history: {} }), good()] },
      'orders[].history',
      ['A'],
    ],
    [
      'history step with a bad status',
      { orders: [good('B', { history: [{ status: 1, providerStatus: '4', at: 't' }] }), good()] },
      'orders[].history[].status',
      ['A'],
    ],
    [
      'details a string',
      { orders: [good('B', { details: 'x' }), good()] },
      'orders[].details',
      ['A'],
    ],
    [
      'details field a number',
      { orders: [good('B', { details: { amountIn: 5 } }), good()] },
      'orders[].details.amountIn',
      ['A'],
    ],
    [
      'providerStatus 1 MB',
      { orders: [good('B', { providerStatus: big }), good()] },
      'orders[].providerStatus',
      ['A'],
    ],
    [
      'updatedAt 1 MB',
      { orders: [good('B', { updatedAt: big }), good()] },
      'orders[].updatedAt',
      ['A'],
    ],
    ['the same order twice', { orders: [good('A'), good('A')] }, 'orders[]', ['A']],
  ];
  it.each(rows)('%s', (_name, top, field, kept) => {
    const r = readable(readState(file(top)));
    expect(r.dropped.map((d) => d.field)).toEqual([field]);
    expect(r.state.orders.map((o) => o.orderId)).toEqual(kept);
    const text = describeDamage(r);
    expect(text).toContain(`${field}:`);
    // A message never quotes a huge value.
    expect(text.length).toBeLessThan(300);
  });

  it('"watched":{"hd":"ab"} does not watch "a" and "b"', () => {
    const r = readable(readState(file({ watched: { hd: 'ab', nx: ['N1'] } })));
    expect([...r.state.watched]).toEqual([['nx', ['N1']]]);
  });

  it('"__proto__" as a source id is an ordinary id, kept, and pollutes nothing', () => {
    const r = readable(
      readState(
        '{"version":1,"orders":[],"watched":{"__proto__":["P1"],"constructor":["C1"]},' +
          '"baselined":["__proto__"],"hidden":["__proto__\\u0000X"]}',
      ),
    );
    expect(r.dropped).toEqual([]);
    expect(r.state.watched.get('__proto__')).toEqual(['P1']);
    expect(r.state.watched.get('constructor')).toEqual(['C1']);
    expect(r.state.baselined).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).P1).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('0');
  });

  it('counts and names every kind of damage at once', () => {
    const r = readable(
      readState(
        file({
          orders: [good('A'), good(7 as unknown as string), good(8 as unknown as string), null],
          baselined: 5,
        }),
      ),
    );
    expect(r.totalOrders).toBe(4);
    expect(r.droppedOrders).toBe(3);
    expect(r.dropped).toEqual([
      { field: 'orders[].orderId', why: expect.stringMatching(/string/) as string, count: 2 },
      { field: 'orders[]', why: expect.any(String) as string, count: 1 },
      { field: 'baselined', why: 'a number, not a list', count: 1 },
    ]);
    expect(describeDamage(r)).toMatch(
      /^3 of 4 order record\(s\) dropped, 1 kept; dropped: orders\[\]\.orderId: .* \(×2\); orders\[\]: .*; baselined: a number, not a list$/,
    );
  });

  it(`an order id of ${MAX_ORDER_ID_LENGTH} characters is kept, one more is not`, () => {
    const ok = 'i'.repeat(MAX_ORDER_ID_LENGTH);
    const r = readable(readState(file({ orders: [good(ok), good(`${ok}i`)] })));
    expect(r.state.orders.map((o) => o.orderId)).toEqual([ok]);
    expect(r.dropped[0]?.why).toBe(`longer than ${MAX_ORDER_ID_LENGTH} characters`);
  });

  it('a long detail is shortened, not a reason to drop the order', () => {
    const r = readable(readState(file({ orders: [good('A', { details: { reason: big } })] })));
    expect(r.dropped).toEqual([]);
    expect(r.state.orders[0]?.details?.reason).toHaveLength(MAX_DETAIL_LENGTH);
  });

  it('an over-long history keeps the first sighting and the latest steps, as the store does', () => {
    const history = Array.from({ length: HISTORY_LIMIT + 10 }, (_, i) => ({
      status: 'processing',
      providerStatus: String(i),
      at: 't',
    }));
    const r = readable(readState(file({ orders: [good('A', { history })] })));
    const kept = r.state.orders[0]?.history ?? [];
    expect(kept).toHaveLength(HISTORY_LIMIT);
    expect(kept[0]?.providerStatus).toBe('0');
    expect(kept.at(-1)?.providerStatus).toBe(String(HISTORY_LIMIT + 9));
    expect(kept[1]?.providerStatus).toBe('11');
  });
});
