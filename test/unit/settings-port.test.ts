import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';
import {
  defaultPrefs,
  JsonFileSettings,
  MemorySettings,
  normalizePrefs,
  SETTINGS_FILE,
  startsInDemo,
} from '../../src-main/shared/settings-port.js';
import { alertLine } from '../support/fake-engine.js';

const sources = parseConfig({
  sources: [{ id: 'op', provider: 'orangepill', url: 'wss://o/', realmKey: 'rk' }],
}).config.sources;

describe('JsonFileSettings', () => {
  it('round-trips prefs, sources, held alerts and the demo choice; file is private', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ob-settings-'));
    const a = new JsonFileSettings(dir);
    expect(a.getPrefs()).toEqual(defaultPrefs());
    expect(a.getSources()).toBeUndefined();
    void a.setPrefs({ ...defaultPrefs(), sound: false, mutedSources: ['op'] });
    void a.setSources(sources);
    void a.setHeldAlerts([alertLine('op', 'T1')]);
    await a.setDemo(false);
    const b = new JsonFileSettings(dir);
    expect(b.getPrefs()).toMatchObject({ sound: false, mutedSources: ['op'] });
    expect(b.getSources()).toEqual(sources);
    expect(b.getHeldAlerts().map((x) => x.orderId)).toEqual(['T1']);
    expect(b.getDemo()).toBe(false);
    expect(statSync(join(dir, SETTINGS_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });

  it('a damaged file is kept aside and reported, defaults are used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ob-settings-'));
    writeFileSync(join(dir, SETTINGS_FILE), '{not json');
    const s = new JsonFileSettings(dir);
    expect(s.problem).toMatch(/damaged/);
    expect(s.getPrefs()).toEqual(defaultPrefs());
    const aside = readdirSync(dir).find((f) => f.includes('.corrupt-'));
    expect(aside && readFileSync(join(dir, aside), 'utf8')).toBe('{not json');
  });
});

describe('normalizePrefs', () => {
  it.each([
    ['not an object', 42, defaultPrefs()],
    [
      'unknown statuses dropped',
      { statuses: ['failed', 'pending'] },
      { ...defaultPrefs(), statuses: ['failed'] },
    ],
    ['ill-typed sound ignored', { sound: 'yes' }, defaultPrefs()],
    ['pause kept', { pausedUntil: 5 }, { ...defaultPrefs(), pausedUntil: 5 }],
  ])('%s', (_name, raw, expected) => {
    expect(normalizePrefs(raw)).toEqual(expected);
  });
});

describe('startsInDemo', () => {
  it.each([
    ['first run, no sources', {}, true],
    ['has sources', { sources }, false],
    ['chose demo with sources', { sources, demo: true }, true],
    ['left demo, no sources yet', { demo: false }, false],
  ] as const)('%s → %s', (_name, init, expected) => {
    expect(startsInDemo(new MemorySettings(init))).toBe(expected);
  });
});
