// A ledger rewrite reads the provider and order id of every log line without parsing it when it
// can (alert-ledger.ts `ledgerLineId`): it must name the same order as parsing the line would, and
// nothing for a line that names none.
import { describe, expect, it } from 'vitest';
import { ledgerLineId } from '../../src-main/engine/alert-ledger.js';

const AT = '"at":"2026-01-01T00:00:00.000Z"';

describe('ledgerLineId', () => {
  it.each<{ name: string; line: string; id: { provider: string; orderId: string } | undefined }>([
    {
      name: 'a line as claim writes it',
      line: `{"provider":"orangepill","source":"op","orderId":"op-1","status":"completed",${AT}}`,
      id: { provider: 'orangepill', orderId: 'op-1' },
    },
    {
      name: 'fields in another order, retired',
      line: `{"orderId":"A","silent":true,"retired":true,"provider":"houdini",${AT}}`,
      id: { provider: 'houdini', orderId: 'A' },
    },
    {
      name: 'an id with an escaped quote and backslash (parsed)',
      line: JSON.stringify({ provider: 'orangepill', orderId: 'a"b\\c', status: 'completed' }),
      id: { provider: 'orangepill', orderId: 'a"b\\c' },
    },
    {
      name: 'an id that looks like a field (escaped, parsed)',
      line: JSON.stringify({ provider: 'orangepill', orderId: '","orderId":"X' }),
      id: { provider: 'orangepill', orderId: '","orderId":"X' },
    },
    {
      name: 'a unicode escape in the provider (parsed)',
      line: '{"provider":"orange\\u0070ill","orderId":"B"}',
      id: { provider: 'orangepill', orderId: 'B' },
    },
    {
      name: 'non-ASCII id',
      line: JSON.stringify({ provider: 'orangepill', orderId: 'ö-💥' }),
      id: { provider: 'orangepill', orderId: 'ö-💥' },
    },
    {
      name: 'an empty id',
      line: '{"provider":"p","orderId":""}',
      id: { provider: 'p', orderId: '' },
    },
    {
      name: 'spaces around the colon (parsed)',
      line: '{"provider" : "p", "orderId" : "C"}',
      id: { provider: 'p', orderId: 'C' },
    },
    { name: 'a torn line', line: '{"provider":"orangepill","orderId":"op-1","sta', id: undefined },
    { name: 'a number for an id', line: '{"provider":"p","orderId":7}', id: undefined },
    { name: 'no provider', line: '{"orderId":"A"}', id: undefined },
    { name: 'not JSON', line: 'garbage', id: undefined },
    { name: 'blank', line: '   ', id: undefined },
    { name: 'empty', line: '', id: undefined },
  ])('$name', ({ line, id }) => {
    expect(ledgerLineId(line)).toEqual(id);
  });
});
