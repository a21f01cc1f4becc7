import { describe, expect, it } from 'vitest';
import {
  AUTH_FAILED_LANE,
  RECONNECT_LANE,
  RetryPlanner,
  laneDelay,
  type RetryLane,
  type RetryPlan,
} from '../../src-main/engine/retry.js';

describe('laneDelay', () => {
  it.each([
    // lane, failures, random, delay
    ['reconnect', RECONNECT_LANE, 1, 0, 0],
    ['reconnect', RECONNECT_LANE, 1, 1, 500],
    ['reconnect', RECONNECT_LANE, 3, 0.5, 1_000],
    ['reconnect', RECONNECT_LANE, 50, 1, 30_000],
    ['auth, never sooner than half', AUTH_FAILED_LANE, 1, 0, 30_000],
    ['auth', AUTH_FAILED_LANE, 1, 1, 60_000],
    ['auth, doubling', AUTH_FAILED_LANE, 2, 0, 60_000],
    ['auth, capped', AUTH_FAILED_LANE, 20, 0, 15 * 60_000],
    ['auth, capped', AUTH_FAILED_LANE, 20, 1, 30 * 60_000],
  ] as Array<[string, RetryLane, number, number, number]>)(
    '%s: %i failure(s), random %f → %i ms',
    (_what, lane, failures, random, delay) => {
      expect(laneDelay(lane, failures, () => random)).toBe(delay);
    },
  );

  it('0 failures counts as the first retry', () => {
    expect(laneDelay(RECONNECT_LANE, 0, () => 1)).toBe(500);
  });
});

type Step =
  | { do: 'ready' }
  | { do: 'dropped' }
  | { do: 'auth'; detail: string }
  | { do: 'reset' }
  | { do: 'wait'; ms: number };

/** Runs the steps with random() = 1 (delays at their ceiling) and returns every plan. */
function run(steps: Step[], stableAfterMs = 5_000): RetryPlan[] {
  let now = 0;
  const planner = new RetryPlanner({
    lane: RECONNECT_LANE,
    authLane: AUTH_FAILED_LANE,
    offlineAfterFailures: 4,
    offlineDetail: 'provider unreachable',
    stableAfterMs,
    random: () => 1,
    now: () => now,
  });
  const plans: RetryPlan[] = [];
  for (const step of steps) {
    if (step.do === 'ready') planner.ready();
    else if (step.do === 'dropped') plans.push(planner.dropped());
    else if (step.do === 'auth') plans.push(planner.authFailed(step.detail));
    else if (step.do === 'reset') planner.reset();
    else now += step.ms;
  }
  return plans;
}

const dropped: Step = { do: 'dropped' };
const reconnecting = (delayMs: number): RetryPlan => ({ state: 'reconnecting', delayMs });
const offline = (delayMs: number): RetryPlan => ({
  state: 'offline',
  detail: 'provider unreachable',
  delayMs,
});
const authFailed = (delayMs: number, detail = 'bad key'): RetryPlan => ({
  state: 'auth_failed',
  detail,
  delayMs,
});

describe('RetryPlanner', () => {
  it.each([
    [
      'failed attempts escalate; offline from the 4th',
      [dropped, dropped, dropped, dropped, dropped],
      [reconnecting(500), reconnecting(1_000), reconnecting(2_000), offline(4_000), offline(8_000)],
    ],
    [
      'a session that lived 5 s resets the count',
      [dropped, dropped, { do: 'ready' }, { do: 'wait', ms: 5_000 }, dropped],
      [reconnecting(500), reconnecting(1_000), reconnecting(500)],
    ],
    [
      'a session shorter than 5 s keeps escalating (no tight loop against accept-then-drop)',
      [dropped, { do: 'ready' }, { do: 'wait', ms: 4_999 }, dropped, dropped],
      [reconnecting(500), reconnecting(1_000), reconnecting(2_000)],
    ],
    [
      'bad credentials: the slow lane, doubling',
      [
        { do: 'auth', detail: 'bad key' },
        { do: 'auth', detail: 'bad key' },
      ],
      [authFailed(60_000), authFailed(120_000)],
    ],
    [
      'a network failure after bad credentials stays in the slow lane, with the reason',
      [{ do: 'auth', detail: 'bad key' }, dropped],
      [authFailed(60_000), authFailed(120_000)],
    ],
    [
      'an accepted session leaves the slow lane',
      [{ do: 'auth', detail: 'bad key' }, { do: 'ready' }, { do: 'wait', ms: 5_000 }, dropped],
      [authFailed(60_000), reconnecting(500)],
    ],
    [
      'reset starts afresh and forgets the bad credentials',
      [dropped, dropped, { do: 'auth', detail: 'bad key' }, { do: 'reset' }, dropped],
      [reconnecting(500), reconnecting(1_000), authFailed(240_000), reconnecting(500)],
    ],
  ] as Array<[string, Step[], RetryPlan[]]>)('%s', (_what, steps, plans) => {
    expect(run(steps)).toEqual(plans);
  });

  it('without stableAfterMs, any accepted session resets the count', () => {
    const planner = new RetryPlanner({
      lane: RECONNECT_LANE,
      authLane: AUTH_FAILED_LANE,
      offlineAfterFailures: 1,
      offlineDetail: 'gave up',
      random: () => 1,
    });
    expect(planner.dropped()).toEqual({ state: 'offline', detail: 'gave up', delayMs: 500 });
    expect(planner.failures).toBe(1);
    planner.ready();
    planner.dropped();
    expect(planner.failures).toBe(0);
  });
});
