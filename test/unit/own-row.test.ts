// ownRow: a table lookup of a provider's word finds only the rows the table itself holds, never
// what every object inherits. Run against every provider's real status table and the auth tables.
import { describe, expect, it } from 'vitest';
import { authFailureFor } from '../../src-main/engine/providers/descriptor.js';
import { ENGINE_PROVIDERS, STATUS_TABLES } from '../../src-main/engine/providers/index.js';
import { ownRow } from '../../src-main/engine/status.js';
import { PROVIDERS } from '../../src-main/engine/types.js';

const INHERITED = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
];

describe('ownRow', () => {
  const table = { a: 1, constructor: 2 } as Readonly<Record<string, number>>;
  it.each([
    ['a', 1],
    ['constructor', 2], // an own row of that name is a row like any other
    ['toString', undefined],
    ['__proto__', undefined],
    ['b', undefined],
    ['', undefined],
  ])('%j → %j', (key, expected) => {
    expect(ownRow(table, key)).toBe(expected);
  });

  it('a table whose prototype has rows does not lend them', () => {
    const child = Object.create({ inherited: 1 }) as Record<string, number>;
    expect(ownRow(child, 'inherited')).toBeUndefined();
  });
});

describe.each(PROVIDERS)('%s tables answer no inherited key', (provider) => {
  it.each(INHERITED)('status %j is no row', (word) => {
    expect(ownRow(STATUS_TABLES[provider], word)).toBeUndefined();
  });

  it.each(INHERITED)('auth signal "message %s" is no refusal', (word) => {
    const table = ENGINE_PROVIDERS[provider].authFailures;
    expect(authFailureFor(table, { message: word })).toBeUndefined();
  });
});
