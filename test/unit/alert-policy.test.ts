import { describe, expect, it } from 'vitest';
import {
  AlertCoalescer,
  coalesce,
  decideAlert,
  muteSourceFor,
  MUTE_SOURCE_MS,
  outcomeOf,
  pauseUntil,
  soundFor,
  type AlertNotice,
} from '../../src-main/shared/alert-policy.js';
import type { AlertLine } from '../../src-main/engine/types.js';
import { PAUSED_UNTIL_RESUMED, type NotificationPrefs } from '../../src-main/shared/bridge.js';
import { defaultPrefs } from '../../src-main/shared/settings-port.js';
import { alertLine } from '../support/fake-engine.js';

describe('decideAlert', () => {
  const now = 1_000_000;
  const cases: {
    name: string;
    prefs: Partial<NotificationPrefs>;
    alert: AlertLine;
    out: string;
  }[] = [
    { name: 'chosen status', prefs: {}, alert: alertLine('a', '1'), out: 'notify' },
    { name: 'status off', prefs: { statuses: [] }, alert: alertLine('a', '1'), out: 'drop' },
    {
      name: 'status off wins over pause',
      prefs: { statuses: [], pausedUntil: now + 1 },
      alert: alertLine('a', '1'),
      out: 'drop',
    },
    { name: 'paused', prefs: { pausedUntil: now + 1 }, alert: alertLine('a', '1'), out: 'hold' },
    { name: 'pause ended', prefs: { pausedUntil: now }, alert: alertLine('a', '1'), out: 'notify' },
    {
      name: 'until resumed',
      prefs: { pausedUntil: PAUSED_UNTIL_RESUMED },
      alert: alertLine('a', '1'),
      out: 'hold',
    },
    { name: 'muted', prefs: { mutedSources: ['a'] }, alert: alertLine('a', '1'), out: 'hold' },
    {
      name: 'muted for an hour, still on',
      prefs: { mutedUntil: { a: now + 1 } },
      alert: alertLine('a', '1'),
      out: 'hold',
    },
    {
      name: 'mute for an hour over',
      prefs: { mutedUntil: { a: now } },
      alert: alertLine('a', '1'),
      out: 'notify',
    },
    {
      name: 'another source muted for an hour',
      prefs: { mutedUntil: { b: now + 1 } },
      alert: alertLine('a', '1'),
      out: 'notify',
    },
  ];
  it.each(cases)('$name → $out', ({ prefs, alert, out }) => {
    expect(decideAlert(alert, { ...defaultPrefs(), ...prefs }, now)).toBe(out);
  });
});

describe('sound per outcome', () => {
  const outcomes: [string, 'completed' | 'failed'][] = [
    ['completed', 'completed'],
    ['failed', 'failed'],
    ['refunded', 'failed'],
    ['expired', 'failed'],
    ['canceled', 'failed'],
    ['deleted', 'failed'],
  ];
  it.each(outcomes)('%s is %s-like', (status, outcome) => {
    expect(outcomeOf(status)).toBe(outcome);
  });

  // [prefs, status, sound?]
  const sounds: [Partial<NotificationPrefs>, 'completed' | 'failed', boolean][] = [
    [{}, 'completed', false], // default: completions silent
    [{}, 'failed', true], // default: failures ring
    [{ sound: false }, 'failed', false], // the master switch wins
    [{ outcomeSounds: { completed: true, failed: false } }, 'completed', true],
    [{ outcomeSounds: { completed: true, failed: false } }, 'failed', false],
  ];
  it.each(sounds)('%j, %s → sound %s', (prefs, status, expected) => {
    expect(soundFor(alertLine('a', '1', status), { ...defaultPrefs(), ...prefs })).toBe(expected);
  });
});

describe('muteSourceFor', () => {
  it('mutes one source for an hour and drops mutes that are over', () => {
    const now = 5_000_000;
    const prefs = { ...defaultPrefs(), mutedUntil: { old: now - 1, other: now + 10 } };
    expect(muteSourceFor(prefs, 'nx', now)).toEqual({ other: now + 10, nx: now + MUTE_SOURCE_MS });
    expect(MUTE_SOURCE_MS).toBe(3_600_000);
  });
});

describe('coalesce', () => {
  const alerts = (n: number) => Array.from({ length: n }, (_, i) => alertLine('s', `O${i}`));
  it.each([
    [0, 0, 'nothing'],
    [1, 1, 'single'],
    [2, 2, 'single'],
    [3, 1, 'summary'],
    [50, 1, 'summary'],
  ])('%i alerts → %i notice(s) (%s)', (n, count, kind) => {
    const out = coalesce(alerts(n), true);
    expect(out).toHaveLength(count);
    if (kind === 'summary') {
      expect(out[0]?.title).toBe(`${n} orders finished`);
      expect(out[0]?.alerts).toHaveLength(n);
    }
    if (kind === 'single') expect(out[0]?.alerts).toHaveLength(1);
  });
});

describe('AlertCoalescer', () => {
  /** A hand-driven clock: timers fire only when `advance` passes them. */
  function harness() {
    let now = 0;
    let seq = 0;
    const timers = new Map<number, { at: number; fn: () => void }>();
    const out: AlertNotice[] = [];
    const c = new AlertCoalescer((n) => out.push(n), {
      now: () => now,
      setTimer: (fn, ms) => {
        seq += 1;
        timers.set(seq, { at: now + ms, fn });
        return seq;
      },
      clearTimer: (h) => timers.delete(h as number),
    });
    const advance = (ms: number) => {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    };
    return { c, out, advance };
  }

  // Each case: arrival times (ms) of alerts → the sizes of the notices delivered.
  const cases: [string, number[], number[]][] = [
    ['one alert', [0], [1]],
    ['two close together', [0, 100], [1, 1]],
    ['five at once (after a reconnect)', [0, 0, 0, 0, 0], [5]],
    ['three within a second', [0, 300, 600], [3]],
    ['three spread over four seconds', [0, 2000, 4000], [1, 1, 1]],
    [
      'steady stream is cut at two seconds',
      [0, 300, 600, 900, 1200, 1500, 1800, 2100, 2400],
      [7, 1, 1],
    ],
  ];
  it.each(cases)('%s', (_name, times, sizes) => {
    const { c, out, advance } = harness();
    let t = 0;
    times.forEach((at, i) => {
      advance(at - t);
      t = at;
      c.push(alertLine('s', `O${i}`), false);
    });
    advance(10_000);
    expect(out.map((n) => n.alerts.length)).toEqual(sizes);
  });
});

describe('pauseUntil', () => {
  it('1 h, until tomorrow 08:00, until resumed', () => {
    const now = new Date(2025, 5, 1, 22, 30).getTime();
    expect(pauseUntil('1h', now)).toBe(now + 3_600_000);
    expect(new Date(pauseUntil('tomorrow', now))).toEqual(new Date(2025, 5, 2, 8, 0));
    expect(pauseUntil('resumed', now)).toBe(PAUSED_UNTIL_RESUMED);
  });
});
