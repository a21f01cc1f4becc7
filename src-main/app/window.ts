// The status window: small, locked down, loaded from app://, and DESTROYED when closed so an idle
// tray app holds no renderer process. Messages for the window wait until it has asked for its
// snapshot (the Electron Fiddle pattern), so nothing is shown out of order or lost while loading.
import { BrowserWindow, shell, type WebContents } from 'electron';
import type { ChangeBatch } from '../shared/bridge.js';
import { CHANGES_CHANNEL } from '../shared/bridge.js';
import { safeExternalUrl } from './external-url.js';
import { APP_ENTRY_URL, PRODUCT_NAME } from './identity.js';

/** Batches kept for a window that has not asked for its snapshot yet. */
const MAX_QUEUED = 1000;

export const WINDOW_SIZE = { width: 420, height: 640, minWidth: 360, minHeight: 480 } as const;

export interface WindowOptions {
  preload: string;
  icon?: string;
  url?: string;
  /** Called with every new window (the host attaches the change stream here). */
  onCreated?: (win: BrowserWindow) => void;
  /** Called after the window is gone (closed by the user or released). */
  onClosed?: () => void;
  /** Called when the window shows or gains focus (unread failures count as read). */
  onFocus?: () => void;
}

/** Refuses every navigation and new window; http(s) links go to the browser after validation. */
export function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const safe = safeExternalUrl(url);
    if (safe) void shell.openExternal(safe);
    return { action: 'deny' };
  });
  const session = contents.session;
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export class StatusWindow {
  private win: BrowserWindow | undefined;
  private ready = false;
  private queue: ChangeBatch[] = [];

  constructor(private readonly opts: WindowOptions) {}

  get current(): BrowserWindow | undefined {
    return this.win;
  }

  /** Shows the window, creating it when it was released; focuses it. */
  open(): BrowserWindow {
    const existing = this.win;
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return existing;
    }
    return this.create();
  }

  /** Closes (and so destroys) the window; the tray keeps running. */
  close(): void {
    const win = this.win;
    if (win && !win.isDestroyed()) win.close();
  }

  /** The window exists and has fetched its snapshot. */
  get isReady(): boolean {
    return this.ready && this.win !== undefined && !this.win.isDestroyed();
  }

  isFrom(contents: WebContents): boolean {
    const win = this.win;
    return Boolean(win && !win.isDestroyed() && win.webContents === contents);
  }

  /** The window asked for its snapshot: it listens now, so queued batches are delivered. */
  markReady(contents: WebContents): void {
    if (!this.isFrom(contents)) return;
    this.ready = true;
    const queued = this.queue;
    this.queue = [];
    for (const batch of queued) this.deliver(batch);
  }

  /** Sends a batch of changes, or keeps it until the window is ready; dropped when no window. */
  send(batch: ChangeBatch): void {
    if (!this.win || this.win.isDestroyed()) return;
    if (!this.ready) {
      // Everything queued before the snapshot is also in it; the cap only bounds a stuck window.
      if (this.queue.length >= MAX_QUEUED) this.queue.shift();
      this.queue.push(batch);
      return;
    }
    this.deliver(batch);
  }

  private deliver(batch: ChangeBatch): void {
    const win = this.win;
    if (!win || win.isDestroyed()) return;
    win.webContents.send(CHANGES_CHANNEL, batch);
  }

  private create(): BrowserWindow {
    const win = new BrowserWindow({
      ...WINDOW_SIZE,
      title: PRODUCT_NAME,
      show: false,
      autoHideMenuBar: true,
      backgroundColor: '#1b1f24',
      ...(this.opts.icon ? { icon: this.opts.icon } : {}),
      // Electron's security checklist, written out here (not built elsewhere) so static checkers
      // such as Electronegativity see every setting at the one place windows are created.
      webPreferences: {
        preload: this.opts.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        spellcheck: false,
        // Middle-click would otherwise open links in a new window outside the open handler.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    this.win = win;
    this.ready = false;
    this.queue = [];
    lockDown(win.webContents);
    win.once('ready-to-show', () => {
      win.show();
      win.focus();
    });
    win.on('focus', () => this.opts.onFocus?.());
    win.on('closed', () => {
      if (this.win === win) {
        this.win = undefined;
        this.ready = false;
        this.queue = [];
      }
      this.opts.onClosed?.();
    });
    this.opts.onCreated?.(win);
    void win.loadURL(this.opts.url ?? APP_ENTRY_URL);
    return win;
  }
}
