// The desktop parts of notifications, with the mocked `electron`: the "Open order" and "Mute this
// source for 1 h" buttons (macOS and Windows only), the orderbell:// link a click goes through, a
// sound per outcome (macOS names one; elsewhere only `silent`), and two degraded episodes showing as
// two notifications.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';
import type { AlertNotice } from '../../src-main/shared/alert-policy.js';
import { alertLine } from '../support/fake-engine.js';

vi.mock('electron', () => import('../mocks/electron.js'));
vi.mock('electron-store', () => import('../mocks/electron-store.js'));

const electron = await import('../mocks/electron.js');
const { Notifier, MAC_SOUNDS } = await import('../../src-main/app/notifications.js');
const { startHarness, eventFrom, lastWindow, changesSent } =
  await import('../mocks/app-harness.js');
type Harness = import('../mocks/app-harness.js').Harness;
const { COMMAND_CHANNELS } = await import('../../src-main/shared/bridge.js');

const SOURCES = parseConfig({
  sources: [{ id: 'nx', provider: 'nexchange', url: 'ws://127.0.0.1:1/', orders: ['N1'] }],
}).config.sources;

function notice(orderId: string, status: 'completed' | 'failed' = 'completed', sound = true) {
  const a = alertLine('nx', orderId, status);
  return {
    title: a.title,
    body: a.body,
    sound,
    alerts: [a],
    focus: { source: 'nx', orderId },
  } satisfies AlertNotice;
}

/** Presses button `index` as Electron 45 reports it (index in the event, and positionally). */
function press(n: InstanceType<typeof electron.Notification> | undefined, index: number): void {
  n?.emit('action', { actionIndex: index, selectionIndex: -1 }, index, -1);
}

beforeEach(() => electron.resetElectron());

describe('Notifier buttons', () => {
  const platforms: [NodeJS.Platform, boolean][] = [
    ['darwin', true],
    ['win32', true],
    ['linux', false],
  ];
  it.each(platforms)('%s: buttons shown = %s', (platform, shown) => {
    const n = new Notifier({ onClick: vi.fn(), platform });
    n.show(notice('A1'));
    const options = electron.Notification.created[0]?.options;
    if (shown) {
      expect(options?.actions).toEqual([
        { type: 'button', text: 'Open order' },
        { type: 'button', text: 'Mute this source for 1 h' },
      ]);
    } else expect(options?.actions).toBeUndefined();
  });

  it('a notice about no single order (a summary) has no buttons', () => {
    const n = new Notifier({ onClick: vi.fn(), platform: 'darwin' });
    n.show({ title: '3 orders finished', body: '…', sound: false, alerts: [] });
    expect(electron.Notification.created[0]?.options.actions).toBeUndefined();
  });

  it('each button calls back with its action and the order, and releases the reference', () => {
    const onAction = vi.fn();
    const n = new Notifier({ onClick: vi.fn(), onAction, platform: 'win32' });
    n.show(notice('A1'));
    n.show(notice('A2'));
    const [a, b] = electron.Notification.created;
    expect(n.live.size).toBe(2);
    press(a, 0);
    press(b, 1);
    expect(onAction.mock.calls).toEqual([
      ['open', { source: 'nx', orderId: 'A1' }],
      ['mute', { source: 'nx', orderId: 'A2' }],
    ]);
    expect(n.live.size).toBe(0);
    // an index we did not offer does nothing
    n.show(notice('A3'));
    press(electron.Notification.created[2], 7);
    expect(onAction).toHaveBeenCalledTimes(2);
    expect(n.live.size).toBe(1);
  });

  it('older Electron: the index only as the second argument', () => {
    const onAction = vi.fn();
    const n = new Notifier({ onClick: vi.fn(), onAction, platform: 'darwin' });
    n.show(notice('A1'));
    electron.Notification.created[0]?.emit('action', {}, 1);
    expect(onAction).toHaveBeenCalledWith('mute', { source: 'nx', orderId: 'A1' });
  });
});

describe('Notifier sounds', () => {
  // [platform, status, notice.sound, silent, macOS sound name]
  const cases: [NodeJS.Platform, 'completed' | 'failed', boolean, boolean, string | undefined][] = [
    ['darwin', 'completed', true, false, MAC_SOUNDS.completed],
    ['darwin', 'failed', true, false, MAC_SOUNDS.failed],
    ['darwin', 'failed', false, true, undefined],
    ['win32', 'failed', true, false, undefined],
    ['win32', 'completed', false, true, undefined],
    ['linux', 'failed', true, false, undefined],
  ];
  it.each(cases)(
    '%s, %s, sound %s → silent %s, sound %s',
    (platform, status, sound, silent, name) => {
      new Notifier({ onClick: vi.fn(), platform }).show(notice('A1', status, sound));
      const options = electron.Notification.created[0]?.options;
      expect(options?.silent).toBe(silent);
      expect(options?.sound).toBe(name);
    },
  );

  it('macOS: two distinct sounds', () => {
    expect(MAC_SOUNDS.completed).not.toBe(MAC_SOUNDS.failed);
  });

  it('two degraded episodes of one source are two notifications (their keys differ)', () => {
    const n = new Notifier({ onClick: vi.fn(), platform: 'linux' });
    const degraded = (key: string): AlertNotice => ({
      title: 'Monitoring degraded: nx',
      body: 'nx has been offline since 12:00: its orders are not being watched.',
      sound: true,
      alerts: [],
      key,
    });
    expect(n.show(degraded('degraded\u0000nx\u00001'))).toBe(true);
    expect(n.show(degraded('degraded\u0000nx\u00001'))).toBe(false);
    expect(n.show(degraded('degraded\u0000nx\u00002'))).toBe(true);
    expect(electron.Notification.created).toHaveLength(2);
  });
});

describe('buttons, links and sounds in the desktop shell', () => {
  let h: Harness | undefined;
  let platform: PropertyDescriptor | undefined;
  beforeEach(() => {
    // The shell's Notifier uses process.platform: pretend to be Windows (buttons supported).
    platform = Object.getOwnPropertyDescriptor(process, 'platform');
    Object.defineProperty(process, 'platform', { value: 'win32' });
  });
  afterEach(async () => {
    if (platform) Object.defineProperty(process, 'platform', platform);
    await h?.desktop.stop();
    h = undefined;
  });

  it('"Open order" opens the window on that order', async () => {
    h = await startHarness({ sources: SOURCES, demo: false, hidden: false });
    const win = lastWindow();
    await electron.ipcMain.invoke(COMMAND_CHANNELS.snapshot, eventFrom(win), undefined);
    h.engine.emit(alertLine('nx', 'N1', 'failed'));
    await vi.waitFor(() => expect(electron.Notification.created).toHaveLength(1));
    press(electron.Notification.created[0], 0);
    await vi.waitFor(() =>
      expect(changesSent(win)).toContainEqual({ type: 'focus-order', source: 'nx', orderId: 'N1' }),
    );
    expect(h.desktop.notifier.live.size).toBe(0);
  });

  it('"Mute this source for 1 h" holds its next alerts for an hour, saved and shown', async () => {
    h = await startHarness({ sources: SOURCES, demo: false, hidden: false });
    const win = lastWindow();
    await electron.ipcMain.invoke(COMMAND_CHANNELS.snapshot, eventFrom(win), undefined);
    h.engine.emit(alertLine('nx', 'N1', 'failed'));
    await vi.waitFor(() => expect(electron.Notification.created).toHaveLength(1));
    const before = Date.now();
    press(electron.Notification.created[0], 1);
    await vi.waitFor(() => expect(h?.desktop.host.currentPrefs.mutedUntil.nx).toBeDefined());
    const until = h.desktop.host.currentPrefs.mutedUntil.nx ?? 0;
    expect(until).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(h.desktop.settings.getPrefs().mutedUntil.nx).toBe(until);
    await vi.waitFor(() =>
      expect(changesSent(win)).toContainEqual(
        expect.objectContaining({
          type: 'prefs',
          prefs: expect.objectContaining({ mutedUntil: { nx: until } }),
        }),
      ),
    );
    h.engine.emit(alertLine('nx', 'N2', 'failed'));
    await new Promise((r) => setTimeout(r, 600));
    expect(electron.Notification.created).toHaveLength(1);
    expect(h.desktop.host.heldAlerts.map((a) => a.orderId)).toEqual(['N2']);
  });

  it('a link opens the window on its order; a malformed one only opens the window', async () => {
    h = await startHarness({ sources: SOURCES, demo: false });
    expect(h.desktop.openLink('orderbell://order/nx/N%2F1')).toBe(true);
    const win = lastWindow();
    await electron.ipcMain.invoke(COMMAND_CHANNELS.snapshot, eventFrom(win), undefined);
    await vi.waitFor(() =>
      expect(changesSent(win)).toContainEqual({
        type: 'focus-order',
        source: 'nx',
        orderId: 'N/1',
      }),
    );
    expect(h.desktop.openLink('orderbell://order/nx/N1%0Aforged')).toBe(false);
    expect(h.desktop.openLink('orderbell://order/nx')).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    const focused = changesSent(win).filter((c) => (c as { type: string }).type === 'focus-order');
    expect(focused).toHaveLength(1);
    expect(h.lines.join('')).toContain('malformed orderbell:// link');
    expect(h.lines.join('')).not.toContain('forged');
  });

  it('default sounds: a failure is not silent, a completion is; the window setting changes it', async () => {
    h = await startHarness({ sources: SOURCES, demo: false, hidden: false });
    const win = lastWindow();
    h.engine.emit(alertLine('nx', 'C1', 'completed'));
    await vi.waitFor(() => expect(electron.Notification.created).toHaveLength(1));
    h.engine.emit(alertLine('nx', 'F1', 'failed'));
    await vi.waitFor(() => expect(electron.Notification.created).toHaveLength(2));
    expect(electron.Notification.created.map((n) => n.options.silent)).toEqual([true, false]);
    const set = await electron.ipcMain.invoke(COMMAND_CHANNELS.setPrefs, eventFrom(win), {
      outcomeSounds: { completed: true, failed: false },
    });
    expect(set).toEqual({ ok: true });
    h.engine.emit(alertLine('nx', 'C2', 'completed'));
    await vi.waitFor(() => expect(electron.Notification.created).toHaveLength(3));
    h.engine.emit(alertLine('nx', 'F2', 'failed'));
    await vi.waitFor(() => expect(electron.Notification.created).toHaveLength(4));
    expect(electron.Notification.created.slice(2).map((n) => n.options.silent)).toEqual([
      false,
      true,
    ]);
  });
});
