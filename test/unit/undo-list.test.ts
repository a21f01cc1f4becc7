import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UndoList, UndoSlot } from '../../src-main/engine/undo-list.js';

describe('UndoList', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs every undo exactly once, the last registered first', () => {
    const list = new UndoList();
    const ran: string[] = [];
    for (const name of ['a', 'b', 'c']) list.add(() => ran.push(name));
    expect(list.closed).toBe(false);
    expect(list.run()).toEqual([]);
    expect(list.run()).toEqual([]);
    expect(ran).toEqual(['c', 'b', 'a']);
    expect(list.closed).toBe(true);
  });

  it('survives a throwing undo: the others still run, the errors come back in run order', () => {
    const list = new UndoList();
    const ran: string[] = [];
    const first = new Error('first registered');
    const last = new Error('last registered');
    list.add(() => ran.push('a'));
    list.add(() => {
      throw first;
    });
    list.add(() => ran.push('b'));
    list.add(() => {
      throw last;
    });
    expect(list.run()).toEqual([last, first]);
    expect(ran).toEqual(['b', 'a']);
  });

  it('undoes at once what is registered after the end (a late callback cannot leak)', () => {
    const list = new UndoList();
    list.run();
    const undo = vi.fn();
    list.add(undo);
    expect(undo).toHaveBeenCalledTimes(1);
    list.timeout(() => {}, 1_000);
    list.interval(() => {}, 1_000);
    expect(vi.getTimerCount()).toBe(0);
    expect(() =>
      list.add(() => {
        throw new Error('nobody to tell');
      }),
    ).not.toThrow();
  });

  it('clears its timers: none fires after the end, none is left pending', () => {
    const list = new UndoList();
    const fired = vi.fn();
    list.timeout(fired, 100);
    list.interval(fired, 50);
    expect(vi.getTimerCount()).toBe(2);
    vi.advanceTimersByTime(60);
    expect(fired).toHaveBeenCalledTimes(1);
    list.run();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('detaches its listeners and nobody else’s', () => {
    const emitter = new EventEmitter();
    const list = new UndoList();
    const mine = vi.fn();
    const theirs = vi.fn();
    emitter.on('message', theirs);
    list.listen(emitter, 'message', mine);
    list.listen(emitter, 'close', mine);
    emitter.emit('message', 'one');
    expect(mine).toHaveBeenCalledWith('one');
    list.run();
    expect(emitter.listenerCount('message')).toBe(1);
    expect(emitter.listenerCount('close')).toBe(0);
    emitter.emit('message', 'two');
    expect(mine).toHaveBeenCalledTimes(1);
    expect(theirs).toHaveBeenCalledTimes(2);
  });
});

describe('UndoSlot', () => {
  it('holds one lifetime at a time: begin() ends the previous one', () => {
    const slot = new UndoSlot();
    const ended: string[] = [];
    slot.begin().add(() => ended.push('first'));
    expect(ended).toEqual([]);
    const second = slot.begin();
    second.add(() => ended.push('second'));
    expect(ended).toEqual(['first']);
    slot.end();
    slot.end();
    expect(ended).toEqual(['first', 'second']);
    expect(second.closed).toBe(true);
  });

  it('reports what a throwing undo threw, and goes on', () => {
    const errors: unknown[] = [];
    const slot = new UndoSlot((err) => errors.push(err));
    const boom = new Error('boom');
    const after = vi.fn();
    const list = slot.begin();
    list.add(after);
    list.add(() => {
      throw boom;
    });
    slot.end();
    expect(errors).toEqual([boom]);
    expect(after).toHaveBeenCalledTimes(1);
  });
});
