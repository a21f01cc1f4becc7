// Electron entry. Before `ready`: no default menu, one instance only, the AppUserModelID Windows
// needs for notifications, the app:// scheme. After `ready`, the rest is imported lazily
// (desktop.ts) so the first instance starts fast and a second one exits at once.
import { resolve } from 'node:path';
import { app, Menu } from 'electron';
import { LINK_SCHEME, linkInArgv } from './deep-link.js';
import { APP_USER_MODEL_ID } from './identity.js';
import { registerAppScheme } from './protocol.js';

/** Shutdown gets this long to save state before the app exits anyway. */
const QUIT_DEADLINE_MS = 3_000;

interface Running {
  openWindow(): void;
  openLink(link: string): boolean;
  window: { close(): void };
  stop(): Promise<void>;
}

Menu.setApplicationMenu(null);
// bench:desktop runs in a throw-away profile (set before the single-instance lock, which is per
// profile).
const benchProfile =
  process.env.ORDERBELL_BENCH === '1' ? process.env.ORDERBELL_USER_DATA : undefined;
if (benchProfile) app.setPath('userData', benchProfile);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.setAppUserModelId(APP_USER_MODEL_ID);
  registerAppScheme();
  // orderbell://order/<source>/<orderId> opens this app. Unpackaged (`electron .`), Windows must be
  // told the script to run as well, or the link would start a bare Electron.
  if (process.defaultApp && process.argv[1] !== undefined) {
    app.setAsDefaultProtocolClient(LINK_SCHEME, process.execPath, [resolve(process.argv[1])]);
  } else {
    app.setAsDefaultProtocolClient(LINK_SCHEME);
  }

  let running: Running | undefined;
  let openWhenReady = false;
  let linkWhenReady: string | undefined;
  let stopped = false;

  const openWindow = () => {
    if (running) running.openWindow();
    else openWhenReady = true;
  };
  const openLink = (link: string) => {
    if (running) running.openLink(link);
    else linkWhenReady = link;
  };

  // A second launch (e.g. from the app menu) shows the running instance's window; on Windows and
  // Linux a link the OS opened arrives here, as an argument of that launch.
  app.on('second-instance', (_event: unknown, argv: string[] = []) => {
    const link = linkInArgv(argv);
    if (link !== undefined) openLink(link);
    else openWindow();
  });
  // macOS hands links over with open-url, possibly before ready (a link that launched the app).
  app.on('open-url', (event: { preventDefault(): void }, url: string) => {
    event.preventDefault();
    openLink(url);
  });
  // Windows and Linux: a link that launched the app is one of our own arguments.
  const launchLink = linkInArgv(process.argv.slice(1));
  if (launchLink !== undefined) linkWhenReady = launchLink;
  // macOS: clicking the dock icon.
  app.on('activate', openWindow);
  // Closing the window leaves the tray running: no quit here.
  app.on('window-all-closed', () => undefined);

  app.on('will-quit', (event) => {
    if (stopped || !running) return;
    event.preventDefault();
    const current = running;
    const done = () => {
      stopped = true;
      app.quit();
    };
    setTimeout(done, QUIT_DEADLINE_MS).unref();
    current.stop().then(done, (err: unknown) => {
      process.stderr.write(`orderbell: error while stopping: ${String(err)}\n`);
      done();
    });
  });

  const hidden =
    process.argv.includes('--hidden') || app.getLoginItemSettings().wasOpenedAtLogin === true;

  app
    .whenReady()
    .then(async () => {
      // macOS routes Cmd+C / Cmd+V through the application menu: without an Edit menu, pasting an
      // order id into the window would not work. Roles only: no reload, no devtools.
      if (process.platform === 'darwin') {
        Menu.setApplicationMenu(
          Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }]),
        );
      }
      const { startDesktop } = await import('./desktop.js');
      const bench = process.env.ORDERBELL_BENCH === '1';
      const desktop = await startDesktop({
        hidden: bench || (hidden && !openWhenReady && linkWhenReady === undefined),
      });
      running = desktop;
      if (linkWhenReady !== undefined) desktop.openLink(linkWhenReady);
      else if (openWhenReady) desktop.openWindow();
      linkWhenReady = undefined;
      if (bench) {
        const { runDesktopBench } = await import('./bench.js');
        await runDesktopBench(desktop, { out: process.env.ORDERBELL_BENCH_OUT });
        app.quit();
      }
    })
    .catch((err: unknown) => {
      // The user chose Quit in the state-folder dialog: nothing started, nothing failed.
      if ((err as Error).name === 'StateFolderDeclined') return app.quit();
      process.stderr.write(`orderbell: fatal: ${(err as Error).stack ?? String(err)}\n`);
      app.exit(1);
    });
}
