// The tray kept in step: coalesced redraws, the redraw when a pause runs out, unread failures until
// the window is looked at, and the facts read from the engine and the host. Fake timers and an
// injected clock: nothing here depends on the wall clock or the time zone.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SourceConfig } from '../../src-main/engine/config.js';
import type { EngineEvent } from '../../src-main/engine/types.js';
import {
  readTrayFacts,
  TRAY_REFRESH_MS,
  TrayFeed,
  type TrayFacts,
} from '../../src-main/app/tray-feed.js';
import type { TrayInput } from '../../src-main/app/tray-picture.js';
import { PAUSED_UNTIL_RESUMED } from '../../src-main/shared/bridge.js';
import { alertLine, FakeEngine } from '../support/fake-engine.js';
import { SOURCES } from '../support/host-harness.js';

const NOW = Date.UTC(2025, 0, 15, 10, 0);
const HOUR = 3_600_000;

let clock = NOW;
beforeEach(() => {
  clock = NOW;
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

function feed(facts: Partial<TrayFacts> = {}, focused = false) {
  const drawn: TrayInput[] = [];
  const f = new TrayFeed({
    draw: (input) => drawn.push(input),
    facts: () => ({
      sources: [],
      activeOrders: 0,
      unverifiedOrders: 0,
      pausedUntil: null,
      demo: false,
      ...facts,
    }),
    windowFocused: () => focused,
    now: () => clock,
  });
  return { f, drawn };
}

const connection: EngineEvent = {
  kind: 'connection',
  source: 'nx',
  provider: 'nexchange',
  state: 'connected',
  at: '',
};
const activity: EngineEvent = {
  kind: 'activity',
  source: 'op',
  provider: 'orangepill',
  event: 'kyc.approved',
  at: '',
};

describe('TrayFeed', () => {
  it('coalesces a burst of refreshes into one redraw after TRAY_REFRESH_MS', () => {
    const { f, drawn } = feed();
    for (let i = 0; i < 1000; i += 1) f.refresh();
    vi.advanceTimersByTime(TRAY_REFRESH_MS - 1);
    expect(drawn).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(drawn).toHaveLength(1);
    expect(drawn[0]?.now).toBe(NOW);
  });

  // [event, window focused, redraws expected, unread failures expected]
  const events: [string, EngineEvent, boolean, number, number][] = [
    ['a connection change', connection, false, 1, 0],
    ['a completed order alert', alertLine('nx', 'N1', 'completed'), false, 1, 0],
    ['a failure while the window is hidden', alertLine('nx', 'N1', 'failed'), false, 1, 1],
    ['a failure seen in the focused window', alertLine('nx', 'N1', 'failed'), true, 1, 0],
    ['activity', activity, false, 0, 0],
  ];
  it.each(events)('%s', (_name, event, focused, redraws, unread) => {
    const { f, drawn } = feed({}, focused);
    f.follow(event);
    vi.advanceTimersByTime(TRAY_REFRESH_MS);
    expect(drawn).toHaveLength(redraws);
    expect(f.unreadFailures).toBe(unread);
    if (redraws > 0) expect(drawn[0]?.unreadFailures).toBe(unread);
  });

  it('looking at the window clears unread failures and redraws (only when there were some)', () => {
    const { f, drawn } = feed();
    f.windowSeen();
    vi.advanceTimersByTime(TRAY_REFRESH_MS);
    expect(drawn).toHaveLength(0);
    f.follow(alertLine('nx', 'N1', 'failed'));
    f.follow(alertLine('nx', 'N2', 'failed'));
    vi.advanceTimersByTime(TRAY_REFRESH_MS);
    expect(drawn.at(-1)?.unreadFailures).toBe(2);
    f.windowSeen();
    vi.advanceTimersByTime(TRAY_REFRESH_MS);
    expect(drawn).toHaveLength(2);
    expect(drawn.at(-1)?.unreadFailures).toBe(0);
  });

  // [pause, whether a redraw follows when it runs out]
  const pauses: [string, number | null, boolean][] = [
    ['not paused', null, false],
    ['paused for an hour', NOW + HOUR, true],
    ['paused until tomorrow morning', NOW + 22 * HOUR, true],
    ['paused for more than a day', NOW + 25 * HOUR, false],
    ['paused until resumed', PAUSED_UNTIL_RESUMED, false],
    ['a pause already over', NOW - 1, false],
  ];
  it.each(pauses)('%s: redraw when the pause runs out = %s', (_name, pausedUntil, redraw) => {
    const { f, drawn } = feed({ pausedUntil });
    f.draw();
    expect(drawn).toHaveLength(1);
    const end = pausedUntil === null ? 0 : pausedUntil - NOW;
    clock = NOW + Math.max(0, Math.min(end, 30 * HOUR)) + 50;
    vi.advanceTimersByTime(Math.max(0, Math.min(end, 30 * HOUR)) + 50 + TRAY_REFRESH_MS);
    expect(drawn).toHaveLength(redraw ? 2 : 1);
    if (redraw) expect(drawn[1]?.now).toBeGreaterThan(pausedUntil!);
  });

  it('dispose cancels a pending redraw and the pause timer', () => {
    const { f, drawn } = feed({ pausedUntil: NOW + HOUR });
    f.draw();
    f.refresh();
    f.dispose();
    vi.advanceTimersByTime(2 * HOUR);
    expect(drawn).toHaveLength(1);
  });
});

describe('readTrayFacts', () => {
  it('configured sources, orders in flight of those sources, the pause and the demo flag', () => {
    const engine = new FakeEngine(SOURCES as SourceConfig[]);
    engine.order('nx', 'A', 'processing', '12');
    engine.order('nx', 'B', 'completed', '16');
    engine.order('op', 'C', 'pending', 'p');
    engine.setStatus('nx', { state: 'connected' });
    void engine.removeSource('op');
    const facts = readTrayFacts({
      engine,
      host: { currentPrefs: { pausedUntil: 7 } as never, isDemo: true },
    });
    expect(facts.sources.map((s) => [s.id, s.state])).toEqual([
      ['nx', 'connected'],
      ['hd', 'connecting'],
    ]);
    expect(facts.activeOrders).toBe(1);
    expect(facts).toMatchObject({ pausedUntil: 7, demo: true });
  });

  it('counts the orders of configured sources marked unverified after a gap, finished or not', () => {
    const engine = new FakeEngine(SOURCES as SourceConfig[]);
    const since = '2025-01-15T09:00:00.000Z';
    engine.order('nx', 'A', 'processing', '12');
    engine.order('nx', 'B', 'completed', '16');
    engine.order('nx', 'C', 'pending', '11');
    engine.order('op', 'D', 'pending', 'p');
    engine.markUnverified('nx', 'A', since, 'no_catch_up');
    engine.markUnverified('nx', 'B', since, 'lookup_failed');
    engine.markUnverified('op', 'D', since, 'no_catch_up');
    void engine.removeSource('op'); // its orders no longer count
    const host = { currentPrefs: { pausedUntil: null } as never, isDemo: false };
    expect(readTrayFacts({ engine, host }).unverifiedOrders).toBe(2);
    engine.verified('nx', 'A');
    expect(readTrayFacts({ engine, host }).unverifiedOrders).toBe(1);
  });
});
