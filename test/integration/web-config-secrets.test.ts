// Web mode with --config: the config file stays the source of truth for its sources' secrets.
// Editing sources in the window (edit, add, remove) never writes a secret, or the config's
// sources at all, to settings.json; prefs are still stored; the window is told once that such
// edits last for this run only. Real engine, real web mode, a real settings.json.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configEditProblem } from '../../src-main/cli/config-sources.js';
import { startWebMode, type WebMode } from '../../src-main/cli/web-mode.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { JsonFileSettings, SETTINGS_FILE } from '../../src-main/shared/settings-port.js';
import { watch, type Watching } from './harness.js';

const SECRETS = ['old-secret', 'realm-key-in-file', 'typed-realm-key', 'typed-jwt'];

let web: WebMode | undefined;
let w: Watching | undefined;
afterEach(async () => {
  await web?.close();
  await w?.stop();
  web = undefined;
  w = undefined;
});

describe('web mode with --config', () => {
  it('window edits of sources write no secret (and no source) to settings.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderbell-cfg-'));
    const sources = [
      {
        id: 'hd',
        provider: 'houdini',
        url: 'ws://127.0.0.1:1/',
        partnerId: 'p1',
        secret: 'old-secret',
      },
      { id: 'op', provider: 'orangepill', url: 'ws://127.0.0.1:1/', realmKey: 'realm-key-in-file' },
    ];
    w = await watch(sources);
    web = await startWebMode({
      engine: w.engine,
      log: silentLogger(),
      settings: new JsonFileSettings(dir),
      demo: undefined,
      root: dir,
      configFile: { path: 'orderbell.json', sources: w.engine.sourceConfigs() },
    });
    const { host } = web;
    const ok = { ok: true };
    // Same destination, secret kept; a new source with secrets typed; a removal; a prefs change.
    expect(
      await host.invoke('saveSource', {
        replaces: 'hd',
        id: 'hd',
        provider: 'houdini',
        label: 'Main',
        fields: { secret: '' },
      }),
    ).toEqual(ok);
    expect(
      await host.invoke('saveSource', {
        id: 'sx',
        provider: 'satoriex',
        fields: { url: 'ws://127.0.0.1:1/', token: 'typed-jwt' },
      }),
    ).toEqual(ok);
    expect(
      await host.invoke('saveSource', {
        replaces: 'op',
        id: 'op',
        provider: 'orangepill',
        fields: { url: 'ws://127.0.0.1:1/x', realmKey: 'typed-realm-key' },
      }),
    ).toEqual(ok);
    expect(await host.invoke('removeSource', { id: 'sx' })).toEqual(ok);
    expect(await host.invoke('setPrefs', { sound: false })).toEqual(ok);
    // The engine runs the edits for this run.
    expect(w.engine.sourceConfigs().find((c) => c.id === 'hd')).toMatchObject({
      label: 'Main',
      secret: 'old-secret',
    });
    const snap = await host.invoke('snapshot', undefined);
    await web.close();
    web = undefined;

    const text = readFileSync(join(dir, SETTINGS_FILE), 'utf8');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(doc).not.toHaveProperty('sources');
    expect(doc).toMatchObject({ prefs: { sound: false } });
    expect(snap.problems.filter((p) => p === configEditProblem('orderbell.json'))).toHaveLength(1);
  });
});
