// Alert routing: which engine alerts become notices (prefs), bursts coalesced, alerts held back
// while paused or muted, activity only when turned on.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src-main/engine/log.js';
import type { AlertNotice } from '../../src-main/shared/alert-policy.js';
import type { BridgeChange, NotificationPrefs } from '../../src-main/shared/bridge.js';
import { AlertRouter } from '../../src-main/shared/host/alert-router.js';
import { HELD_LIMIT, MemorySettings } from '../../src-main/shared/settings-port.js';
import { alertLine } from '../support/fake-engine.js';
import { changes, setup } from '../support/host-harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('BridgeHost alert policy', () => {
  const NOW = Date.parse('2025-06-01T12:00:00Z');
  const cases: [string, Partial<NotificationPrefs>, 'notify' | 'hold' | 'drop'][] = [
    ['default prefs', {}, 'notify'],
    ['status not chosen', { statuses: ['failed'] }, 'drop'],
    ['paused', { pausedUntil: NOW + 60_000 }, 'hold'],
    ['pause over', { pausedUntil: NOW - 1 }, 'notify'],
    ['source muted', { mutedSources: ['nx'] }, 'hold'],
    ['other source muted', { mutedSources: ['hd'] }, 'notify'],
  ];
  it.each(cases)('%s → %s', async (_name, prefs, expected) => {
    vi.setSystemTime(NOW);
    const { engine, host, notices } = setup({ prefs });
    engine.emit(alertLine('nx', 'N1'));
    vi.advanceTimersByTime(3_000);
    expect(notices.length).toBe(expected === 'notify' ? 1 : 0);
    expect(host.heldAlerts.length).toBe(expected === 'hold' ? 1 : 0);
    if (expected === 'notify') expect(notices[0]?.focus).toEqual({ source: 'nx', orderId: 'N1' });
  });

  it('coalesces a burst of five alerts into one summary notice', () => {
    const { engine, notices } = setup();
    for (let i = 1; i <= 5; i += 1)
      engine.emit(alertLine('nx', `B${i}`, i === 5 ? 'failed' : 'completed'));
    vi.advanceTimersByTime(3_000);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.title).toBe('5 orders finished');
    expect(notices[0]?.alerts).toHaveLength(5);
    expect(notices[0]?.focus).toBeUndefined();
  });

  it('held alerts reach the window and can be dismissed', async () => {
    const { engine, host, client, batches, settings } = setup({ prefs: { mutedSources: ['nx'] } });
    host.attach(client);
    await host.invoke('snapshot', undefined, client);
    engine.emit(alertLine('nx', 'N1'));
    vi.advanceTimersByTime(60);
    expect(changes(batches).some((c) => c.type === 'held' && c.heldAlerts.length === 1)).toBe(true);
    expect(settings.getHeldAlerts()).toHaveLength(1);
    await host.invoke('dismissHeld', undefined);
    expect(host.heldAlerts).toEqual([]);
    expect((await host.invoke('snapshot', undefined)).heldAlerts).toEqual([]);
  });

  it('activity alerts only for event types the user turned on', () => {
    const { engine, notices } = setup({ prefs: { activityAlerts: ['kyc.approved'] } });
    const line = (event: string) =>
      ({ kind: 'activity', source: 'op', provider: 'orangepill', event, at: '' }) as const;
    engine.emit(line('wallet.updated'));
    engine.emit(line('kyc.approved'));
    expect(notices.map((n) => n.title)).toEqual(['Orangepill: kyc.approved']);
  });
});

describe('AlertRouter', () => {
  const NOW = 1_750_000_000_000;
  function router(prefs: Partial<NotificationPrefs> = {}) {
    const settings = new MemorySettings({ prefs });
    const sent: BridgeChange[] = [];
    const notices: AlertNotice[] = [];
    const saves: unknown[] = [];
    const r = new AlertRouter({
      settings,
      enqueue: (c) => sent.push(c),
      watchSave: (result) => saves.push(result),
      log: silentLogger(),
      now: () => NOW,
      coalescer: { now: () => NOW },
    });
    r.onNotice((n) => notices.push(n));
    return { r, settings, sent, notices, saves };
  }

  it('decides with the injected clock, not the wall clock', () => {
    vi.setSystemTime(NOW + 10 * 3_600_000);
    const { r, notices } = router({ pausedUntil: NOW + 60_000 });
    r.route(alertLine('nx', 'N1'));
    vi.advanceTimersByTime(3_000);
    expect(notices).toEqual([]);
    expect(r.heldAlerts).toHaveLength(1);
  });

  it('new prefs apply to the next alert', () => {
    const { r, notices } = router();
    r.usePrefs({ ...r.prefs, mutedSources: ['nx'] });
    r.route(alertLine('nx', 'N1'));
    vi.advanceTimersByTime(3_000);
    expect(notices).toEqual([]);
    expect(r.heldAlerts.map((a) => a.orderId)).toEqual(['N1']);
  });

  it('keeps at most HELD_LIMIT held alerts, oldest dropped, each hold saved and sent', () => {
    const { r, sent, saves } = router({ mutedSources: ['nx'] });
    for (let i = 0; i <= HELD_LIMIT; i += 1) r.route(alertLine('nx', `H${i}`));
    expect(r.heldAlerts).toHaveLength(HELD_LIMIT);
    expect(r.heldAlerts[0]?.orderId).toBe('H1');
    expect(saves).toHaveLength(HELD_LIMIT + 1);
    expect(sent.at(-1)).toMatchObject({ type: 'held', heldAlerts: { length: HELD_LIMIT } });
  });

  it('prefs and held alerts are copies: changing them changes nothing inside', () => {
    const { r } = router({ mutedSources: ['nx'] });
    r.route(alertLine('nx', 'N1'));
    r.prefs.mutedSources.push('hd');
    r.heldAlerts.pop();
    expect(r.prefs.mutedSources).toEqual(['nx']);
    expect(r.heldAlerts).toHaveLength(1);
  });

  it('other engine events never notify', () => {
    const { r, notices, sent } = router();
    r.route({ kind: 'connection', source: 'nx', provider: 'nexchange', state: 'offline', at: '' });
    vi.advanceTimersByTime(3_000);
    expect(notices).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('a listener that throws does not stop the others; dispose shows a pending burst', () => {
    const { r, notices } = router();
    r.onNotice(() => {
      throw new Error('boom');
    });
    r.route(alertLine('nx', 'N1'));
    r.dispose();
    expect(notices.map((n) => n.alerts[0]?.orderId)).toEqual(['N1']);
    vi.advanceTimersByTime(3_000);
    expect(notices).toHaveLength(1);
  });
});

describe('sound per outcome and "monitoring degraded", through the host', () => {
  const offline = (source: string, state: 'offline' | 'auth_failed' | 'connected' = 'offline') =>
    ({ kind: 'connection', source, provider: 'nexchange', state, at: '' }) as const;

  it('default prefs: a failure rings, a completion is silent; the settings change that', async () => {
    const { engine, host, notices } = setup();
    engine.emit(alertLine('nx', 'C1', 'completed'));
    vi.advanceTimersByTime(3_000);
    engine.emit(alertLine('nx', 'F1', 'refunded'));
    vi.advanceTimersByTime(3_000);
    expect(notices.map((n) => [n.alerts[0]?.orderId, n.sound])).toEqual([
      ['C1', false],
      ['F1', true],
    ]);
    await host.invoke('setPrefs', { outcomeSounds: { completed: true, failed: false } });
    engine.emit(alertLine('nx', 'C2', 'completed'));
    vi.advanceTimersByTime(3_000);
    engine.emit(alertLine('nx', 'F2', 'failed'));
    vi.advanceTimersByTime(3_000);
    expect(notices.slice(2).map((n) => [n.alerts[0]?.orderId, n.sound])).toEqual([
      ['C2', true],
      ['F2', false],
    ]);
  });

  it('offline 5 minutes: one degraded notice per episode, one on recovery', () => {
    vi.setSystemTime(Date.parse('2025-06-01T12:00:00Z'));
    const { engine, notices } = setup();
    engine.emit(offline('nx'));
    vi.advanceTimersByTime(5 * 60_000 - 1);
    expect(notices).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(notices.map((n) => n.title)).toEqual(['Monitoring degraded: nx']);
    expect(notices[0]?.body).toContain('been offline since');
    expect(notices[0]?.sound).toBe(true); // failed-like: rings by default
    engine.emit(offline('nx')); // still down, retried: no second notice
    vi.advanceTimersByTime(60 * 60_000);
    expect(notices).toHaveLength(1);
    engine.emit(offline('nx', 'connected'));
    expect(notices.map((n) => n.title)).toEqual([
      'Monitoring degraded: nx',
      'Monitoring restored: nx',
    ]);
    // a second episode is told again, with its own key (the notifier's repeat check)
    engine.emit(offline('nx', 'auth_failed'));
    vi.advanceTimersByTime(5 * 60_000);
    expect(notices).toHaveLength(3);
    expect(notices[2]?.body).toContain('refused our credentials');
    expect(notices[2]?.key).not.toBe(notices[0]?.key);
  });

  it('a short outage, a removed source, or a pause: no degraded notice', async () => {
    const { engine, host, notices } = setup();
    engine.emit(offline('nx'));
    vi.advanceTimersByTime(4 * 60_000);
    engine.emit(offline('nx', 'connected'));
    engine.emit(offline('hd'));
    await host.invoke('removeSource', { id: 'hd' });
    vi.advanceTimersByTime(30 * 60_000);
    expect(notices).toEqual([]);
    await host.invoke('setPrefs', { pausedUntil: Date.now() + 3_600_000 });
    engine.emit(offline('op'));
    vi.advanceTimersByTime(30 * 60_000);
    expect(notices).toEqual([]);
  });
});
