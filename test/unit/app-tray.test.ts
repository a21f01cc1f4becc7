// The tray: image and tooltip chosen in a fixed order (attention > active > idle) and kept in step
// with source states and the active count; the menu set with setContextMenu, with its actions.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SourceStatus } from '../../src-main/engine/engine.js';
import type { ConnectionState } from '../../src-main/engine/types.js';

vi.mock('electron', () => import('../mocks/electron.js'));

const electron = await import('../mocks/electron.js');
const { TrayController, currentTray, trayIconFile, tomorrowMorning, HOUR_MS } =
  await import('../../src-main/app/tray.js');
const { trayPicture, TOOLTIP_MAX } = await import('../../src-main/app/tray-picture.js');
const { PAUSED_UNTIL_RESUMED } = await import('../../src-main/shared/bridge.js');
type TrayInput = import('../../src-main/app/tray-picture.js').TrayInput;

function source(
  id: string,
  state: ConnectionState,
  extra: Partial<SourceStatus> = {},
): SourceStatus {
  return { id, provider: 'nexchange', enabled: true, state, watched: [], ...extra };
}

/** The tests' clock: 10:00 local time in whatever TZ runs them, far from midnight and DST. */
const NOW = new Date(2025, 0, 15, 10, 0).getTime();
const clock = () => NOW;

function input(over: Partial<TrayInput> = {}): TrayInput {
  return {
    sources: [source('nx', 'connected'), source('hd', 'connected', { provider: 'houdini' })],
    activeOrders: 0,
    unverifiedOrders: 0,
    unreadFailures: 0,
    pausedUntil: null,
    demo: false,
    now: NOW,
    ...over,
  };
}

function actions() {
  let login = false;
  return {
    openWindow: vi.fn(),
    pause: vi.fn(),
    reconnectAll: vi.fn(),
    getStartAtLogin: vi.fn(() => login),
    setStartAtLogin: vi.fn((on: boolean) => {
      login = on;
    }),
    quit: vi.fn(),
  };
}

function theTray() {
  const tray = electron.Tray.created.at(-1);
  if (!tray) throw new Error('no tray');
  return tray;
}

function menu() {
  const m = theTray().contextMenu;
  if (!m) throw new Error('no context menu');
  return m;
}

beforeEach(() => {
  electron.resetElectron();
});

describe('trayPicture: fixed order', () => {
  it('idle when every source is connected and nothing is in flight', () => {
    expect(trayPicture(input())).toEqual({
      state: 'idle',
      tooltip: 'Orderbell: all 2 sources connected',
    });
  });

  it('active with the count when orders are in progress', () => {
    const p = trayPicture(input({ activeOrders: 3 }));
    expect(p.state).toBe('active');
    expect(p.tooltip).toBe('Orderbell: 3 orders in progress');
    expect(trayPicture(input({ activeOrders: 1 })).tooltip).toContain('1 order in progress');
  });

  it('attention beats active: an offline or auth_failed source, or an unread failure', () => {
    const offline = trayPicture(input({ activeOrders: 2, sources: [source('nx', 'offline')] }));
    expect(offline.state).toBe('attention');
    expect(offline.tooltip).toContain('nx (n.exchange) offline');
    expect(offline.tooltip).toContain('2 orders in progress');
    const auth = trayPicture(input({ sources: [source('oz', 'auth_failed', { label: 'My OZ' })] }));
    expect(auth.state).toBe('attention');
    expect(auth.tooltip).toContain('My OZ sign-in failed');
    const failure = trayPicture(input({ unreadFailures: 1, activeOrders: 4 }));
    expect(failure.state).toBe('attention');
    expect(failure.tooltip).toContain('1 failed order unread');
  });

  it('connecting / reconnecting and disabled sources do not demand attention', () => {
    expect(trayPicture(input({ sources: [source('nx', 'reconnecting')] })).state).toBe('idle');
    const disabled = source('nx', 'offline', { enabled: false });
    expect(trayPicture(input({ sources: [disabled] })).state).toBe('idle');
    expect(trayPicture(input({ sources: [source('nx', 'connecting')] })).tooltip).toContain(
      '0 of 1 source connected',
    );
  });

  // [input, tray state, tooltip]: the unverified line comes whatever the state, never alone.
  const BLIND: [Partial<TrayInput>, string, string][] = [
    [{ unverifiedOrders: 0, activeOrders: 2 }, 'active', 'Orderbell: 2 orders in progress'],
    [
      { unverifiedOrders: 2, activeOrders: 2 },
      'active',
      'Orderbell: 2 orders in progress; 2 orders unverified after a gap',
    ],
    [
      { unverifiedOrders: 1 },
      'idle',
      'Orderbell: all 2 sources connected; 1 order unverified after a gap',
    ],
    [
      { unverifiedOrders: 3, activeOrders: 3, sources: [source('nx', 'offline')] },
      'attention',
      'Orderbell: nx (n.exchange) offline; 3 orders in progress; 3 orders unverified after a gap',
    ],
  ];
  it.each(BLIND)('orders unverified after a gap: %o', (over, state, tooltip) => {
    expect(trayPicture(input(over))).toEqual({ state, tooltip });
  });

  it('mentions a pause, the demo, and stays within the Windows tooltip limit', () => {
    const now = input().now;
    expect(trayPicture(input({ pausedUntil: now + HOUR_MS })).tooltip).toContain(
      'notifications paused until 11:00',
    );
    expect(trayPicture(input({ pausedUntil: PAUSED_UNTIL_RESUMED })).tooltip).toContain(
      'notifications paused',
    );
    expect(trayPicture(input({ pausedUntil: now - 1 })).tooltip).not.toContain('paused');
    expect(trayPicture(input({ demo: true })).tooltip.startsWith('Orderbell (demo):')).toBe(true);
    const many = Array.from({ length: 20 }, (_, i) => source(`source-number-${i}`, 'offline'));
    expect(trayPicture(input({ sources: many })).tooltip.length).toBeLessThanOrEqual(TOOLTIP_MAX);
  });
});

describe('TrayController', () => {
  it('keeps the Tray referenced at module level and sets the menu with setContextMenu', () => {
    const c = new TrayController('/assets', actions(), 'linux');
    c.update(input());
    expect(electron.Tray.created).toHaveLength(1);
    expect(currentTray()).toBe(theTray());
    expect(theTray().menuSets).toBe(1);
    c.update(input());
    expect(electron.Tray.created).toHaveLength(1);
    c.destroy();
    expect(currentTray()).toBeUndefined();
  });

  it('image, tooltip and menu follow connected → offline → auth_failed → connected with orders', () => {
    const c = new TrayController('/assets', actions(), 'linux');
    c.update(input());
    expect(theTray().image.path).toBe('/assets/tray-idle.png');
    expect(menu().find('nx (n.exchange)')?.label).toBe('nx (n.exchange): connected');

    c.update(
      input({
        sources: [source('nx', 'offline'), source('hd', 'connected', { provider: 'houdini' })],
      }),
    );
    expect(theTray().image.path).toBe('/assets/tray-attention.png');
    expect(theTray().tooltip).toContain('nx (n.exchange) offline');
    expect(menu().find('nx (n.exchange)')?.label).toBe('nx (n.exchange): offline');

    c.update(
      input({
        sources: [source('nx', 'auth_failed'), source('hd', 'connected', { provider: 'houdini' })],
      }),
    );
    expect(theTray().image.path).toBe('/assets/tray-attention.png');
    expect(theTray().tooltip).toContain('sign-in failed');
    expect(menu().find('nx (n.exchange)')?.label).toBe('nx (n.exchange): sign-in failed');

    c.update(input({ activeOrders: 5 }));
    expect(theTray().image.path).toBe('/assets/tray-active.png');
    expect(theTray().tooltip).toBe('Orderbell: 5 orders in progress');

    c.update(input({ activeOrders: 0 }));
    expect(theTray().image.path).toBe('/assets/tray-idle.png');
    expect(theTray().history.map((h) => h.image)).toEqual([
      '/assets/tray-attention.png',
      '/assets/tray-active.png',
      '/assets/tray-idle.png',
    ]);
  });

  it('does not rebuild an unchanged menu (Linux panels flicker)', () => {
    const c = new TrayController('/assets', actions(), 'linux');
    c.update(input());
    c.update(input({ activeOrders: 1 }));
    c.update(input({ activeOrders: 2 }));
    expect(theTray().menuSets).toBe(1);
  });

  it('uses template images on macOS', () => {
    const c = new TrayController('/assets', actions(), 'darwin');
    c.update(input());
    expect(theTray().image.path).toBe('/assets/tray-idleTemplate.png');
    expect(theTray().image.template).toBe(true);
    expect(trayIconFile('attention', 'win32')).toBe('tray-attention.png');
  });

  it('menu: open, one line per source, pause 1 h / tomorrow / until resumed, reconnect, login, quit', () => {
    const a = actions();
    const c = new TrayController('/assets', a, 'linux', clock);
    c.update(input());
    expect(menu().labels()).toEqual([
      'Open Orderbell',
      'nx (n.exchange): connected',
      'hd (Houdini Swap): connected',
      'Pause notifications',
      'Reconnect all',
      'Start at login',
      'Quit Orderbell',
    ]);
    menu().find('Open Orderbell')?.click?.({ checked: false });
    expect(a.openWindow).toHaveBeenCalledTimes(1);

    const before = clock();
    menu().find('For 1 hour')?.click?.({ checked: false });
    const until = a.pause.mock.calls[0]?.[0] as number;
    expect(until).toBeGreaterThanOrEqual(before + HOUR_MS);
    expect(until).toBeLessThan(before + HOUR_MS + 5_000);
    menu().find('Until tomorrow')?.click?.({ checked: false });
    expect(a.pause).toHaveBeenLastCalledWith(tomorrowMorning(clock()));
    menu().find('Until I resume')?.click?.({ checked: false });
    expect(a.pause).toHaveBeenLastCalledWith(PAUSED_UNTIL_RESUMED);

    menu().find('Reconnect all')?.click?.({ checked: false });
    expect(a.reconnectAll).toHaveBeenCalledTimes(1);

    const login = menu().find('Start at login');
    expect(login).toMatchObject({ type: 'checkbox', checked: false });
    login?.click?.({ checked: true });
    expect(a.setStartAtLogin).toHaveBeenCalledWith(true);
    c.update(input());
    expect(menu().find('Start at login')?.checked).toBe(true);

    menu().find('Quit')?.click?.({ checked: false });
    expect(a.quit).toHaveBeenCalledTimes(1);
  });

  it('while paused the menu offers to resume', () => {
    const a = actions();
    const c = new TrayController('/assets', a, 'linux', clock);
    // A fixed clock: at 23:xx on the wall clock the label would read "until tomorrow 00:xx".
    const now = clock();
    c.update(input({ pausedUntil: now + HOUR_MS, now }));
    const resume = menu().find('Resume notifications');
    expect(resume?.label).toMatch(/paused until \d\d:\d\d/);
    expect(menu().find('Pause notifications')).toBeUndefined();
    resume?.click?.({ checked: false });
    expect(a.pause).toHaveBeenCalledWith(null);
  });

  it('left click opens the window', () => {
    const a = actions();
    new TrayController('/assets', a, 'win32').update(input());
    theTray().emit('click');
    expect(a.openWindow).toHaveBeenCalled();
  });

  it('the pause choices count from the injected clock, not the wall clock', () => {
    vi.useFakeTimers({ now: new Date(2030, 5, 1, 23, 59) });
    try {
      const a = actions();
      new TrayController('/assets', a, 'linux', clock).update(input());
      menu().find('For 1 hour')?.click?.({ checked: false });
      menu().find('Until tomorrow')?.click?.({ checked: false });
      expect(a.pause.mock.calls).toEqual([
        [NOW + HOUR_MS],
        [new Date(2025, 0, 16, 8, 0).getTime()],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('tomorrowMorning is 08:00 the next day', () => {
    const t = new Date(tomorrowMorning(new Date(2025, 0, 31, 23, 30).getTime()));
    expect([t.getMonth(), t.getDate(), t.getHours(), t.getMinutes()]).toEqual([1, 1, 8, 0]);
  });
});
