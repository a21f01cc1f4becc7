// The per-source throttle of unusable-frame lines: which lines are written, what is counted, and
// when the count is said.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  excerpt,
  LogThrottle,
  UnusableFrameLog,
  type ThrottleVerdict,
} from '../../src-main/engine/log-throttle.js';

describe('LogThrottle (3 lines per 1000 ms)', () => {
  // Each row: the times of successive lines and what each one gets.
  const rows: [string, [number, ThrottleVerdict][]][] = [
    [
      'the burst is written, the rest counted',
      [
        [0, { log: true }],
        [1, { log: true }],
        [2, { log: true }],
        [3, { log: false }],
        [999, { log: false }],
      ],
    ],
    [
      'the next window says the count first, then writes again',
      [
        [0, { log: true }],
        [0, { log: true }],
        [0, { log: true }],
        [0, { log: false }],
        [0, { log: false }],
        [1000, { log: true, suppressedBefore: 2 }],
        [1001, { log: true }],
      ],
    ],
    [
      'a window opens at the first line after the last one ended',
      [
        [0, { log: true }],
        [5000, { log: true }],
        [5001, { log: true }],
        [5002, { log: true }],
        [5999, { log: false }],
        [6000, { log: true, suppressedBefore: 1 }],
      ],
    ],
  ];
  it.each(rows)('%s', (_name, steps) => {
    const t = new LogThrottle(3, 1000);
    expect(steps.map(([at]) => t.take(at))).toEqual(steps.map(([, want]) => want));
  });

  it('drain hands the count over once', () => {
    const t = new LogThrottle(1, 1000);
    t.take(0);
    t.take(1);
    t.take(2);
    expect(t.drain()).toBe(2);
    expect(t.drain()).toBe(0);
    expect(t.take(1000)).toEqual({ log: true }); // already said: not again
  });
});

describe('excerpt', () => {
  it.each<[string, number, string]>([
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['x'.repeat(25), 10, `${'x'.repeat(10)}… (25 chars)`],
  ])('%s', (text, max, want) => {
    expect(excerpt(text, max)).toBe(want);
  });
});

describe('UnusableFrameLog', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes the burst, then one count line at the window end, frames cut to 200 chars', () => {
    vi.useFakeTimers({ now: 0 });
    const lines: [object, string][] = [];
    const frames = new UnusableFrameLog({ warn: (o, m) => void lines.push([o, m]) });
    for (let i = 0; i < 100_000; i += 1) frames.report('not JSON', 'y'.repeat(1_000_000));
    expect(lines).toHaveLength(10);
    expect(lines[0]).toEqual([
      { frame: `${'y'.repeat(200)}… (1000000 chars)` },
      'unusable frame: not JSON',
    ]);
    vi.advanceTimersByTime(10_000);
    expect(lines).toHaveLength(11);
    expect(lines[10]?.[1]).toBe('99990 more unusable frames suppressed (limit: 10 lines per 10 s)');
    frames.close();
    expect(lines).toHaveLength(11); // said once
  });

  it('close says what is still counted and cancels the timer', () => {
    vi.useFakeTimers({ now: 0 });
    const lines: string[] = [];
    const frames = new UnusableFrameLog({ warn: (_o, m) => void lines.push(m) }, Date.now, 1);
    frames.report('a');
    frames.report('b');
    frames.close();
    expect(lines).toEqual([
      'unusable frame: a',
      '1 more unusable frames suppressed (limit: 1 lines per 10 s)',
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
