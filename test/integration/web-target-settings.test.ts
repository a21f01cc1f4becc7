// Web mode (`--ui`) and forwarding targets: the targets saved in the state folder reach the engine;
// with `--config FILE` that has targets, window edits of them stay in memory (the file is their
// source of truth, and settings.json would hold their secrets in clear).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebMode, type WebMode } from '../../src-main/cli/web-mode.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { JsonFileSettings, SETTINGS_FILE } from '../../src-main/shared/settings-port.js';
import { watch, type Watching } from './harness.js';

let web: WebMode | undefined;
let w: Watching | undefined;
afterEach(async () => {
  await web?.close();
  await w?.stop();
  web = undefined;
  w = undefined;
});

const ids = (w: Watching) => w.engine.deliveryStats().map((s) => s.target);

describe('web mode: notify targets', () => {
  it('targets saved from the window reach the engine, now and at the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderbell-web-targets-'));
    w = await watch([]);
    web = await startWebMode({
      engine: w.engine,
      log: silentLogger(),
      settings: new JsonFileSettings(dir),
      demo: undefined,
      root: dir,
    });
    expect(ids(w)).toEqual([]);
    expect(
      await web.host.invoke('saveTarget', {
        id: 'hook',
        type: 'webhook',
        fields: { url: 'http://127.0.0.1:9/hook', secret: 'web-secret' },
      }),
    ).toEqual({ ok: true });
    await web.close();
    expect(ids(w)).toEqual(['hook']);
    await w.stop();

    // the next run: a new engine, the same state folder
    w = await watch([]);
    web = await startWebMode({
      engine: w.engine,
      log: silentLogger(),
      settings: new JsonFileSettings(dir),
      demo: undefined,
      root: dir,
    });
    expect(ids(w)).toEqual(['hook']);
  });

  it('with --config that has targets: window edits are not written to settings.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderbell-web-targets-'));
    w = await watch([]);
    web = await startWebMode({
      engine: w.engine,
      log: silentLogger(),
      settings: new JsonFileSettings(dir),
      demo: undefined,
      root: dir,
      configFile: {
        path: 'orderbell.json',
        sources: [],
        notify: {
          targets: [{ id: 'file', type: 'ntfy', url: 'http://127.0.0.1:9/t', token: 'file-token' }],
        },
      },
    });
    expect(ids(w)).toEqual(['file']);
    expect(
      await web.host.invoke('saveTarget', {
        id: 'typed',
        type: 'webhook',
        fields: { url: 'http://127.0.0.1:9/h', secret: 'typed-secret' },
      }),
    ).toEqual({ ok: true });
    expect(ids(w).sort()).toEqual(['file', 'typed']);
    await web.host.invoke('setPrefs', { sound: false }); // something is written
    await web.close();
    web = undefined;
    const onDisk = readFileSync(join(dir, SETTINGS_FILE), 'utf8');
    expect(onDisk).not.toContain('typed-secret');
    expect(onDisk).not.toContain('file-token');
    expect(onDisk).not.toContain('"notify"');
  });
});
