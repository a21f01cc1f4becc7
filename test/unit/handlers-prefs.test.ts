// The prefs commands, called as registered handlers: change prefs (each validated), forget held
// alerts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandResult } from '../../src-main/shared/bridge.js';
import { parts } from '../support/host-harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('prefs handlers', () => {
  const prefCases: [string, unknown, Partial<CommandResult> & { field?: string }][] = [
    ['statuses', { statuses: ['failed'] }, { ok: true }],
    ['unknown status', { statuses: ['processing'] }, { field: 'statuses' }],
    ['sound', { sound: false }, { ok: true }],
    ['sound not boolean', { sound: 'no' }, { field: 'sound' }],
    ['pause', { pausedUntil: 1_000 }, { ok: true }],
    ['resume', { pausedUntil: null }, { ok: true }],
    ['pause not a number', { pausedUntil: 'later' }, { field: 'pausedUntil' }],
    ['mute', { mutedSources: ['nx'] }, { ok: true }],
    ['mute not a list', { mutedSources: 'nx' }, { field: 'mutedSources' }],
    ['unknown key', { volume: 3 }, { field: 'volume' }],
    ['mute for a while', { mutedUntil: { nx: 1_000 } }, { ok: true }],
    ['mute until not a time', { mutedUntil: { nx: 'soon' } }, { field: 'mutedUntil' }],
    ['mute until not a map', { mutedUntil: ['nx'] }, { field: 'mutedUntil' }],
    ['outcome sounds', { outcomeSounds: { completed: true } }, { ok: true }],
    ['outcome sound not boolean', { outcomeSounds: { failed: 'yes' } }, { field: 'outcomeSounds' }],
    ['unknown outcome', { outcomeSounds: { pending: true } }, { field: 'outcomeSounds' }],
  ];
  it.each(prefCases)('setPrefs: %s', async (_name, req, expected) => {
    const { handlers } = parts();
    expect(await handlers.setPrefs(req)).toMatchObject(expected);
  });

  // [request, the prefs fields after it]
  const applied: [unknown, Record<string, unknown>][] = [
    [{ statuses: ['failed', 'completed'] }, { statuses: ['completed', 'failed'] }],
    [{ mutedSources: ['nx', 'nx', 'hd'] }, { mutedSources: ['nx', 'hd'] }],
    [{ activityAlerts: ['kyc.approved'] }, { activityAlerts: ['kyc.approved'] }],
    [
      { pausedUntil: 5, sound: false },
      { pausedUntil: 5, sound: false },
    ],
    [{ mutedUntil: { nx: 9_000 } }, { mutedUntil: { nx: 9_000 } }],
    [{ outcomeSounds: { completed: true } }, { outcomeSounds: { completed: true, failed: true } }],
  ];
  it.each(applied)('setPrefs %j is in force, saved and sent', async (req, expected) => {
    const p = parts();
    expect(await p.handlers.setPrefs(req)).toEqual({ ok: true });
    expect(p.ctx.alerts.prefs).toMatchObject(expected);
    expect(p.settings.getPrefs()).toMatchObject(expected);
    expect(p.changes()).toEqual([{ type: 'prefs', prefs: p.ctx.alerts.prefs }]);
  });

  it('one bad field refuses the whole request (nothing applied)', async () => {
    const p = parts();
    const before = p.ctx.alerts.prefs;
    expect(await p.handlers.setPrefs({ sound: false, volume: 3 })).toMatchObject({ ok: false });
    expect(await p.handlers.setPrefs('loud')).toMatchObject({ ok: false });
    expect(p.ctx.alerts.prefs).toEqual(before);
    expect(p.changes()).toEqual([]);
  });

  it('dismissHeld empties the held list, on disk and in the windows', async () => {
    const p = parts({ prefs: { mutedSources: ['nx'] } });
    p.engine.emit({
      kind: 'alert',
      source: 'nx',
      provider: 'nexchange',
      orderId: 'N1',
      status: 'completed',
      title: 't',
      body: 'b',
      at: '',
    });
    expect(p.settings.getHeldAlerts()).toHaveLength(1);
    expect(await p.handlers.dismissHeld(undefined)).toEqual({ ok: true });
    expect(p.ctx.alerts.heldAlerts).toEqual([]);
    expect(p.settings.getHeldAlerts()).toEqual([]);
    expect(p.changes().at(-1)).toEqual({ type: 'held', heldAlerts: [] });
  });
});
