// IPC: one handler per command channel, each delegating to the bridge host; foreign senders are
// refused. The preload exposes exactly one object, the typed Bridge, over those channels.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';

vi.mock('electron', () => import('../mocks/electron.js'));
vi.mock('electron-store', () => import('../mocks/electron-store.js'));

const electron = await import('../mocks/electron.js');
const { registerIpc, isTrustedSender, UntrustedSenderError } =
  await import('../../src-main/app/ipc.js');
const { COMMAND_CHANNELS, CHANGES_CHANNEL } = await import('../../src-main/shared/bridge.js');
type Bridge = import('../../src-main/shared/bridge.js').Bridge;
const { startHarness, eventFrom, lastWindow } = await import('../mocks/app-harness.js');
type Harness = import('../mocks/app-harness.js').Harness;

const SOURCES = parseConfig({
  sources: [{ id: 'nx', provider: 'nexchange', url: 'ws://127.0.0.1:1/', orders: ['N1'] }],
}).config.sources;

beforeEach(() => electron.resetElectron());

describe('registerIpc', () => {
  it('registers exactly one handler per command channel, and removes them', () => {
    const off = registerIpc({ invoke: vi.fn() });
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(
      Object.values(COMMAND_CHANNELS).sort(),
    );
    off();
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it('delegates each channel to its command with the request', async () => {
    const invoke = vi.fn(async (command: string) => ({ ok: true, command }));
    registerIpc({ invoke });
    for (const [command, channel] of Object.entries(COMMAND_CHANNELS)) {
      const result = await electron.ipcMain.invoke(channel, eventFrom(undefined), { x: 1 });
      expect(result).toEqual({ ok: true, command });
      expect(invoke).toHaveBeenLastCalledWith(command, { x: 1 }, expect.anything());
    }
  });

  it('rejects senders that are not our app:// frame', async () => {
    const invoke = vi.fn();
    registerIpc({ invoke });
    const foreign = [
      eventFrom(undefined, 'https://evil.example/'),
      eventFrom(undefined, 'file:///home/me/page.html'),
      eventFrom(undefined, 'app://other-host/index.html'),
      eventFrom(undefined, 'http://127.0.0.1:5173/'),
      eventFrom(undefined, 'not a url'),
      electron.ipcEvent(undefined, null),
    ];
    for (const event of foreign) {
      await expect(
        electron.ipcMain.invoke(COMMAND_CHANNELS.removeSource, event, { id: 'nx' }),
      ).rejects.toThrow(UntrustedSenderError);
    }
    expect(invoke).not.toHaveBeenCalled();
    expect(isTrustedSender(eventFrom(undefined, 'app://orderbell/index.html#/settings'))).toBe(
      true,
    );
  });

  it('rejects our origin from a WebContents that is not our window', async () => {
    const invoke = vi.fn();
    const mine = new electron.FakeWebContents();
    registerIpc({ invoke, isOurWindow: (e) => e.sender === (mine as never) });
    const other = electron.ipcEvent(new electron.FakeWebContents(), 'app://orderbell/index.html');
    await expect(electron.ipcMain.invoke(COMMAND_CHANNELS.snapshot, other)).rejects.toThrow(
      UntrustedSenderError,
    );
    await electron.ipcMain.invoke(
      COMMAND_CHANNELS.snapshot,
      electron.ipcEvent(mine, 'app://orderbell/'),
    );
    expect(invoke).toHaveBeenCalledTimes(1);
  });
});

describe('IPC in the running shell', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.desktop.stop();
    h = undefined;
  });

  it('commands from the window reach the bridge host; a foreign frame changes nothing', async () => {
    h = await startHarness({ sources: SOURCES, demo: false, hidden: false });
    const win = lastWindow();
    await expect(
      electron.ipcMain.invoke(COMMAND_CHANNELS.addOrder, eventFrom(win, 'https://evil.example/'), {
        source: 'nx',
        orderId: 'EVIL',
      }),
    ).rejects.toThrow(UntrustedSenderError);
    expect(h.engine.calls).not.toContain('watch nx EVIL');
    const ok = await electron.ipcMain.invoke(COMMAND_CHANNELS.addOrder, eventFrom(win), {
      source: 'nx',
      orderId: 'N2',
    });
    expect(ok).toEqual({ ok: true });
    expect(h.engine.calls).toContain('watch nx N2');
    const bad = await electron.ipcMain.invoke(COMMAND_CHANNELS.addOrder, eventFrom(win), {
      source: 'nx',
      orderId: '',
    });
    expect(bad).toMatchObject({ ok: false, field: 'orderId' });
    const reconnect = await electron.ipcMain.invoke(COMMAND_CHANNELS.reconnect, eventFrom(win), {});
    expect(reconnect).toEqual({ ok: true });
    expect(h.engine.calls).toContain('reconnectAll');
  });

  it('changes stream to the window only after its snapshot, on the changes channel', async () => {
    h = await startHarness({ sources: SOURCES, demo: false, hidden: false });
    const win = lastWindow();
    h.engine.order('nx', 'N1', 'processing', '12');
    await new Promise((r) => setTimeout(r, 120));
    expect(win.webContents.sent).toHaveLength(0);
    const snap = (await electron.ipcMain.invoke(
      COMMAND_CHANNELS.snapshot,
      eventFrom(win),
      undefined,
    )) as {
      seq: number;
      orders: unknown[];
    };
    expect(snap.orders).toHaveLength(1);
    h.engine.order('nx', 'N1', 'completed', '16');
    await vi.waitFor(() => expect(win.webContents.sent.length).toBeGreaterThan(0));
    const first = win.webContents.sent[0];
    expect(first?.channel).toBe(CHANGES_CHANNEL);
    expect((first?.args[0] as { seq: number }).seq).toBeGreaterThan(snap.seq);
  });

  it('external links from the window open only as https after validation', async () => {
    h = await startHarness({ sources: SOURCES, demo: false, hidden: false });
    const win = lastWindow();
    const ok = await electron.ipcMain.invoke(COMMAND_CHANNELS.openExternal, eventFrom(win), {
      url: 'https://n.exchange/order/N1',
    });
    expect(ok).toEqual({ ok: true });
    const bad = await electron.ipcMain.invoke(COMMAND_CHANNELS.openExternal, eventFrom(win), {
      url: 'file:///etc/passwd',
    });
    expect(bad).toMatchObject({ ok: false });
    expect(electron.shell.opened).toEqual(['https://n.exchange/order/N1']);
  });
});

describe('preload', () => {
  it('exposes only window.orderbell: invoke over the command channels and onChanges', async () => {
    await import('../../src-main/preload/preload.js');
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['orderbell']);
    const bridge = electron.contextBridge.exposed.get('orderbell') as Bridge;
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onChanges']);

    await bridge.invoke('addOrder', { source: 'nx', orderId: 'N1' });
    expect(electron.ipcRenderer.invoked.at(-1)).toEqual({
      channel: COMMAND_CHANNELS.addOrder,
      args: [{ source: 'nx', orderId: 'N1' }],
    });
    await expect(bridge.invoke('__proto__' as never, undefined as never)).rejects.toThrow(
      'unknown command',
    );
    await expect(bridge.invoke('constructor' as never, undefined as never)).rejects.toThrow(
      'unknown command',
    );

    const seen: unknown[] = [];
    const off = bridge.onChanges((batch) => seen.push(batch));
    electron.ipcRenderer.emit(CHANGES_CHANNEL, { sender: 'x' }, { seq: 3, changes: [] });
    off();
    electron.ipcRenderer.emit(CHANGES_CHANNEL, { sender: 'x' }, { seq: 4, changes: [] });
    expect(seen).toEqual([{ seq: 3, changes: [] }]);
    expect(electron.ipcRenderer.listenerCount(CHANGES_CHANNEL)).toBe(0);
  });
});
