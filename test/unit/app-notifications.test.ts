// Notifications: only what the bridge host says to show, exactly one Notification per alert (a
// repeat is not shown again), kept referenced until closed, click → window on that order.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';
import type { AlertNotice } from '../../src-main/shared/alert-policy.js';
import { alertLine } from '../support/fake-engine.js';

vi.mock('electron', () => import('../mocks/electron.js'));
vi.mock('electron-store', () => import('../mocks/electron-store.js'));

const electron = await import('../mocks/electron.js');
const { Notifier } = await import('../../src-main/app/notifications.js');
const { startHarness, eventFrom, lastWindow, changesSent } =
  await import('../mocks/app-harness.js');
type Harness = import('../mocks/app-harness.js').Harness;
const { COMMAND_CHANNELS } = await import('../../src-main/shared/bridge.js');

const SOURCES = parseConfig({
  sources: [
    { id: 'nx', provider: 'nexchange', url: 'ws://127.0.0.1:1/', orders: ['N1'] },
    { id: 'hd', provider: 'houdini', url: 'ws://127.0.0.1:2/', partnerId: 'p', secret: 's' },
  ],
}).config.sources;

function notice(orderId: string, status = 'completed'): AlertNotice {
  const a = alertLine('nx', orderId, status as 'completed');
  return {
    title: a.title,
    body: a.body,
    sound: true,
    alerts: [a],
    focus: { source: 'nx', orderId },
  };
}

beforeEach(() => electron.resetElectron());

describe('Notifier', () => {
  it('shows one Notification per notice, with title, body and sound preference', () => {
    const n = new Notifier({ onClick: vi.fn() });
    expect(n.show(notice('A1'))).toBe(true);
    expect(electron.Notification.created).toHaveLength(1);
    const shown = electron.Notification.created[0];
    expect(shown?.options).toMatchObject({
      title: 'order A1 completed',
      body: 'Order A1',
      silent: false,
    });
    expect(shown?.shown).toBe(true);
    n.show({ ...notice('A2'), sound: false });
    expect(electron.Notification.created[1]?.options.silent).toBe(true);
  });

  it('does not show the same alert twice', () => {
    const n = new Notifier({ onClick: vi.fn() });
    n.show(notice('A1'));
    expect(n.show(notice('A1'))).toBe(false);
    expect(electron.Notification.created).toHaveLength(1);
    // the same order reaching another status is a new alert
    n.show(notice('A1', 'refunded'));
    expect(electron.Notification.created).toHaveLength(2);
  });

  it('keeps each Notification referenced until close, click or failure', () => {
    const onClick = vi.fn();
    const n = new Notifier({ onClick });
    n.show(notice('A1'));
    n.show(notice('A2'));
    n.show(notice('A3'));
    const [a, b, c] = electron.Notification.created;
    expect(n.live.size).toBe(3);
    a?.close();
    expect(n.live.has(a as never)).toBe(false);
    expect(n.live.size).toBe(2);
    b?.emit('click', {});
    expect(onClick).toHaveBeenCalledWith({ source: 'nx', orderId: 'A2' });
    expect(n.live.size).toBe(1);
    c?.emit('failed', {}, 'toast error');
    expect(n.live.size).toBe(0);
  });

  it('shows nothing where notifications are unsupported', () => {
    electron.state.notificationsSupported = false;
    const n = new Notifier({ onClick: vi.fn() });
    expect(n.supported()).toBe(false);
    expect(n.show(notice('A1'))).toBe(false);
    expect(electron.Notification.created).toHaveLength(0);
  });
});

describe('alerts through the desktop shell', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.desktop.stop();
    h = undefined;
  });

  it('an engine alert becomes exactly one Notification; the repeat and other events do not', async () => {
    h = await startHarness({ sources: SOURCES, demo: false });
    h.engine.emit({
      kind: 'connection',
      source: 'nx',
      provider: 'nexchange',
      state: 'connected',
      at: '',
    });
    h.engine.order('nx', 'N1', 'processing', '12');
    h.engine.emit({
      kind: 'activity',
      source: 'nx',
      provider: 'nexchange',
      event: 'kyc.approved',
      at: '',
    });
    const alert = {
      ...alertLine('nx', 'N1'),
      title: 'n.exchange: order completed',
      body: 'Order N1 · 0.1 BTC → 2 ETH (16)',
    };
    h.engine.emit(alert);
    await vi.waitFor(() => expect(electron.Notification.created).toHaveLength(1));
    expect(electron.Notification.created[0]?.options).toMatchObject({
      title: 'n.exchange: order completed',
      body: 'Order N1 · 0.1 BTC → 2 ETH (16)',
    });
    h.engine.emit(alert);
    await new Promise((r) => setTimeout(r, 600));
    expect(electron.Notification.created).toHaveLength(1);
  });

  it('clicking opens the window and focuses the order once it has its snapshot', async () => {
    h = await startHarness({ sources: SOURCES, demo: false });
    expect(electron.BrowserWindow.created).toHaveLength(0); // hidden start: tray only
    h.engine.emit(alertLine('nx', 'N1', 'failed'));
    await vi.waitFor(() => expect(electron.Notification.created).toHaveLength(1));
    electron.Notification.created[0]?.emit('click', {});
    const win = lastWindow();
    expect(win.loadedUrl).toBe('app://orderbell/index.html');
    await electron.ipcMain.invoke(COMMAND_CHANNELS.snapshot, eventFrom(win), undefined);
    await vi.waitFor(() =>
      expect(changesSent(win)).toContainEqual({ type: 'focus-order', source: 'nx', orderId: 'N1' }),
    );
    expect(h.desktop.notifier.live.size).toBe(0);
  });

  it('with the window already open, a click focuses the order right away', async () => {
    h = await startHarness({ sources: SOURCES, demo: false, hidden: false });
    const win = lastWindow();
    await electron.ipcMain.invoke(COMMAND_CHANNELS.snapshot, eventFrom(win), undefined);
    h.engine.emit(alertLine('hd', 'H9', 'completed', 'houdini'));
    await vi.waitFor(() => expect(electron.Notification.created).toHaveLength(1));
    electron.Notification.created[0]?.emit('click', {});
    await vi.waitFor(() =>
      expect(changesSent(win)).toContainEqual({ type: 'focus-order', source: 'hd', orderId: 'H9' }),
    );
    expect(electron.BrowserWindow.created).toHaveLength(1);
  });

  it('a burst becomes one summary notification', async () => {
    h = await startHarness({ sources: SOURCES, demo: false });
    for (let i = 1; i <= 5; i++) h.engine.emit(alertLine('nx', `B${i}`));
    await vi.waitFor(() => expect(electron.Notification.created).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 500));
    expect(electron.Notification.created).toHaveLength(1);
    expect(electron.Notification.created[0]?.options.title).toBe('5 orders finished');
  });

  it('paused from the tray: alerts are held for the window, not notified', async () => {
    h = await startHarness({ sources: SOURCES, demo: false });
    const tray = electron.Tray.created.at(-1);
    tray?.contextMenu?.find('For 1 hour')?.click?.({ checked: false });
    await vi.waitFor(() => expect(h?.desktop.host.currentPrefs.pausedUntil).not.toBeNull());
    h.engine.emit(alertLine('nx', 'P1'));
    await new Promise((r) => setTimeout(r, 500));
    expect(electron.Notification.created).toHaveLength(0);
    expect(h.desktop.host.heldAlerts.map((a) => a.orderId)).toEqual(['P1']);
    await vi.waitFor(() => expect(tray?.tooltip).toContain('notifications paused until'));
  });

  it('tells the window when the OS has no notification service', async () => {
    electron.state.notificationsSupported = false;
    h = await startHarness({ sources: SOURCES, demo: false, hidden: false });
    const snap = (await electron.ipcMain.invoke(
      COMMAND_CHANNELS.snapshot,
      eventFrom(lastWindow()),
      undefined,
    )) as { platform: { notificationsSupported: boolean; kind: string } };
    expect(snap.platform).toMatchObject({ notificationsSupported: false, kind: 'electron' });
  });
});
