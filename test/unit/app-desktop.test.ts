// The shell put together: first run → demo with a one-click switch, the tray following engine
// events, the window released when closed and re-attached when reopened, start at login.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig, type SourceConfig } from '../../src-main/engine/config.js';
import { alertLine } from '../support/fake-engine.js';

vi.mock('electron', () => import('../mocks/electron.js'));
vi.mock('electron-store', () => import('../mocks/electron-store.js'));

const electron = await import('../mocks/electron.js');
const { startHarness, eventFrom, lastWindow, changesSent } =
  await import('../mocks/app-harness.js');
type Harness = import('../mocks/app-harness.js').Harness;
const { COMMAND_CHANNELS } = await import('../../src-main/shared/bridge.js');
const { usableSources } = await import('../../src-main/app/user-sources.js');
const { setStartAtLogin, getStartAtLogin, autostartFile } =
  await import('../../src-main/app/login-item.js');
const { DesktopSettings } = await import('../../src-main/app/settings-store.js');
const { SecretBox } = await import('../../src-main/app/secrets.js');

const SOURCES = parseConfig({
  sources: [
    { id: 'nx', provider: 'nexchange', url: 'ws://127.0.0.1:1/', orders: ['N1', 'N2'] },
    { id: 'oz', provider: 'ozzobit', url: 'ws://127.0.0.1:2/ws', apiKey: 'k' },
  ],
}).config.sources;

let h: Harness | undefined;
beforeEach(() => electron.resetElectron());
afterEach(async () => {
  await h?.desktop.stop();
  h = undefined;
});

function tray() {
  const t = electron.Tray.created.at(-1);
  if (!t) throw new Error('no tray');
  return t;
}

async function snapshot(win = lastWindow()) {
  return (await electron.ipcMain.invoke(COMMAND_CHANNELS.snapshot, eventFrom(win), undefined)) as {
    demo: boolean;
    demoAvailable: boolean;
    sources: { id: string; state: string }[];
  };
}

describe('first run', () => {
  it('with no sources starts the demo, and one click switches to real providers', async () => {
    h = await startHarness({ hidden: false });
    const snap = await snapshot();
    expect(snap.demo).toBe(true);
    expect(snap.demoAvailable).toBe(true);
    expect(snap.sources.map((s) => s.id).sort()).toEqual(['hd', 'nx', 'op', 'oz', 'sx']);
    expect(h.engine.started).toBe(true);
    await vi.waitFor(() => expect(tray().tooltip.startsWith('Orderbell (demo)')).toBe(true));
    expect(tray().contextMenu?.find('Demo mode')).toBeDefined();

    const switched = await electron.ipcMain.invoke(
      COMMAND_CHANNELS.setDemo,
      eventFrom(lastWindow()),
      {
        demo: false,
      },
    );
    expect(switched).toEqual({ ok: true });
    expect(h.engine.sourceConfigs()).toEqual([]);
    await vi.waitFor(() =>
      expect(changesSent(lastWindow())).toContainEqual({ type: 'demo', demo: false }),
    );
    await h.desktop.settings.flush();
    expect(new DesktopSettings({ dir: h.userData, secrets: new SecretBox() }).getDemo()).toBe(
      false,
    );
    await vi.waitFor(() => expect(tray().tooltip).toBe('Orderbell: no sources'));
  });

  it('with saved sources starts them, not the demo', async () => {
    h = await startHarness({ sources: SOURCES });
    expect(h.engine.sourceConfigs().map((c) => c.id)).toEqual(['nx', 'oz']);
    expect(h.desktop.host.isDemo).toBe(false);
  });
});

describe('tray follows the engine', () => {
  it('connected → offline → auth_failed → active count → idle', async () => {
    h = await startHarness({ sources: SOURCES, demo: false });
    const e = h.engine;
    const conn = (source: string, state: 'connected' | 'offline' | 'auth_failed') =>
      e.emit({
        kind: 'connection',
        source,
        provider: source === 'nx' ? 'nexchange' : 'ozzobit',
        state,
        at: '',
      });
    conn('nx', 'connected');
    conn('oz', 'connected');
    await vi.waitFor(() => expect(tray().tooltip).toBe('Orderbell: all 2 sources connected'));
    expect(tray().image.path).toMatch(/tray-idle(Template)?\.png$/);

    conn('oz', 'offline');
    await vi.waitFor(() => expect(tray().image.path).toMatch(/tray-attention/));
    expect(tray().contextMenu?.find('oz (OZZOBiT)')?.label).toBe('oz (OZZOBiT): offline');

    conn('oz', 'auth_failed');
    await vi.waitFor(() =>
      expect(tray().contextMenu?.find('oz (OZZOBiT)')?.label).toBe('oz (OZZOBiT): sign-in failed'),
    );
    expect(tray().tooltip).toContain('sign-in failed');

    conn('oz', 'connected');
    e.order('nx', 'N1', 'processing', '12');
    e.order('nx', 'N2', 'pending', '11');
    await vi.waitFor(() => expect(tray().tooltip).toBe('Orderbell: 2 orders in progress'));
    expect(tray().image.path).toMatch(/tray-active/);

    e.order('nx', 'N1', 'completed', '16');
    e.order('nx', 'N2', 'completed', '16');
    await vi.waitFor(() => expect(tray().image.path).toMatch(/tray-idle/));
  });

  it('an unread failure demands attention until the window is looked at', async () => {
    h = await startHarness({ sources: SOURCES, demo: false });
    h.engine.emit({
      kind: 'connection',
      source: 'nx',
      provider: 'nexchange',
      state: 'connected',
      at: '',
    });
    h.engine.emit({
      kind: 'connection',
      source: 'oz',
      provider: 'ozzobit',
      state: 'connected',
      at: '',
    });
    h.engine.emit(alertLine('nx', 'N1', 'failed'));
    // Issue 11: the failure is also an unread alert of the attention list, counted once as such.
    await vi.waitFor(() => expect(tray().tooltip).toContain('1 unread alert'));
    expect(tray().image.path).toMatch(/tray-attention/);
    h.desktop.openWindow();
    lastWindow().focus();
    // Looking at the window clears the failure; the alert stays unread until marked read.
    await vi.waitFor(() => expect(tray().tooltip).not.toContain('failed order unread'));
    await h.desktop.host.invoke('markAllRead', undefined);
    await vi.waitFor(() => expect(tray().image.path).toMatch(/tray-idle/));
  });

  it('the tooltip follows unverified marks, which come without any engine event', async () => {
    h = await startHarness({ sources: SOURCES, demo: false });
    h.engine.order('nx', 'N1', 'processing', '12');
    await vi.waitFor(() => expect(tray().tooltip).toBe('Orderbell: 1 order in progress'));
    h.engine.markUnverified('nx', 'N1', '2025-01-15T09:00:00.000Z', 'no_catch_up');
    await vi.waitFor(() =>
      expect(tray().tooltip).toBe('Orderbell: 1 order in progress; 1 order unverified after a gap'),
    );
    h.engine.verified('nx', 'N1');
    await vi.waitFor(() => expect(tray().tooltip).toBe('Orderbell: 1 order in progress'));
  });
});

describe('window lifecycle', () => {
  it('closing releases the window (tray stays); reopening attaches a fresh one', async () => {
    h = await startHarness({ sources: SOURCES, demo: false, hidden: false });
    const first = lastWindow();
    await snapshot(first);
    first.close();
    expect(first.isDestroyed()).toBe(true);
    expect(h.desktop.window.current).toBeUndefined();
    expect(tray().isDestroyed()).toBe(false);
    // Changes while closed go nowhere (and cost nothing).
    h.engine.order('nx', 'N1', 'processing', '12');
    tray().contextMenu?.find('Open Orderbell')?.click?.({ checked: false });
    const second = lastWindow();
    expect(second).not.toBe(first);
    const snap = (await snapshot(second)) as unknown as { orders: { orderId: string }[] };
    expect(snap.orders.map((o) => o.orderId)).toEqual(['N1']);
    h.engine.order('nx', 'N1', 'completed', '16');
    await vi.waitFor(() => expect(second.webContents.sent.length).toBeGreaterThan(0));
    expect(first.webContents.sent).toHaveLength(0);
    // The old window's frame is refused now.
    await expect(
      electron.ipcMain.invoke(COMMAND_CHANNELS.snapshot, eventFrom(first), undefined),
    ).rejects.toThrow();
  });

  it('stop() stops the engine, the host and the tray', async () => {
    h = await startHarness({ sources: SOURCES, demo: false });
    await h.desktop.stop();
    expect(h.engine.stopped).toBe(true);
    expect(tray().isDestroyed()).toBe(true);
    h = undefined;
  });
});

describe('saved sources that no longer validate', () => {
  it('are kept, disabled, with a problem naming the field (never a value)', () => {
    const problems: string[] = [];
    const broken = {
      id: 'oz',
      provider: 'ozzobit',
      url: 'ws://127.0.0.1:2/ws',
    } as unknown as SourceConfig;
    const out = usableSources([...SOURCES.slice(0, 1), broken], problems);
    expect(out.map((s) => [s.id, s.enabled])).toEqual([
      ['nx', true],
      ['oz', false],
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/source "oz" is disabled until fixed: .*apiKey.*required/),
    ]);
  });
});

describe('start at login', () => {
  it('Linux: an XDG autostart entry; elsewhere app.setLoginItemSettings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderbell-xdg-'));
    const previous = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = dir;
    try {
      expect(getStartAtLogin('linux')).toBe(false);
      setStartAtLogin(true, 'linux');
      expect(getStartAtLogin('linux')).toBe(true);
      const entry = readFileSync(autostartFile(), 'utf8');
      expect(entry).toContain('[Desktop Entry]');
      expect(entry).toMatch(/^Exec=".+" --hidden$/m);
      setStartAtLogin(false, 'linux');
      expect(existsSync(autostartFile())).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = previous;
    }
    setStartAtLogin(true, 'win32');
    expect(electron.app.loginItemCalls).toEqual([{ openAtLogin: true, args: ['--hidden'] }]);
    expect(getStartAtLogin('darwin')).toBe(true);
  });
});
