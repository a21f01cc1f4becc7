// The status model (docs/headless.md), row by row: each provider's own code maps to the normalized
// status the contract names, and terminal-ness follows the normalized status.
import { describe, expect, it } from 'vitest';
import { STATUS_TABLES } from '../../src-main/engine/providers/index.js';
import { isTerminal } from '../../src-main/engine/status.js';
import type { NormalizedStatus, ProviderKey } from '../../src-main/engine/types.js';

const CONTRACT: Array<[ProviderKey, string, NormalizedStatus]> = [
  ['nexchange', '11', 'pending'],
  ['nexchange', '9', 'on_hold'],
  ['nexchange', '6', 'processing'],
  ['nexchange', '12', 'processing'],
  ['nexchange', '13', 'processing'],
  ['nexchange', '14', 'processing'],
  ['nexchange', '15', 'processing'],
  ['nexchange', '16', 'completed'],
  ['nexchange', '7', 'failed'],
  ['nexchange', '0', 'canceled'],
  ['nexchange', '8', 'refunded'],
  ['houdini', '-2', 'pending'],
  ['houdini', '-1', 'pending'],
  ['houdini', '0', 'pending'],
  ['houdini', '1', 'processing'],
  ['houdini', '2', 'processing'],
  ['houdini', '3', 'processing'],
  ['houdini', '4', 'completed'],
  ['houdini', '5', 'expired'],
  ['houdini', '6', 'failed'],
  ['houdini', '7', 'refunded'],
  ['houdini', '8', 'deleted'],
  ['ozzobit', 'ORDER_CREATED', 'pending'],
  ['ozzobit', 'ORDER_PROCESSING', 'processing'],
  ['ozzobit', 'ORDER_COMPLETED', 'completed'],
  ['ozzobit', 'ORDER_FAILED', 'failed'],
  ['ozzobit', 'ORDER_CANCELLED', 'canceled'],
  ['orangepill', 'deposit.pending', 'pending'],
  ['orangepill', 'withdrawal.creating', 'pending'],
  ['orangepill', 'apps.payment.pending', 'pending'],
  ['orangepill', 'transaction.processing', 'processing'],
  ['orangepill', 'deposit.received', 'processing'],
  ['orangepill', 'deposit.gas', 'processing'],
  ['orangepill', 'transaction.done', 'completed'],
  ['orangepill', 'transaction.processed', 'completed'],
  ['orangepill', 'deposit.processed', 'completed'],
  ['orangepill', 'withdrawal.processed', 'completed'],
  ['orangepill', 'apps.forward.done', 'completed'],
  ['orangepill', 'apps.payment.done', 'completed'],
  ['orangepill', 'apps.deposit.done', 'completed'],
  ['orangepill', 'transaction.failed', 'failed'],
  ['orangepill', 'deposit.failed', 'failed'],
  ['orangepill', 'withdrawal.failed', 'failed'],
  ['orangepill', 'apps.forward.failed', 'failed'],
  ['satoriex', 'open', 'processing'],
  ['satoriex', 'partially_filled', 'processing'],
  ['satoriex', 'order_filled', 'completed'],
  ['satoriex', 'filled', 'completed'],
  ['satoriex', 'withdraw_confirmed', 'completed'],
  ['satoriex', 'deposit_confirmed', 'completed'],
  ['satoriex', 'withdraw_failed', 'failed'],
  ['satoriex', 'withdraw_rejected', 'failed'],
  ['satoriex', 'rejected', 'failed'],
  ['satoriex', 'canceled', 'canceled'],
  ['satoriex', 'expired', 'expired'],
];

describe('status tables follow the status model, docs/headless.md', () => {
  it.each(CONTRACT)('%s %s → %s', (provider, code, expected) => {
    expect(STATUS_TABLES[provider][code]?.status).toBe(expected);
  });

  it.each([
    ['completed', true],
    ['failed', true],
    ['canceled', true],
    ['expired', true],
    ['refunded', true],
    ['deleted', true],
    ['pending', false],
    ['on_hold', false],
    ['processing', false],
  ] as const)('%s terminal = %s', (status, terminal) => {
    expect(isTerminal(status)).toBe(terminal);
  });

  it('every provider code has a label a person can read', () => {
    for (const table of Object.values(STATUS_TABLES)) {
      for (const entry of Object.values(table)) expect(entry.label.length).toBeGreaterThan(0);
    }
  });
});
