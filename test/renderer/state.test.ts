import { describe, expect, it } from 'vitest';
import type { ChangeBatch } from '../../src-main/shared/bridge';
import type { EngineEvent } from '../../src-main/shared/lines';
import { AppState } from '../../src-renderer/lib/state.svelte';
import { record, snapshot, sourceView } from './fixtures';

/** A scheduler that runs frames only when the test says so. */
function manualFrames() {
  const frames: (() => void)[] = [];
  return {
    schedule: (fn: () => void) => frames.push(fn),
    run: () => frames.splice(0).forEach((fn) => fn()),
    get pending() {
      return frames.length;
    },
  };
}

const order = (
  orderId: string,
  status: 'pending' | 'processing' | 'completed',
  at: string,
): EngineEvent => ({
  kind: 'order',
  source: 'nx',
  provider: 'nexchange',
  orderId,
  status,
  terminal: status === 'completed',
  providerStatus: status,
  at,
});

const batch = (seq: number, events: EngineEvent[]): ChangeBatch => ({
  seq,
  changes: events.map((event) => ({ type: 'event', event })),
});

describe('AppState', () => {
  it('holds batches until the snapshot, then applies only later changes, once per frame', () => {
    const f = manualFrames();
    const app = new AppState(f.schedule);
    app.receive(batch(3, [order('A', 'processing', 't1')])); // before the snapshot: in it
    app.receive(batch(6, [order('A', 'completed', 't3'), order('B', 'pending', 't3')]));
    expect(f.pending).toBe(0);
    app.loadSnapshot(snapshot({ seq: 4, orders: [record('A', 'processing', { at: 't2' })] }));
    expect(f.pending).toBe(1);
    app.receive(batch(7, [order('C', 'pending', 't4')]));
    expect(f.pending).toBe(1); // still one frame for everything
    f.run();
    expect(app.frames).toBe(1);
    const byId = Object.fromEntries(app.orders.map((o) => [o.orderId, o]));
    expect(byId.A?.status).toBe('completed');
    expect(byId.A?.history.map((h) => h.status)).toEqual(['processing', 'completed']);
    expect(Object.keys(byId).sort()).toEqual(['A', 'B', 'C']);
  });

  it('ignores a batch it already has (seq not above its own)', () => {
    const f = manualFrames();
    const app = new AppState(f.schedule);
    app.loadSnapshot(snapshot({ seq: 10 }));
    app.receive(batch(10, [order('OLD', 'pending', 't')]));
    f.run();
    expect(app.orders).toEqual([]);
  });

  it('alerts show as toasts once; removals and source changes apply', () => {
    const f = manualFrames();
    const app = new AppState(f.schedule);
    app.loadSnapshot(snapshot({ seq: 0, orders: [record('A', 'processing')] }));
    const alert: EngineEvent = {
      kind: 'alert',
      source: 'nx',
      provider: 'nexchange',
      orderId: 'A',
      status: 'completed',
      title: 'done',
      body: 'A',
      at: 't',
    };
    app.receive(batch(1, [alert]));
    app.receive({ seq: 2, changes: [{ type: 'event', event: alert }] });
    app.receive({
      seq: 4,
      changes: [
        { type: 'order-removed', source: 'nx', orderId: 'A' },
        { type: 'source', source: sourceView('nx', 'nexchange', { state: 'reconnecting' }) },
      ],
    });
    f.run();
    expect(app.toasts).toHaveLength(1);
    expect(app.alerts).toHaveLength(2);
    expect(app.orders).toEqual([]);
    expect(app.sources[0]?.state).toBe('reconnecting');
  });

  // The orders array keeps one order from frame to frame (the map's: first seen first), whether a
  // frame only updates known orders (swapped in place) or also adds or removes some (rebuilt).
  it.each([
    ['updates only', [order('B', 'processing', 't5'), order('D', 'completed', 't5')], 'ABCD'],
    [
      'an update, twice in one frame',
      [order('C', 'processing', 't5'), order('C', 'completed', 't6')],
      'ABCD',
    ],
    [
      'an update and a new order',
      [order('B', 'processing', 't5'), order('E', 'pending', 't5')],
      'ABCDE',
    ],
    ['a new order only', [order('E', 'pending', 't5')], 'ABCDE'],
    ['an update and a removal', [order('D', 'processing', 't5'), 'remove B'], 'ACD'],
    ['a removal, then the same order again', ['remove B', order('B', 'processing', 't5')], 'ACDB'],
  ] as const)('orders in a frame with %s stay in their order', (_what, changes, ids) => {
    const f = manualFrames();
    const app = new AppState(f.schedule);
    app.loadSnapshot(
      snapshot({ seq: 0, orders: ['A', 'B', 'C', 'D'].map((id) => record(id, 'pending')) }),
    );
    // A first frame of updates (the array is then swapped in place from here on).
    app.receive(batch(1, [order('A', 'processing', 't1')]));
    f.run();
    const before = app.orders;
    app.receive({
      seq: 1 + changes.length,
      changes: changes.map((c) =>
        c === 'remove B'
          ? { type: 'order-removed', source: 'nx', orderId: 'B' }
          : { type: 'event', event: c },
      ),
    });
    f.run();
    expect(app.orders.map((o) => o.orderId).join('')).toBe(ids);
    expect(app.orders).not.toBe(before); // a new array: the window re-renders
    expect(before.map((o) => o.orderId).join('')).toBe('ABCD'); // the old one is left alone
    const last = new Map<string, string>();
    for (const c of changes)
      if (c !== 'remove B' && c.kind === 'order') last.set(c.orderId, c.status);
    for (const o of app.orders) {
      expect(o.status).toBe(last.get(o.orderId) ?? (o.orderId === 'A' ? 'processing' : 'pending'));
    }
  });

  it('applies 1,000 updates in one frame quickly', () => {
    const f = manualFrames();
    const app = new AppState(f.schedule);
    app.loadSnapshot(
      snapshot({
        seq: 0,
        orders: Array.from({ length: 10_000 }, (_, i) => record(`O${i}`, 'pending')),
      }),
    );
    for (let b = 0; b < 20; b += 1) {
      app.receive(
        batch(
          (b + 1) * 50,
          Array.from({ length: 50 }, (_, i) => order(`O${b * 50 + i}`, 'processing', 't9')),
        ),
      );
    }
    f.run();
    expect(app.frames).toBe(1);
    expect(app.orders.filter((o) => o.status === 'processing')).toHaveLength(1000);
  });
});
