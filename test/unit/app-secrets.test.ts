// Secrets: sealed with safeStorage at rest, decrypted only in the main process, never in what the
// window receives (snapshot, change batches) and never in the logs; the Linux basic_text backend
// is reported as unprotected; a damaged settings file is kept aside and reported.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';

vi.mock('electron', () => import('../mocks/electron.js'));
vi.mock('electron-store', () => import('../mocks/electron-store.js'));

const electron = await import('../mocks/electron.js');
const { SecretBox, SecretsUnavailableError } = await import('../../src-main/app/secrets.js');
const { DesktopSettings } = await import('../../src-main/app/settings-store.js');
const { startHarness, eventFrom, lastWindow } = await import('../mocks/app-harness.js');
type Harness = import('../mocks/app-harness.js').Harness;
const { COMMAND_CHANNELS } = await import('../../src-main/shared/bridge.js');

const API_KEY = 'oz-api-key-0123456789';
const PARTNER_SECRET = 'houdini-partner-secret-ABCDEF';
const REALM_KEY = 'orangepill-realm-key-XYZ';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl';
const ALL_SECRETS = [API_KEY, PARTNER_SECRET, REALM_KEY, JWT];

const SOURCES = parseConfig({
  sources: [
    { id: 'oz', provider: 'ozzobit', url: 'ws://127.0.0.1:1/ws', apiKey: API_KEY },
    {
      id: 'hd',
      provider: 'houdini',
      url: 'ws://127.0.0.1:2/',
      partnerId: 'partner-1',
      secret: PARTNER_SECRET,
    },
    { id: 'op', provider: 'orangepill', url: 'ws://127.0.0.1:3/', realmKey: REALM_KEY },
    { id: 'sx', provider: 'satoriex', url: 'ws://127.0.0.1:4/ws', token: JWT },
  ],
}).config.sources;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'orderbell-settings-'));
}

/** Every file under `dir`, subfolders included (the app's state folder lives in userData). */
function filesText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
}

beforeEach(() => electron.resetElectron());

describe('SecretBox', () => {
  it('seals through safeStorage and opens again', () => {
    const box = new SecretBox(electron.safeStorage, 'darwin');
    const sealed = box.seal(API_KEY);
    expect(sealed).not.toContain(API_KEY);
    expect(electron.safeStorage.encrypted).toBe(1);
    expect(box.open(sealed)).toBe(API_KEY);
    expect(electron.safeStorage.decrypted).toBe(1);
    expect(() => box.open('plain text')).toThrow('not a sealed secret');
  });

  it('is unprotected on Linux with the basic_text backend (no keyring)', () => {
    electron.state.storageBackend = 'basic_text';
    expect(new SecretBox(electron.safeStorage, 'linux').protected).toBe(false);
    electron.state.storageBackend = 'kwallet5';
    expect(new SecretBox(electron.safeStorage, 'linux').protected).toBe(true);
    electron.state.storageBackend = 'basic_text'; // the backend is a Linux notion only
    expect(new SecretBox(electron.safeStorage, 'win32').protected).toBe(true);
  });

  it('refuses to store a secret where no encryption is available', () => {
    electron.state.encryptionAvailable = false;
    const box = new SecretBox(electron.safeStorage, 'darwin');
    expect(box.protected).toBe(false);
    expect(() => box.seal('x')).toThrow(SecretsUnavailableError);
  });
});

describe('DesktopSettings (electron-store + safeStorage)', () => {
  it('writes every credential sealed, reads it back in clear', async () => {
    const dir = tempDir();
    const s = new DesktopSettings({ dir, secrets: new SecretBox() });
    expect(s.getSources()).toBeUndefined();
    await s.setSources(SOURCES);
    expect(electron.safeStorage.encrypted).toBe(4);
    const onDisk = filesText(dir);
    for (const secret of ALL_SECRETS) expect(onDisk).not.toContain(secret);
    expect(onDisk).toContain('partner-1'); // not a secret
    const again = new DesktopSettings({ dir, secrets: new SecretBox() });
    expect(again.getSources()).toEqual(SOURCES);
    expect(again.problems).toEqual([]);
  });

  it('keeps prefs, held alerts and the demo choice; coalesces writes of one tick', async () => {
    const dir = tempDir();
    const s = new DesktopSettings({ dir, secrets: new SecretBox() });
    const prefs = { ...s.getPrefs(), sound: false, mutedSources: ['oz'] };
    const p1 = s.setPrefs(prefs);
    const p2 = s.setDemo(false);
    expect(p1).toBe(p2);
    await p2;
    const again = new DesktopSettings({ dir, secrets: new SecretBox() });
    expect(again.getPrefs()).toEqual(prefs);
    expect(again.getDemo()).toBe(false);
    expect(again.getHeldAlerts()).toEqual([]);
  });

  it('a damaged settings file is kept aside and reported, defaults are used', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), '{"version":1, "sources": [ broken');
    const s = new DesktopSettings({ dir, secrets: new SecretBox() });
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]).toMatch(
      /settings\.json could not be read .*kept aside as .*settings\.json\.corrupt-/,
    );
    expect(s.getSources()).toBeUndefined();
    const aside = readdirSync(dir).filter((f) => f.startsWith('settings.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0] ?? ''), 'utf8')).toContain('broken');
  });

  it('a secret that cannot be decrypted is reported by field, never by value', async () => {
    const dir = tempDir();
    await new DesktopSettings({ dir, secrets: new SecretBox() }).setSources(SOURCES);
    const text = readFileSync(join(dir, 'settings.json'), 'utf8').replace(
      /"apiKey": "ss1:[^"]*"/,
      '"apiKey": "ss1:AAAA"',
    );
    writeFileSync(join(dir, 'settings.json'), text);
    const s = new DesktopSettings({ dir, secrets: new SecretBox() });
    const oz = s.getSources()?.find((x) => x.id === 'oz');
    expect(oz && 'apiKey' in oz ? oz.apiKey : undefined).toBeUndefined();
    expect(s.problems).toEqual([
      'source "oz": the stored apiKey could not be decrypted (keyring changed?); enter it again',
    ]);
  });
});

describe('secrets never reach the window or the logs', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.desktop.stop();
    h = undefined;
  });

  it('snapshot, change batches and logs hold no secret; the window sees only which are set', async () => {
    h = await startHarness({ sources: SOURCES, demo: false, hidden: false });
    expect(h.engine.sourceConfigs().find((c) => c.id === 'oz')).toMatchObject({ apiKey: API_KEY });
    const win = lastWindow();
    const snap = (await electron.ipcMain.invoke(
      COMMAND_CHANNELS.snapshot,
      eventFrom(win),
      undefined,
    )) as {
      sources: { id: string; secretsSet: Record<string, boolean> }[];
    };
    expect(snap.sources.find((s) => s.id === 'oz')?.secretsSet).toEqual({ apiKey: true });
    // Edit a source (secret left empty keeps it), save a new one with a secret, trigger changes.
    await electron.ipcMain.invoke(COMMAND_CHANNELS.saveSource, eventFrom(win), {
      replaces: 'op',
      id: 'op',
      provider: 'orangepill',
      fields: { url: 'ws://127.0.0.1:9/', realmKey: '' },
    });
    const NEW_TOKEN = 'brand-new-satoriex-token-777';
    const saved = await electron.ipcMain.invoke(COMMAND_CHANNELS.saveSource, eventFrom(win), {
      id: 'sx2',
      provider: 'satoriex',
      fields: { url: 'ws://127.0.0.1:5/ws', token: NEW_TOKEN },
    });
    expect(saved).toEqual({ ok: true });
    h.engine.emit({
      kind: 'connection',
      source: 'oz',
      provider: 'ozzobit',
      state: 'auth_failed',
      detail: 'bad key',
      at: '',
    });
    await vi.waitFor(() => expect(win.webContents.sent.length).toBeGreaterThan(0));
    await h.desktop.settings.flush();

    const toWindow = JSON.stringify([snap, win.webContents.sent]);
    const logs = h.lines.join('');
    const onDisk = filesText(h.userData);
    for (const secret of [...ALL_SECRETS, NEW_TOKEN]) {
      expect(toWindow).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(onDisk).not.toContain(secret);
    }
    expect(h.engine.sourceConfigs().find((c) => c.id === 'op')).toMatchObject({
      realmKey: REALM_KEY,
    });
    expect(
      new DesktopSettings({ dir: h.userData, secrets: new SecretBox() }).getSources(),
    ).toContainEqual(expect.objectContaining({ id: 'sx2', token: NEW_TOKEN }));
  });

  it('the window is told when secrets are not protected (basic_text)', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform');
    Object.defineProperty(process, 'platform', { value: 'linux' });
    electron.state.storageBackend = 'basic_text';
    try {
      h = await startHarness({ sources: SOURCES, demo: false, hidden: false });
      const snap = (await electron.ipcMain.invoke(
        COMMAND_CHANNELS.snapshot,
        eventFrom(lastWindow()),
        undefined,
      )) as {
        platform: { secretsProtected: boolean };
      };
      expect(snap.platform.secretsProtected).toBe(false);
      expect(h.lines.join('')).toContain('secrets are stored without OS protection');
    } finally {
      if (platform) Object.defineProperty(process, 'platform', platform);
    }
  });

  it('a damaged settings file is reported to the window and the app still starts', async () => {
    h = await startHarness({ settingsFile: '{ nope' });
    const snap = (await electron.ipcMain.invoke(
      COMMAND_CHANNELS.snapshot,
      eventFrom((h.desktop.openWindow(), lastWindow())),
      undefined,
    )) as { problems: string[]; demo: boolean };
    expect(snap.problems.some((p) => p.includes('settings.json could not be read'))).toBe(true);
  });
});

describe('a secret lost at rest (keyring changed)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.desktop.stop();
    h = undefined;
  });

  it('keeps the source, disabled, and tells the window which field to enter again', async () => {
    const seed = await startHarness({ sources: SOURCES, demo: false });
    await seed.desktop.stop();
    const file = join(seed.userData, 'settings.json');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/"apiKey": "ss1:[^"]*"/, '"apiKey": "ss1:AAAA"'),
    );
    electron.resetElectron();
    electron.state.userData = seed.userData;
    const { startDesktop } = await import('../../src-main/app/desktop.js');
    const { TestEngine, captureLog } = await import('../mocks/app-harness.js');
    const { log, lines } = captureLog();
    let engine: InstanceType<typeof TestEngine> | undefined;
    const desktop = await startDesktop({
      hidden: false,
      paths: { root: seed.root, userData: seed.userData },
      log,
      createEngine: (config) => (engine = new TestEngine(config.sources)),
    });
    h = {
      desktop,
      engine: engine as InstanceType<typeof TestEngine>,
      userData: seed.userData,
      root: seed.root,
      lines,
    };
    expect(h.engine.sourceConfigs().find((c) => c.id === 'oz')?.enabled).toBe(false);
    const snap = (await electron.ipcMain.invoke(
      COMMAND_CHANNELS.snapshot,
      eventFrom(lastWindow()),
      undefined,
    )) as { problems: string[] };
    expect(snap.problems).toEqual(
      expect.arrayContaining([
        'source "oz": the stored apiKey could not be decrypted (keyring changed?); enter it again',
        expect.stringMatching(/^source "oz" is disabled until fixed: .*apiKey/),
      ]),
    );
    for (const secret of ALL_SECRETS) expect(lines.join('')).not.toContain(secret);
  });
});
