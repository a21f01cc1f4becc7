// A hand-written stand-in for the `electron` module (the binary cannot be installed here): every
// API the shell touches, recording what was asked of it so tests can assert on windows, trays,
// menus, notifications, IPC handlers, protocol handlers and safeStorage calls.
// Use: vi.mock('electron', () => import('../mocks/electron.js')); then resetElectron() per test.
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Handler = (...args: unknown[]) => unknown;

export const state = {
  notificationsSupported: true,
  encryptionAvailable: true,
  storageBackend: 'gnome_libsecret' as string,
  online: true,
  singleInstance: true,
  userData: join(tmpdir(), 'orderbell-mock-userdata'),
  appPath: process.cwd(),
  loginItem: { openAtLogin: false, wasOpenedAtLogin: false },
};

// ---- sessions and web contents ------------------------------------------------------------------

export class FakeSession {
  headersReceived: Handler | undefined;
  readonly webRequest = {
    onHeadersReceived: (h: Handler | null) => {
      this.headersReceived = h ?? undefined;
    },
  };
  permissionRequestHandler: Handler | undefined;
  permissionCheckHandler: Handler | undefined;
  setPermissionRequestHandler(h: Handler | null): void {
    this.permissionRequestHandler = h ?? undefined;
  }
  setPermissionCheckHandler(h: Handler | null): void {
    this.permissionCheckHandler = h ?? undefined;
  }
}

export const session = { defaultSession: new FakeSession() };

export class FakeWebContents extends EventEmitter {
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly session = session.defaultSession;
  url = '';
  destroyed = false;

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args: structuredClone(args) });
  }
  setWindowOpenHandler(h: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Test helper: fire a cancellable event and tell whether a listener prevented it. */
  attempt(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    const e = { preventDefault: () => (prevented = true) };
    this.emit(event, e, ...args);
    return prevented;
  }
}

/** What an IPC event looks like to a handler. */
export function ipcEvent(
  sender: FakeWebContents | undefined,
  frameUrl: string | null,
): { sender: FakeWebContents | undefined; senderFrame: { url: string } | null } {
  return { sender, senderFrame: frameUrl === null ? null : { url: frameUrl } };
}

// ---- BrowserWindow -------------------------------------------------------------------------------

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  visible = false;
  focused = false;
  minimized = false;
  destroyed = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
  }
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.created.filter((w) => !w.destroyed);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused = true;
    this.emit('focus');
  }
  isFocused(): boolean {
    return this.focused;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  close(): void {
    if (this.destroyed) return;
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

// ---- Tray, Menu, nativeImage ----------------------------------------------------------------------

export class FakeImage {
  template = false;
  constructor(readonly path: string) {}
  setTemplateImage(on: boolean): void {
    this.template = on;
  }
  isEmpty(): boolean {
    return false;
  }
}

export const nativeImage = {
  createFromPath: (path: string) => new FakeImage(path),
  createEmpty: () => new FakeImage(''),
};

export interface FakeMenuItem {
  label?: string;
  type?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: (item: { checked: boolean }) => void;
  submenu?: FakeMenuItem[];
}

export class FakeMenu {
  constructor(readonly items: FakeMenuItem[]) {}
  /** Test helper: the item whose label starts with `prefix`, searching submenus too. */
  find(prefix: string): FakeMenuItem | undefined {
    const walk = (items: FakeMenuItem[]): FakeMenuItem | undefined => {
      for (const item of items) {
        if (item.label?.startsWith(prefix)) return item;
        const inner = item.submenu && walk(item.submenu);
        if (inner) return inner;
      }
      return undefined;
    };
    return walk(this.items);
  }
  labels(): string[] {
    return this.items.filter((i) => i.type !== 'separator').map((i) => i.label ?? '');
  }
}

export const Menu = {
  applicationMenu: undefined as FakeMenu | null | undefined,
  setApplicationMenu(menu: FakeMenu | null): void {
    Menu.applicationMenu = menu;
  },
  buildFromTemplate: (template: FakeMenuItem[]) => new FakeMenu(template),
};

export class Tray extends EventEmitter {
  static readonly created: Tray[] = [];
  image: FakeImage;
  tooltip = '';
  contextMenu: FakeMenu | undefined;
  readonly history: { image: string; tooltip: string }[] = [];
  menuSets = 0;
  destroyed = false;

  constructor(image: FakeImage) {
    super();
    this.image = image;
    Tray.created.push(this);
  }
  setImage(image: FakeImage): void {
    this.image = image;
    this.history.push({ image: image.path, tooltip: this.tooltip });
  }
  setToolTip(tooltip: string): void {
    this.tooltip = tooltip;
  }
  setContextMenu(menu: FakeMenu): void {
    this.contextMenu = menu;
    this.menuSets += 1;
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

// ---- Notification ----------------------------------------------------------------------------------

export class Notification extends EventEmitter {
  static readonly created: Notification[] = [];
  shown = false;
  closed = false;

  constructor(
    readonly options: {
      title?: string;
      body?: string;
      silent?: boolean;
      sound?: string;
      icon?: unknown;
      actions?: { type: string; text?: string }[];
    },
  ) {
    super();
    Notification.created.push(this);
  }
  static isSupported(): boolean {
    return state.notificationsSupported;
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', {});
  }
}

// ---- IPC -------------------------------------------------------------------------------------------

export const ipcMain = Object.assign(new EventEmitter(), {
  handlers: new Map<string, Handler>(),
  handle(channel: string, handler: Handler): void {
    if (ipcMain.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    ipcMain.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    ipcMain.handlers.delete(channel);
  },
  /** Test helper: call a registered handler as Electron would. */
  async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  },
});

/** Renderer side, for the preload: invoke goes straight to ipcMain's handlers. */
export const ipcRenderer = Object.assign(new EventEmitter(), {
  invoked: [] as { channel: string; args: unknown[] }[],
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    ipcRenderer.invoked.push({ channel, args });
    return Promise.resolve({ channel, args });
  },
});

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(name: string, api: unknown): void {
    contextBridge.exposed.set(name, api);
  },
};

// ---- safeStorage -----------------------------------------------------------------------------------

/** Reversible but not readable: bytes XOR 0x5a behind a marker, so plaintext never shows in files. */
export const safeStorage = {
  encrypted: 0,
  decrypted: 0,
  isEncryptionAvailable: () => state.encryptionAvailable,
  getSelectedStorageBackend: () => state.storageBackend,
  encryptString(plain: string): Buffer {
    if (!state.encryptionAvailable) throw new Error('Encryption is not available.');
    safeStorage.encrypted += 1;
    const bytes = Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a);
    return Buffer.concat([Buffer.from('v10'), bytes]);
  },
  decryptString(data: Buffer): string {
    if (data.subarray(0, 3).toString() !== 'v10')
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString.',
      );
    safeStorage.decrypted += 1;
    return Buffer.from(data.subarray(3).map((b) => b ^ 0x5a)).toString('utf8');
  },
};

// ---- app, power, net, protocol, shell -----------------------------------------------------------------

export const app = Object.assign(new EventEmitter(), {
  appUserModelId: undefined as string | undefined,
  quitCalls: 0,
  loginItemCalls: [] as unknown[],
  getPath: (name: string) => (name === 'userData' ? state.userData : join(tmpdir(), name)),
  getAppPath: () => state.appPath,
  setPath(name: string, path: string): void {
    if (name === 'userData') state.userData = path;
  },
  getVersion: () => '0.0.0-test',
  getName: () => 'Orderbell',
  isPackaged: false,
  setAppUserModelId(id: string): void {
    app.appUserModelId = id;
  },
  requestSingleInstanceLock: () => state.singleInstance,
  /** Schemes registered with setAsDefaultProtocolClient, with the arguments given. */
  protocolClients: [] as { scheme: string; path?: string; args?: string[] }[],
  setAsDefaultProtocolClient(scheme: string, path?: string, args?: string[]): boolean {
    app.protocolClients.push({
      scheme,
      ...(path !== undefined ? { path } : {}),
      ...(args !== undefined ? { args } : {}),
    });
    return true;
  },
  quit(): void {
    app.quitCalls += 1;
  },
  exit(): void {
    app.quitCalls += 1;
  },
  whenReady: () => Promise.resolve(),
  isReady: () => true,
  getLoginItemSettings: () => ({ ...state.loginItem }),
  setLoginItemSettings(settings: { openAtLogin?: boolean }): void {
    app.loginItemCalls.push(settings);
    state.loginItem.openAtLogin = Boolean(settings.openAtLogin);
  },
  getAppMetrics: () => [],
});

export const powerMonitor = new EventEmitter();

export const net = {
  isOnline: () => state.online,
  get online(): boolean {
    return state.online;
  },
};

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (request: { url: string }) => unknown>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    protocol.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: { url: string }) => unknown): void {
    protocol.handlers.set(scheme, handler);
  },
  unhandle(scheme: string): void {
    protocol.handlers.delete(scheme);
  },
};

export const shell = {
  opened: [] as string[],
  openExternal(url: string): Promise<void> {
    shell.opened.push(url);
    return Promise.resolve();
  },
  openPath: () => Promise.resolve(''),
};

export interface MessageBoxOptions {
  type?: string;
  title?: string;
  message: string;
  detail?: string;
  buttons?: string[];
  defaultId?: number;
  cancelId?: number;
}

export const dialog = {
  shown: [] as MessageBoxOptions[],
  /** Picks the button pressed (its index); default: the cancel button. */
  answer: undefined as ((options: MessageBoxOptions) => number) | undefined,
  showMessageBox(options: MessageBoxOptions): Promise<{ response: number }> {
    dialog.shown.push(structuredClone(options));
    const response = dialog.answer ? dialog.answer(options) : (options.cancelId ?? 0);
    return Promise.resolve({ response });
  },
};

/** Forget everything recorded; call in beforeEach. */
export function resetElectron(): void {
  state.notificationsSupported = true;
  state.encryptionAvailable = true;
  state.storageBackend = 'gnome_libsecret';
  state.online = true;
  state.singleInstance = true;
  state.loginItem = { openAtLogin: false, wasOpenedAtLogin: false };
  BrowserWindow.created.length = 0;
  for (const t of Tray.created) t.destroy();
  Tray.created.length = 0;
  Notification.created.length = 0;
  ipcMain.handlers.clear();
  ipcMain.removeAllListeners();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoked.length = 0;
  contextBridge.exposed.clear();
  safeStorage.encrypted = 0;
  safeStorage.decrypted = 0;
  app.removeAllListeners();
  app.appUserModelId = undefined;
  app.quitCalls = 0;
  app.loginItemCalls.length = 0;
  app.protocolClients.length = 0;
  powerMonitor.removeAllListeners();
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  shell.opened.length = 0;
  dialog.shown.length = 0;
  dialog.answer = undefined;
  Menu.applicationMenu = undefined;
  session.defaultSession.permissionRequestHandler = undefined;
  session.defaultSession.permissionCheckHandler = undefined;
  session.defaultSession.headersReceived = undefined;
}

const electron = {
  app,
  BrowserWindow,
  contextBridge,
  dialog,
  ipcMain,
  ipcRenderer,
  Menu,
  nativeImage,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
};
export default electron;
