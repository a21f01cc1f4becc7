// The status window: secure web preferences, navigation and new windows blocked, permissions
// denied, released when closed, changes held until the window has its snapshot; the app://
// protocol serves only the renderer folder, with a strict CSP.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../mocks/electron.js'));

const electron = await import('../mocks/electron.js');
const { StatusWindow, WINDOW_SIZE } = await import('../../src-main/app/window.js');
const { safeExternalUrl } = await import('../../src-main/app/external-url.js');
const {
  CONTENT_SECURITY_POLICY,
  enforceCsp,
  resolveAppFile,
  serveAppRequest,
  registerAppScheme,
  serveRenderer,
} = await import('../../src-main/app/protocol.js');
const { APP_ENTRY_URL } = await import('../../src-main/app/identity.js');
const { CHANGES_CHANNEL } = await import('../../src-main/shared/bridge.js');

beforeEach(() => electron.resetElectron());

function openWindow() {
  const onClosed = vi.fn();
  const onFocus = vi.fn();
  const w = new StatusWindow({ preload: '/app/dist/preload/preload.cjs', onClosed, onFocus });
  w.open();
  const bw = electron.BrowserWindow.created.at(-1);
  if (!bw) throw new Error('no window created');
  return { w, bw, onClosed, onFocus };
}

describe('window creation', () => {
  it('uses the locked-down web preferences and a small size', () => {
    const { bw } = openWindow();
    const prefs = bw.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      preload: '/app/dist/preload/preload.cjs',
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(bw.options).toMatchObject({ width: WINDOW_SIZE.width, height: WINDOW_SIZE.height });
    expect(WINDOW_SIZE).toMatchObject({ width: 420, height: 640 });
  });

  it('loads the renderer from app://, never file://', () => {
    const { bw } = openWindow();
    expect(bw.loadedUrl).toBe(APP_ENTRY_URL);
    expect(bw.loadedUrl?.startsWith('app://orderbell/')).toBe(true);
  });

  it('shows when ready and reuses the open window', () => {
    const { w, bw } = openWindow();
    bw.emit('ready-to-show');
    expect(bw.visible).toBe(true);
    w.open();
    expect(electron.BrowserWindow.created).toHaveLength(1);
  });
});

describe('navigation, new windows, permissions', () => {
  it('blocks every navigation, redirect and webview', () => {
    const { bw } = openWindow();
    expect(bw.webContents.attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(bw.webContents.attempt('will-navigate', 'app://orderbell/other.html')).toBe(true);
    expect(bw.webContents.attempt('will-redirect', 'https://evil.example/')).toBe(true);
    expect(bw.webContents.attempt('will-attach-webview', {}, {})).toBe(true);
  });

  it('denies new windows and opens only validated http(s) links in the browser', () => {
    const { bw } = openWindow();
    const handler = bw.webContents.windowOpenHandler;
    expect(handler).toBeDefined();
    expect(handler?.({ url: 'https://houdiniswap.com/order/1' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'https://user:pw@example.com/' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'smb://host/share' })).toEqual({ action: 'deny' });
    expect(electron.shell.opened).toEqual(['https://houdiniswap.com/order/1']);
  });

  it('validates external URLs strictly', () => {
    expect(safeExternalUrl('http://example.com/a?b=1')).toBe('http://example.com/a?b=1');
    expect(safeExternalUrl('HTTPS://Example.com')).toBe('https://example.com/');
    for (const bad of ['', 'x', 'file:///c:/x', 'ms-settings:', 'https://', 42, 'https://a@b.c/']) {
      expect(safeExternalUrl(bad)).toBeUndefined();
    }
    expect(safeExternalUrl(`https://example.com/${'a'.repeat(3000)}`)).toBeUndefined();
  });

  it('denies every permission request and check', () => {
    openWindow();
    const s = electron.session.defaultSession;
    const callback = vi.fn();
    s.permissionRequestHandler?.({}, 'notifications', callback);
    s.permissionRequestHandler?.({}, 'media', callback);
    expect(callback.mock.calls).toEqual([[false], [false]]);
    expect(s.permissionCheckHandler?.({}, 'clipboard-read')).toBe(false);
  });
});

describe('release when closed', () => {
  it('destroys the window on close and creates a fresh one on open', () => {
    const { w, bw, onClosed } = openWindow();
    bw.close();
    expect(bw.isDestroyed()).toBe(true);
    expect(w.current).toBeUndefined();
    expect(onClosed).toHaveBeenCalledTimes(1);
    w.open();
    expect(electron.BrowserWindow.created).toHaveLength(2);
    expect(w.current).toBe(electron.BrowserWindow.created[1]);
  });

  it('reports focus (unread failures are read)', () => {
    const { bw, onFocus } = openWindow();
    bw.focus();
    expect(onFocus).toHaveBeenCalled();
  });
});

describe('messages wait until the window is ready', () => {
  it('queues batches until the window asked for its snapshot, then delivers in order', () => {
    const { w, bw } = openWindow();
    w.send({ seq: 1, changes: [] });
    w.send({ seq: 2, changes: [] });
    expect(bw.webContents.sent).toHaveLength(0);
    expect(w.isReady).toBe(false);
    w.markReady(new electron.FakeWebContents() as never); // another page: ignored
    expect(w.isReady).toBe(false);
    w.markReady(bw.webContents as never);
    expect(w.isReady).toBe(true);
    w.send({ seq: 3, changes: [] });
    expect(bw.webContents.sent.map((m) => m.channel)).toEqual([
      CHANGES_CHANNEL,
      CHANGES_CHANNEL,
      CHANGES_CHANNEL,
    ]);
    expect(bw.webContents.sent.map((m) => (m.args[0] as { seq: number }).seq)).toEqual([1, 2, 3]);
  });

  it('a recreated window starts not ready; nothing is sent to a closed one', () => {
    const { w, bw } = openWindow();
    w.markReady(bw.webContents as never);
    bw.close();
    w.send({ seq: 4, changes: [] });
    w.open();
    expect(w.isReady).toBe(false);
    expect(bw.webContents.sent).toHaveLength(0);
  });
});

describe('app:// protocol', () => {
  const root = mkdtempSync(join(tmpdir(), 'orderbell-renderer-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Orderbell</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');

  it('is registered as a privileged standard secure scheme and handled', () => {
    registerAppScheme();
    expect(electron.protocol.privileged).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    serveRenderer(root);
    expect(electron.protocol.handlers.has('app')).toBe(true);
  });

  it('maps URLs into the renderer folder only', () => {
    expect(resolveAppFile(root, 'app://orderbell/')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://orderbell/assets/app.js')).toBe(
      join(root, 'assets', 'app.js'),
    );
    expect(resolveAppFile(root, 'app://orderbell/../secret')).toBe(join(root, 'secret'));
    // The URL parser folds dot segments (also %2e%2e) before we see them: still inside the root.
    expect(resolveAppFile(root, 'app://orderbell/%2e%2e/%2e%2e/etc/passwd')).toBe(
      join(root, 'etc', 'passwd'),
    );
    expect(resolveAppFile(root, 'app://orderbell/..%2f..%2fetc%2fpasswd')).toBeUndefined();
    expect(resolveAppFile(root, 'app://other/index.html')).toBeUndefined();
    expect(resolveAppFile(root, 'file:///etc/passwd')).toBeUndefined();
  });

  it('serves files with a strict CSP and refuses the rest', async () => {
    const page = await serveAppRequest(root, 'app://orderbell/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('Orderbell');
    const js = await serveAppRequest(root, 'app://orderbell/assets/app.js');
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await serveAppRequest(root, 'app://orderbell/missing.js')).status).toBe(404);
    expect((await serveAppRequest(root, 'app://orderbell/..%2f..%2fetc%2fpasswd')).status).toBe(
      404,
    );
  });

  it('every session response gets the same CSP header', () => {
    enforceCsp(electron.session.defaultSession as never);
    const callback = vi.fn();
    electron.session.defaultSession.headersReceived?.(
      { responseHeaders: { 'content-type': ['text/html'] } },
      callback,
    );
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: {
        'content-type': ['text/html'],
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });

  it('the CSP allows no remote or inline script, no eval, no framing', () => {
    const csp = CONTENT_SECURITY_POLICY;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:|\*)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
  });
});
