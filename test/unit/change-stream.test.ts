// The change stream: held until the window's snapshot, numbered, batched, and the status tick.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src-main/engine/log.js';
import type { BridgeChange, ChangeBatch } from '../../src-main/shared/bridge.js';
import { ChangeStream } from '../../src-main/shared/host/change-stream.js';
import { changes, setup } from '../support/host-harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('BridgeHost change stream', () => {
  it('holds changes until the client asks for its snapshot, then streams later ones in order', async () => {
    const { engine, host, batches, client } = setup();
    host.attach(client);
    engine.order('nx', 'N1', 'pending', '11');
    vi.advanceTimersByTime(200);
    expect(batches).toEqual([]);

    const snap = await host.invoke('snapshot', undefined, client);
    expect(snap.orders.map((o) => o.orderId)).toEqual(['N1']);
    engine.order('nx', 'N1', 'processing', '13');
    engine.order('nx', 'N1', 'completed', '16');
    vi.advanceTimersByTime(60);
    expect(batches).toHaveLength(1);
    const batch = batches[0]!;
    expect(batch.seq).toBeGreaterThan(snap.seq);
    const statuses = batch.changes.flatMap((c) =>
      c.type === 'event' && c.event.kind === 'order' ? [c.event.status] : [],
    );
    expect(statuses).toEqual(['processing', 'completed']);
  });

  it('batches many events into few messages and keeps seq increasing', async () => {
    const { engine, host, batches, client } = setup();
    host.attach(client);
    await host.invoke('snapshot', undefined, client);
    for (let i = 0; i < 1000; i += 1) engine.order('nx', `B${i}`, 'pending', '11');
    vi.advanceTimersByTime(60);
    for (let i = 0; i < 1000; i += 1) engine.order('nx', `B${i}`, 'processing', '13');
    vi.advanceTimersByTime(60);
    expect(batches.length).toBe(2);
    expect(changes(batches)).toHaveLength(2000);
    expect(batches[1]!.seq).toBeGreaterThan(batches[0]!.seq);
  });

  it('sends a late-attaching client only what follows its own snapshot', async () => {
    const { engine, host, client } = setup();
    host.attach(client);
    await host.invoke('snapshot', undefined, client);
    engine.order('nx', 'A', 'pending', '11');
    const late: ChangeBatch[] = [];
    const lateClient = { send: (b: ChangeBatch) => late.push(b) };
    host.attach(lateClient);
    const snap = await host.invoke('snapshot', undefined, lateClient);
    engine.order('nx', 'A', 'processing', '13');
    vi.advanceTimersByTime(60);
    expect(late).toHaveLength(1);
    expect(late[0]!.changes).toHaveLength(1);
    expect(late[0]!.seq).toBe(snap.seq + 1);
  });

  it('pushes source status (age, RTT) from the main side at most once per second', async () => {
    const { engine, host, batches, client } = setup();
    host.attach(client);
    await host.invoke('snapshot', undefined, client);
    engine.setStatus('nx', { lastMessageAt: '2025-01-01T00:00:00.000Z', rttMs: 12.5 });
    vi.advanceTimersByTime(400);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(700);
    const sources = changes(batches).filter((c) => c.type === 'source');
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({ source: { id: 'nx', rttMs: 12.5 } });
    vi.advanceTimersByTime(3000);
    // Nothing changed since: nothing more is sent.
    expect(changes(batches).filter((c) => c.type === 'source')).toHaveLength(1);
  });

  it('stops sending after detach', async () => {
    const { engine, host, batches, client } = setup();
    const detach = host.attach(client);
    await host.invoke('snapshot', undefined, client);
    detach();
    engine.order('nx', 'N1', 'pending', '11');
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([]);
  });
});

describe('ChangeStream', () => {
  const problem = (n: number): BridgeChange => ({ type: 'problems', problems: [`p${n}`] });
  let clock = 0;
  const stream = (opts: { onStatusTick?: () => void } = {}) =>
    new ChangeStream({ log: silentLogger(), now: () => clock, ...opts });
  const recorder = () => {
    const got: ChangeBatch[] = [];
    return { got, client: { send: (b: ChangeBatch) => got.push(b) } };
  };
  beforeEach(() => {
    clock = 0;
  });

  it('numbers every change, even those nobody receives', () => {
    const s = stream();
    s.enqueue(problem(1));
    s.enqueue(problem(2));
    expect(s.seq).toBe(2);
    expect(s.snapshotTaken()).toBe(2);
  });

  // [changes before the snapshot, changes after it, seq and length of the one batch expected]
  const cases: [string, number, number, { seq: number; changes: number } | undefined][] = [
    ['nothing after the snapshot', 3, 0, undefined],
    ['only what follows the snapshot', 3, 2, { seq: 5, changes: 2 }],
    ['from the first change on', 0, 4, { seq: 4, changes: 4 }],
  ];
  it.each(cases)('a window that took its snapshot gets %s', (_name, before, after, expected) => {
    const s = stream();
    const { got, client } = recorder();
    s.attach(client);
    for (let i = 0; i < before; i += 1) s.enqueue(problem(i));
    s.snapshotTaken(client);
    for (let i = 0; i < after; i += 1) s.enqueue(problem(before + i));
    s.flush();
    expect(got.map((b) => ({ seq: b.seq, changes: b.changes.length }))).toEqual(
      expected ? [expected] : [],
    );
  });

  it('a snapshot taken mid-batch skips the changes it already reflects', () => {
    const s = stream();
    const first = recorder();
    const second = recorder();
    s.attach(first.client);
    s.attach(second.client);
    s.snapshotTaken(first.client);
    s.enqueue(problem(1));
    s.enqueue(problem(2));
    s.snapshotTaken(second.client);
    s.enqueue(problem(3));
    s.flush();
    expect(first.got).toEqual([{ seq: 3, changes: [problem(1), problem(2), problem(3)] }]);
    expect(second.got).toEqual([{ seq: 3, changes: [problem(3)] }]);
  });

  it('sends at most one batch per 50 ms, timed from the last flush', () => {
    const s = stream();
    const { got, client } = recorder();
    s.attach(client);
    s.snapshotTaken(client);
    clock = 1_000;
    // Long since the last flush: sent on the next turn.
    s.enqueue(problem(1));
    vi.advanceTimersByTime(0);
    expect(got).toHaveLength(1);
    clock = 1_010;
    s.enqueue(problem(2));
    vi.advanceTimersByTime(39);
    expect(got).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(got).toHaveLength(2);
  });

  it('a window whose send throws does not stop the others', () => {
    const s = stream();
    const { got, client } = recorder();
    const broken = {
      send: () => {
        throw new Error('gone');
      },
    };
    s.attach(broken);
    s.attach(client);
    s.snapshotTaken(broken);
    s.snapshotTaken(client);
    s.enqueue(problem(1));
    s.flush();
    expect(got).toHaveLength(1);
  });

  it('ticks once a second only while a window holding a snapshot is attached', () => {
    const onStatusTick = vi.fn();
    const s = stream({ onStatusTick });
    const { client } = recorder();
    vi.advanceTimersByTime(3_000);
    expect(onStatusTick).not.toHaveBeenCalled();
    const detach = s.attach(client);
    vi.advanceTimersByTime(2_000);
    expect(onStatusTick).not.toHaveBeenCalled();
    s.snapshotTaken(client);
    vi.advanceTimersByTime(2_000);
    expect(onStatusTick).toHaveBeenCalledTimes(2);
    detach();
    vi.advanceTimersByTime(5_000);
    expect(onStatusTick).toHaveBeenCalledTimes(2);
  });

  it('dispose sends what is queued, then nothing more', () => {
    const s = stream();
    const { got, client } = recorder();
    s.attach(client);
    s.snapshotTaken(client);
    s.enqueue(problem(1));
    s.dispose();
    expect(got).toHaveLength(1);
    s.enqueue(problem(2));
    vi.advanceTimersByTime(1_000);
    expect(got).toHaveLength(1);
  });
});
