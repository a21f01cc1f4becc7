// "Monitoring degraded": once per episode of offline / auth_failed lasting 5 minutes, once more on
// recovery; nothing for a short outage, a disabled or removed source. An injected clock throughout.
import { describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../src-main/shared/statuses.js';
import {
  DEGRADED_AFTER_MS,
  DegradedWatch,
  type DegradedNotice,
} from '../../src-main/shared/host/degraded-watch.js';

const MIN = 60_000;

/** A step: at minute t, a state for source nx (or `enabled: false`), or just a look at what is due. */
type Step = { t: number; state?: ConnectionState; enabled?: boolean; forget?: true };

function run(steps: Step[]): string[] {
  let now = 0;
  const watch = new DegradedWatch(() => now);
  const out: DegradedNotice[] = [];
  for (const s of steps) {
    now = s.t * MIN;
    if (s.forget) watch.forget('nx');
    else if (s.state) out.push(...watch.observe('nx', s.state, s.enabled ?? true));
    else out.push(...watch.due());
  }
  return out.map((n) => `${n.kind}:${n.state}@${n.since / MIN}`);
}

describe('DegradedWatch', () => {
  const cases: [string, Step[], string[]][] = [
    ['connected all along', [{ t: 0, state: 'connected' }, { t: 30 }], []],
    [
      'offline for 4:59 then back: nothing',
      [{ t: 0, state: 'offline' }, { t: 4.99 }, { t: 4.99, state: 'connected' }, { t: 20 }],
      [],
    ],
    [
      'offline 5 min: one notice, then one on recovery',
      [{ t: 0, state: 'offline' }, { t: 5 }, { t: 6 }, { t: 30 }, { t: 31, state: 'connected' }],
      ['degraded:offline@0', 'recovered:connected@0'],
    ],
    [
      'auth_failed counts too',
      [{ t: 1, state: 'auth_failed' }, { t: 6 }, { t: 7, state: 'connected' }],
      ['degraded:auth_failed@1', 'recovered:connected@1'],
    ],
    [
      'retrying in between keeps the episode (offline → reconnecting → offline)',
      [
        { t: 0, state: 'offline' },
        { t: 2, state: 'reconnecting' },
        { t: 3, state: 'offline' },
        { t: 4, state: 'connecting' },
        { t: 5 },
        { t: 9, state: 'offline' },
      ],
      ['degraded:offline@0'],
    ],
    ['reconnecting alone never opens an episode', [{ t: 0, state: 'reconnecting' }, { t: 60 }], []],
    [
      'a late state reports what is due at once',
      [
        { t: 0, state: 'offline' },
        { t: 7, state: 'offline' },
      ],
      ['degraded:offline@0'],
    ],
    [
      'two episodes: two notices each',
      [
        { t: 0, state: 'offline' },
        { t: 5 },
        { t: 6, state: 'connected' },
        { t: 10, state: 'auth_failed' },
        { t: 15 },
        { t: 16, state: 'connected' },
      ],
      [
        'degraded:offline@0',
        'recovered:connected@0',
        'degraded:auth_failed@10',
        'recovered:connected@10',
      ],
    ],
    [
      'disabled: the episode ends quietly',
      [
        { t: 0, state: 'offline' },
        { t: 5 },
        { t: 6, state: 'offline', enabled: false },
        { t: 7, state: 'connected' },
      ],
      ['degraded:offline@0'],
    ],
    [
      'removed before 5 min: nothing',
      [{ t: 0, state: 'offline' }, { t: 3, forget: true }, { t: 10 }],
      [],
    ],
  ];
  it.each(cases)('%s', (_name, steps, expected) => {
    expect(run(steps)).toEqual(expected);
  });

  it('nextDueAt names the earliest untold episode, then nothing', () => {
    let now = 0;
    const watch = new DegradedWatch(() => now);
    expect(watch.nextDueAt()).toBeUndefined();
    watch.observe('a', 'offline');
    now = 2 * MIN;
    watch.observe('b', 'auth_failed');
    expect(watch.nextDueAt()).toBe(DEGRADED_AFTER_MS);
    now = DEGRADED_AFTER_MS;
    expect(watch.due().map((n) => n.source)).toEqual(['a']);
    expect(watch.nextDueAt()).toBe(2 * MIN + DEGRADED_AFTER_MS);
    now = 2 * MIN + DEGRADED_AFTER_MS;
    expect(watch.due().map((n) => n.source)).toEqual(['b']);
    expect(watch.nextDueAt()).toBeUndefined();
  });
});
