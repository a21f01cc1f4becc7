// The status model the window shares: which statuses end an order and which may alert.
import { describe, expect, it } from 'vitest';
import {
  ALERTABLE_STATUSES,
  STATUSES,
  TERMINAL,
  isTerminal,
  type NormalizedStatus,
} from '../../src-main/shared/statuses.js';

describe('status model', () => {
  // status → ends the order
  const ENDS: [NormalizedStatus, boolean][] = [
    ['pending', false],
    ['on_hold', false],
    ['processing', false],
    ['completed', true],
    ['failed', true],
    ['canceled', true],
    ['expired', true],
    ['refunded', true],
    ['deleted', true],
  ];
  it.each(ENDS)('%s terminal: %s', (status, terminal) => {
    expect(isTerminal(status)).toBe(terminal);
  });

  it('the table above covers every status, and the terminal table nothing else', () => {
    expect(ENDS.map(([s]) => s)).toEqual([...STATUSES]);
    expect(Object.keys(TERMINAL).sort()).toEqual([...STATUSES].sort());
  });

  it('alertable statuses are exactly the terminal ones, in the model order', () => {
    expect(ALERTABLE_STATUSES).toEqual(ENDS.filter(([, t]) => t).map(([s]) => s));
  });
});
