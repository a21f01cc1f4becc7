// The order commands, called as registered handlers: add by id (validated), remove.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandResult } from '../../src-main/shared/bridge.js';
import { changes, parts, setup } from '../support/host-harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('order handlers', () => {
  const addOrderCases: [string, unknown, Partial<CommandResult> & { field?: string }][] = [
    ['valid', { source: 'nx', orderId: ' N2 ' }, { ok: true }],
    ['empty id', { source: 'nx', orderId: '  ' }, { ok: false, field: 'orderId' }],
    ['id with space', { source: 'nx', orderId: 'a b' }, { ok: false, field: 'orderId' }],
    ['id too long', { source: 'nx', orderId: 'x'.repeat(129) }, { ok: false, field: 'orderId' }],
    ['already watched', { source: 'nx', orderId: 'N1' }, { ok: false, field: 'orderId' }],
    ['unknown source', { source: 'zz', orderId: 'N2' }, { ok: false, field: 'source' }],
    ['no source', { orderId: 'N2' }, { ok: false, field: 'source' }],
    ['number id', { source: 'nx', orderId: 5 }, { ok: false, field: 'orderId' }],
    ['not an object', 'nx', { ok: false }],
  ];
  it.each(addOrderCases)('addOrder: %s', async (_name, req, expected) => {
    const { handlers } = parts();
    const res = await handlers.addOrder(req);
    expect(res).toMatchObject(expected);
  });

  const idRules: [string, string, string | undefined][] = [
    ['128 characters', 'x'.repeat(128), undefined],
    ['129 characters', 'x'.repeat(129), 'must be at most 128 characters'],
    ['a tab inside', 'a\tb', 'must not contain spaces or control characters'],
    ['a control character', 'a\u0007b', 'must not contain spaces or control characters'],
    ['DEL', 'a\u007fb', 'must not contain spaces or control characters'],
    ['an order already in the store', 'S1', 'this order is already in the list'],
  ];
  it.each(idRules)('addOrder: an id with %s', async (_name, orderId, error) => {
    const { engine, handlers } = parts();
    engine.order('nx', 'S1', 'completed', '16');
    const res = await handlers.addOrder({ source: 'nx', orderId });
    expect(res).toEqual(
      error === undefined ? { ok: true } : { ok: false, error, field: 'orderId' },
    );
  });

  it('addOrder watches the trimmed id and removeOrder drops it with an order-removed change', async () => {
    const { engine, host, client, batches } = setup();
    host.attach(client);
    await host.invoke('snapshot', undefined, client);
    await host.invoke('addOrder', { source: 'nx', orderId: ' N2 ' });
    expect(engine.calls).toContain('watch nx N2');
    expect(await host.invoke('removeOrder', { source: 'nx', orderId: 'N2' })).toEqual({ ok: true });
    expect(await host.invoke('removeOrder', { source: 'nx', orderId: 'N9' })).toMatchObject({
      ok: false,
      field: 'orderId',
    });
    vi.advanceTimersByTime(60);
    expect(changes(batches)).toContainEqual({ type: 'order-removed', source: 'nx', orderId: 'N2' });
  });

  it('both re-send the source, whose watched list changed', async () => {
    const p = parts();
    await p.handlers.addOrder({ source: 'nx', orderId: 'N2' });
    await p.handlers.removeOrder({ source: 'nx', orderId: 'N1' });
    const sent = p.changes().flatMap((c) => (c.type === 'source' ? [c.source.watched] : []));
    expect(sent).toEqual([['N1', 'N2'], ['N2']]);
  });

  const removeCases: [string, unknown, Partial<CommandResult>][] = [
    ['not an object', null, { ok: false, error: 'request must be an object' }],
    ['unknown source', { source: 'zz', orderId: 'N1' }, { ok: false, field: 'source' }],
    ['missing id', { source: 'nx' }, { ok: false, error: 'missing order id', field: 'orderId' }],
    ['untracked id', { source: 'nx', orderId: 'N9' }, { ok: false, field: 'orderId' }],
  ];
  it.each(removeCases)('removeOrder: %s', async (_name, req, expected) => {
    const { engine, handlers } = parts();
    expect(await handlers.removeOrder(req)).toMatchObject(expected);
    expect(engine.calls).toEqual([]);
  });
});
