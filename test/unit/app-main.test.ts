// main.ts before and after `ready`: no default menu, the AppUserModelID (= electron-builder appId),
// the app:// scheme, a single instance, closing the window keeps the tray, quitting saves state.
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../mocks/electron.js'));

const running = {
  openWindow: vi.fn(),
  openLink: vi.fn((_link: string) => true),
  stop: vi.fn(async () => undefined),
};
const startDesktop = vi.fn(async (_opts: { hidden?: boolean }) => running);
vi.mock('../../src-main/app/desktop.js', () => ({ startDesktop }));

const electron = await import('../mocks/electron.js');
let loads = 0;

/** Evaluates main.ts afresh (a new module instance per call) against a reset electron mock. */
async function loadMain(setup: (e: typeof electron) => void = () => undefined) {
  electron.resetElectron();
  setup(electron);
  loads += 1;
  const entry = `../../src-main/app/main.js?load=${loads}`;
  await import(/* @vite-ignore */ entry);
  return electron;
}

beforeEach(() => {
  startDesktop.mockClear();
  running.openWindow.mockClear();
  running.openLink.mockClear();
  running.stop.mockClear();
});

describe('main.ts', () => {
  it('Quit in the state-folder dialog quits quietly: no fatal line, no exit 1', async () => {
    const declined = Object.assign(new Error('state folder in use'), {
      name: 'StateFolderDeclined',
    });
    startDesktop.mockRejectedValueOnce(declined);
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = vi.spyOn(electron.app, 'exit');
    try {
      const e = await loadMain();
      await vi.waitFor(() => expect(e.app.quitCalls).toBe(1));
      expect(exit).not.toHaveBeenCalled();
      expect(write.mock.calls.map((c) => String(c[0])).join('')).not.toContain('fatal');
    } finally {
      write.mockRestore();
      exit.mockRestore();
    }
  });

  it('sets up before ready: no menu, AppUserModelID, app:// scheme', async () => {
    const electron = await loadMain();
    const { APP_USER_MODEL_ID } = await import('../../src-main/app/identity.js');
    expect(electron.Menu.applicationMenu).toBeNull();
    expect(electron.app.appUserModelId).toBe(APP_USER_MODEL_ID);
    expect(APP_USER_MODEL_ID).toBe('app.orderbell.desktop');
    expect(electron.protocol.privileged).toEqual([expect.objectContaining({ scheme: 'app' })]);
  });

  it('starts the desktop lazily once ready, visible unless started at login', async () => {
    await loadMain();
    await vi.waitFor(() => expect(startDesktop).toHaveBeenCalledTimes(1));
    expect(startDesktop).toHaveBeenCalledWith({ hidden: false });
    vi.clearAllMocks();
    await loadMain((e) => {
      e.state.loginItem.wasOpenedAtLogin = true;
    });
    await vi.waitFor(() => expect(startDesktop).toHaveBeenCalledWith({ hidden: true }));
  });

  it('a second instance quits at once; the first shows its window', async () => {
    const second = await loadMain((e) => {
      e.state.singleInstance = false;
    });
    expect(second.app.quitCalls).toBe(1);
    expect(startDesktop).not.toHaveBeenCalled();
    expect(second.app.appUserModelId).toBeUndefined();

    const first = await loadMain();
    await vi.waitFor(() => expect(startDesktop).toHaveBeenCalled());
    await vi.waitFor(() => undefined);
    first.app.emit('second-instance');
    expect(running.openWindow).toHaveBeenCalledTimes(1);
  });

  it('closing the last window does not quit (the tray keeps running)', async () => {
    const electron = await loadMain();
    expect(electron.app.listenerCount('window-all-closed')).toBe(1);
    electron.app.emit('window-all-closed');
    expect(electron.app.quitCalls).toBe(0);
  });

  it('quitting stops the engine first, then quits', async () => {
    const electron = await loadMain();
    await vi.waitFor(() => expect(startDesktop).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 0));
    let prevented = false;
    electron.app.emit('will-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(running.stop).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(electron.app.quitCalls).toBe(1));
    let again = false;
    electron.app.emit('will-quit', { preventDefault: () => (again = true) });
    expect(again).toBe(false);
  });

  it('registers orderbell:// as the app’s protocol before ready', async () => {
    const electron = await loadMain();
    expect(electron.app.protocolClients.map((c) => c.scheme)).toEqual(['orderbell']);
  });

  it('second-instance with a link in its argv opens that link; without one, the window', async () => {
    const electron = await loadMain();
    await vi.waitFor(() => expect(startDesktop).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 0));
    electron.app.emit('second-instance', {}, [
      'C:\\Program Files\\Orderbell\\Orderbell.exe',
      '--allow-file-access-from-files',
      'orderbell://order/nx/N1',
    ]);
    expect(running.openLink).toHaveBeenCalledWith('orderbell://order/nx/N1');
    expect(running.openWindow).not.toHaveBeenCalled();
    electron.app.emit('second-instance', {}, ['/usr/bin/orderbell']);
    expect(running.openWindow).toHaveBeenCalledTimes(1);
    expect(running.openLink).toHaveBeenCalledTimes(1);
  });

  it('macOS open-url: handled (default prevented) and passed on, also before ready', async () => {
    const electron = await loadMain();
    // before ready: kept, then opened once the desktop runs, which then starts visible
    let prevented = false;
    electron.app.emit(
      'open-url',
      { preventDefault: () => (prevented = true) },
      'orderbell://order/hd/H9',
    );
    expect(prevented).toBe(true);
    await vi.waitFor(() =>
      expect(running.openLink).toHaveBeenCalledWith('orderbell://order/hd/H9'),
    );
    expect(startDesktop).toHaveBeenCalledWith({ hidden: false });
    electron.app.emit('open-url', { preventDefault: () => undefined }, 'orderbell://order/nx/N2');
    expect(running.openLink).toHaveBeenLastCalledWith('orderbell://order/nx/N2');
  });

  it('a link that launched the app (Windows/Linux argv) is opened once it runs', async () => {
    const argv = process.argv;
    process.argv = [...argv, 'orderbell://order/nx/N7'];
    try {
      await loadMain((e) => {
        e.state.loginItem.wasOpenedAtLogin = true;
      });
    } finally {
      process.argv = argv;
    }
    await vi.waitFor(() =>
      expect(running.openLink).toHaveBeenCalledWith('orderbell://order/nx/N7'),
    );
    expect(startDesktop).toHaveBeenCalledWith({ hidden: false });
  });
});
