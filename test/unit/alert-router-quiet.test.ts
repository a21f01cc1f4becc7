// Quiet hours for OS notifications (AlertRouter): alerts not in `except` are recorded and shown in
// the window at once, their notification waits for one summary at the local end of quiet hours.
// An injected clock and explicit time zones: the same results at any hour, in any zone, across
// midnight and across daylight-saving changes.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src-main/engine/log.js';
import type { AlertNotice } from '../../src-main/shared/alert-policy.js';
import type { BridgeChange } from '../../src-main/shared/bridge.js';
import { BridgeHost } from '../../src-main/shared/bridge-host.js';
import { AlertRouter } from '../../src-main/shared/host/alert-router.js';
import type { QuietHours } from '../../src-main/shared/notify.js';
import { MemorySettings } from '../../src-main/shared/settings-port.js';
import type { NormalizedStatus } from '../../src-main/shared/statuses.js';
import { alertLine, FakeEngine } from '../support/fake-engine.js';
import { platform, SOURCES } from '../support/host-harness.js';

/** A clock and timers that move only when told to. */
function fakeTime(startIso: string) {
  let now = Date.parse(startIso);
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      seq += 1;
      timers.set(seq, { at: now + ms, fn });
      return seq;
    },
    clearTimer: (h: unknown) => void timers.delete(h as number),
    /** Move the clock without running timers (a machine that slept). */
    jumpTo(iso: string) {
      now = Date.parse(iso);
    },
    /** Move to `iso`, running every timer due on the way, in time order. */
    advanceTo(iso: string) {
      const to = Date.parse(iso);
      for (let guard = 0; guard < 1_000; guard += 1) {
        const due = [...timers].filter(([, t]) => t.at <= to).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = to;
    },
  };
}

function router(quiet: QuietHours, timeZone: string, startIso: string) {
  const time = fakeTime(startIso);
  const settings = new MemorySettings({ notify: { targets: [], quietHours: quiet } });
  const notices: AlertNotice[] = [];
  const r = new AlertRouter({
    settings,
    enqueue: () => undefined,
    watchSave: () => undefined,
    log: silentLogger(),
    now: time.now,
    timeZone,
    setTimer: time.setTimer,
    clearTimer: time.clearTimer,
    coalescer: { now: time.now, setTimer: time.setTimer, clearTimer: time.clearTimer },
  });
  r.onNotice((n) => notices.push(n));
  const alert = (orderId: string, status: NormalizedStatus = 'completed') =>
    r.route(alertLine('nx', orderId, status));
  return { r, time, notices, alert };
}

/**
 * [name, zone, quiet hours, alert instant (UTC), a moment just before the end (UTC), the end (UTC)]:
 * the alert waits past `before` and its notice comes at `end`.
 */
const WAITS: [string, string, QuietHours, string, string, string][] = [
  [
    'London winter, across midnight',
    'Europe/London',
    { from: '22:00', to: '07:00' },
    '2025-01-15T23:30:00Z',
    '2025-01-16T06:59:59Z',
    '2025-01-16T07:00:00Z',
  ],
  [
    'London summer (BST): local 07:00 is 06:00 UTC',
    'Europe/London',
    { from: '22:00', to: '07:00' },
    '2025-07-15T23:30:00Z',
    '2025-07-16T05:59:59Z',
    '2025-07-16T06:00:00Z',
  ],
  [
    'New York, spring forward: 02:30 does not exist, ends at 03:00 EDT',
    'America/New_York',
    { from: '01:00', to: '02:30' },
    '2025-03-09T06:30:00Z', // 01:30 EST
    '2025-03-09T06:59:59Z',
    '2025-03-09T07:00:00Z', // 03:00 EDT
  ],
  [
    'New York, fall back: 01:30 happens twice, ends at the first',
    'America/New_York',
    { from: '23:00', to: '01:30' },
    '2025-11-02T04:15:00Z', // 00:15 EDT
    '2025-11-02T05:29:59Z',
    '2025-11-02T05:30:00Z', // the first 01:30 (EDT)
  ],
  [
    'Lord Howe, 30-minute spring shift: 02:15 does not exist, ends at 02:30',
    'Australia/Lord_Howe',
    { from: '23:00', to: '02:15' },
    '2025-10-04T13:30:00Z', // 00:00 local (+10:30)
    '2025-10-04T15:29:59Z',
    '2025-10-04T15:30:00Z', // 02:00 +10:30 jumps to 02:30 +11
  ],
];

describe('quiet hours: an alert waits for the local end', () => {
  it.each(WAITS)('%s', (_name, zone, quiet, alertAt, before, end) => {
    const { time, notices, alert } = router(quiet, zone, alertAt);
    alert('Q1');
    time.advanceTo(before);
    expect(notices).toEqual([]);
    time.advanceTo(end);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.alerts.map((a) => a.orderId)).toEqual(['Q1']);
    expect(notices[0]?.focus).toEqual({ source: 'nx', orderId: 'Q1' });
  });
});

describe('quiet hours: what waits and what does not', () => {
  const Q: QuietHours = { from: '22:00', to: '07:00', except: ['failed'] };
  const ZONE = 'Europe/London';

  it('outside quiet hours: notified at once (after the burst gap)', () => {
    const { time, notices, alert } = router(Q, ZONE, '2025-01-15T12:00:00Z');
    alert('D1');
    time.advanceTo('2025-01-15T12:00:01Z');
    expect(notices.map((n) => n.alerts[0]?.orderId)).toEqual(['D1']);
  });

  it('a status in `except` is notified at once even in quiet hours', () => {
    const { time, notices, alert } = router(Q, ZONE, '2025-01-15T23:00:00Z');
    alert('F1', 'failed');
    alert('R1', 'refunded');
    time.advanceTo('2025-01-15T23:00:01Z');
    expect(notices.map((n) => n.alerts[0]?.orderId)).toEqual(['F1']);
    expect(notices[0]?.sound).toBe(true);
  });

  it('several alerts (and an activity notice) become one summary at the end', () => {
    const { r, time, notices, alert } = router(Q, ZONE, '2025-01-15T22:10:00Z');
    r.usePrefs({ ...r.prefs, activityAlerts: ['kyc.approved'] });
    alert('A1');
    time.advanceTo('2025-01-16T01:00:00Z');
    alert('A2', 'refunded');
    r.route({
      kind: 'activity',
      source: 'op',
      provider: 'orangepill',
      event: 'kyc.approved',
      at: '',
    });
    alert('A3', 'expired');
    expect(r.waitingForQuietEnd).toBe(4);
    time.advanceTo('2025-01-16T07:00:00Z');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.title).toBe('While quiet: 3 orders finished');
    expect(notices[0]?.body).toContain('1 completed, 1 refunded, 1 expired');
    expect(notices[0]?.body).toContain('Orangepill: kyc.approved');
    expect(notices[0]?.sound).toBe(true); // failed-like among them
    expect(r.waitingForQuietEnd).toBe(0);
    // the next night starts afresh
    time.advanceTo('2025-01-16T23:00:00Z');
    alert('B1');
    time.advanceTo('2025-01-17T07:00:00Z');
    expect(notices).toHaveLength(2);
    expect(notices[1]?.alerts.map((a) => a.orderId)).toEqual(['B1']);
  });

  it('quiet hours removed (or moved) while alerts wait: shown now', () => {
    const { r, time, notices, alert } = router(Q, ZONE, '2025-01-15T23:00:00Z');
    alert('M1');
    r.useQuietHours({ from: '22:00', to: '23:30' });
    time.advanceTo('2025-01-15T23:29:00Z');
    expect(notices).toEqual([]);
    time.advanceTo('2025-01-15T23:30:00Z');
    expect(notices).toHaveLength(1);
    alert('M2'); // not quiet any more: at once
    r.useQuietHours({ from: '23:00', to: '06:00' });
    time.advanceTo('2025-01-15T23:45:00Z');
    alert('M3');
    r.useQuietHours(undefined);
    expect(notices.map((n) => n.alerts[0]?.orderId)).toEqual(['M1', 'M2', 'M3']);
  });

  it('a timer that fires late (sleep): the summary comes with the next event', () => {
    const { time, notices, alert } = router(Q, ZONE, '2025-01-15T23:00:00Z');
    alert('S1');
    time.jumpTo('2025-01-16T09:00:00Z'); // the end passed while asleep; the timer has not run
    expect(notices).toEqual([]);
    alert('S2');
    expect(notices.map((n) => n.alerts.map((a) => a.orderId))).toEqual([['S1']]);
    time.advanceTo('2025-01-16T09:00:01Z');
    expect(notices.map((n) => n.alerts.map((a) => a.orderId))).toEqual([['S1'], ['S2']]);
  });
});

describe('quiet hours through the host: the window sees the alert at once', () => {
  it('the alert event is streamed at once; only the OS notice waits', async () => {
    const time = fakeTime('2025-01-15T23:00:00Z');
    const engine = new FakeEngine(SOURCES);
    const settings = new MemorySettings({
      notify: { targets: [], quietHours: { from: '22:00', to: '07:00' } },
    });
    const host = new BridgeHost({
      engine,
      settings,
      platform,
      demo: false,
      log: silentLogger(),
      now: time.now,
      flushIntervalMs: 1,
    });
    const notices: AlertNotice[] = [];
    host.onAlert((n) => notices.push(n));
    const changes: BridgeChange[] = [];
    const client = { send: (b: { changes: BridgeChange[] }) => changes.push(...b.changes) };
    host.attach(client);
    const snap = await host.invoke('snapshot', undefined, client);
    expect(snap.notify?.quietHours).toEqual({ from: '22:00', to: '07:00' });
    engine.emit(alertLine('nx', 'W1'));
    host.flush();
    expect(changes).toContainEqual({
      type: 'event',
      event: expect.objectContaining({ orderId: 'W1' }),
    });
    expect(notices).toEqual([]);
    host.dispose();
  });
});
