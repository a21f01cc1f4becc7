// The desktop app, put together once Electron is ready: settings (electron-store + safeStorage),
// the engine (FilePersistence in userData/state), the bridge host, and the four faces of the shell
// (window, tray, notifications, IPC) plus power/network wake-ups. main.ts imports this lazily.
// Wiring only: what each part does lives in its module (the tray's timers in tray-feed.ts).
import { join } from 'node:path';
import { app, session, shell } from 'electron';
import { parseConfig, type Config, type SourceConfig } from '../engine/config.js';
import { Engine } from '../engine/engine.js';
import { createLogger, type Logger } from '../engine/log.js';
import { SecretMask } from '../shared/secret-mask.js';
import { FilePersistence } from '../engine/persistence.js';
import type { OrderStore } from '../engine/store.js';
import {
  BridgeHost,
  forwardingOf,
  type BridgeClient,
  type EnginePort,
} from '../shared/bridge-host.js';
import { muteSourceFor } from '../shared/alert-policy.js';
import { startsInDemo } from '../shared/settings-port.js';
import { orderLink, parseOrderLink } from './deep-link.js';
import { DesktopDemo } from './demo-control.js';
import { safeExternalUrl } from './external-url.js';
import { registerIpc } from './ipc.js';
import { getStartAtLogin, setStartAtLogin } from './login-item.js';
import { Notifier } from './notifications.js';
import { watchPower } from './power.js';
import { enforceCsp, serveRenderer } from './protocol.js';
import { SecretBox } from './secrets.js';
import { DesktopSettings } from './settings-store.js';
import { AttentionFile } from '../shared/host/attention-file.js';
import { takeStateFolder } from './state-folder.js';
import { TrayController } from './tray.js';
import { readTrayFacts, TrayFeed } from './tray-feed.js';
import { usableSources } from './user-sources.js';
import { StatusWindow } from './window.js';

export interface DesktopPaths {
  /** Folder holding dist/, dist-renderer/ and assets/ (app.getAppPath()). */
  root: string;
  /** app.getPath('userData'). */
  userData: string;
}

/** What the shell needs of the engine (the real Engine; tests pass a fake). */
export type DesktopEngine = EnginePort &
  Pick<Engine, 'start' | 'stop'> & { readonly store: Pick<OrderStore, 'get' | 'all'> };

export interface DesktopOptions {
  /** Started at login: stay in the tray. */
  hidden?: boolean;
  paths?: DesktopPaths;
  log?: Logger;
  /** Demo simulator speed (tests). */
  demoSpeed?: number;
  /** Builds the engine; default: the real Engine with FilePersistence in userData/state. */
  createEngine?: (config: Config, stateDir: string, log: Logger) => DesktopEngine;
}

export interface Desktop {
  engine: DesktopEngine;
  host: BridgeHost;
  window: StatusWindow;
  tray: TrayController;
  notifier: Notifier;
  settings: DesktopSettings;
  openWindow(): void;
  /** Shows the window on this order (a notification was clicked). */
  focusOrder(source: string, orderId: string): void;
  /**
   * An orderbell://order/<source>/<orderId> link (from the OS or a notification): the window on
   * that order. A malformed link only opens the window; returns whether it named an order.
   */
  openLink(link: string): boolean;
  /** "Mute this source for 1 h" (a notification's button). */
  muteSource(source: string): Promise<void>;
  refreshTray(): void;
  stop(): Promise<void>;
}

function defaultPaths(): DesktopPaths {
  return { root: app.getAppPath(), userData: app.getPath('userData') };
}

/** Files Electron hands to the OS (notification icons) must be outside app.asar. */
function unpacked(path: string): string {
  return path.replace(/app\.asar(?=$|[\\/])/, 'app.asar.unpacked');
}

export async function startDesktop(opts: DesktopOptions = {}): Promise<Desktop> {
  const paths = opts.paths ?? defaultPaths();
  // Every source's secrets, masked in the log, the window and notifications (filled by the engine).
  const mask = new SecretMask();
  const log = opts.log ?? createLogger(undefined, mask);
  const assets = join(paths.root, 'assets');
  const appIcon = unpacked(join(assets, 'icon-256.png'));
  // Before anything starts: while a headless Orderbell holds the folder, nothing here may run.
  const stateDir = join(paths.userData, 'state');
  const lock = await takeStateFolder(stateDir, log);

  const secrets = new SecretBox();
  const settings = new DesktopSettings({ dir: paths.userData, secrets });
  // Read first: a secret that cannot be decrypted is recorded as a problem by this read.
  const saved = settings.getSources();
  const problems = [...settings.problems];
  if (!secrets.protected) log.warn('secrets are stored without OS protection (no keyring)');

  const demo = new DesktopDemo(opts.demoSpeed);
  const inDemo = startsInDemo(settings);
  let sources: SourceConfig[];
  let runDemo: (() => void) | undefined;
  if (inDemo) {
    const started = await demo.start();
    sources = parseConfig({ sources: started.sources }).config.sources;
    runDemo = started.run;
  } else {
    sources = usableSources(saved ?? [], problems);
  }
  // Forwarding targets and quiet hours saved from the window (their secrets sealed like a source's).
  const notify = settings.getNotify();
  for (const p of settings.problems) if (!problems.includes(p)) problems.push(p);
  for (const p of problems) log.error(p);
  mask.addSources(sources);
  mask.addTargets(notify?.targets ?? []);

  const createEngine =
    opts.createEngine ??
    ((config: Config, stateDir: string, logger: Logger): DesktopEngine =>
      new Engine({ config, persistence: new FilePersistence(stateDir), log: logger, mask }));
  const engine = createEngine(
    {
      sources,
      // The demo's simulated alerts are never forwarded (see NotifyFeed.apply).
      ...(notify && !inDemo ? { notify: notify.targets } : {}),
      ...(notify?.quietHours ? { quietHours: notify.quietHours } : {}),
    },
    stateDir,
    log,
  );
  const forwarding = forwardingOf(engine);

  let pendingFocus: { source: string; orderId: string } | undefined;
  let client: BridgeClient | undefined;
  let detach: (() => void) | undefined;

  // A click and the "Open order" button go through the same link the OS hands us.
  const openFocus = (focus: { source: string; orderId: string } | undefined): void => {
    if (focus) desktop.openLink(orderLink(focus.source, focus.orderId));
    else desktop.openWindow();
  };
  const notifier = new Notifier({
    icon: appIcon,
    onClick: openFocus,
    onAction: (action, focus) => {
      if (action === 'open') openFocus(focus);
      else void desktop.muteSource(focus.source);
    },
  });

  const attention = new AttentionFile(stateDir);
  const host = new BridgeHost({
    engine,
    settings,
    attention,
    log,
    demo: inDemo,
    demoControl: demo,
    problems,
    mask,
    ...(forwarding ? { forwarding } : {}),
    platform: {
      notificationsSupported: notifier.supported(),
      secretsProtected: secrets.protected,
      kind: 'electron',
    },
    openExternal: async (url) => {
      const safe = safeExternalUrl(url);
      if (!safe) throw new Error('refused to open this link');
      await shell.openExternal(safe);
    },
  });
  host.onAlert((notice) => notifier.show(notice));

  // The tray and the window are made below; the feed reaches them only when it draws.
  const trayFeed = new TrayFeed({
    draw: (input) => tray.update(input),
    facts: () => readTrayFacts({ engine, host }),
    windowFocused: () => window.current?.isFocused() ?? false,
  });
  const refreshTray = (): void => trayFeed.refresh();
  // The tray counts unread attention entries: an alert added or marked read redraws it.
  host.onAttention(refreshTray);
  engine.on((event) => trayFeed.follow(event));
  // A mark set or cleared is no engine event, and the tooltip counts marked orders.
  engine.onMark(refreshTray);

  const window = new StatusWindow({
    preload: join(paths.root, 'dist', 'preload', 'preload.cjs'),
    icon: appIcon,
    onCreated: () => {
      const c: BridgeClient = { send: (batch) => window.send(batch) };
      client = c;
      detach = host.attach(c);
    },
    onClosed: () => {
      detach?.();
      detach = undefined;
      client = undefined;
    },
    onFocus: () => trayFeed.windowSeen(),
  });

  registerIpc({
    isOurWindow: (event) => window.isFrom(event.sender),
    invoke: async (command, request) => {
      const result = await host.dispatch(command, request, client);
      // Prefs, sources and the demo switch all show in the tray as well.
      if (command !== 'snapshot') refreshTray();
      return result;
    },
    onSnapshot: (event) => {
      window.markReady(event.sender);
      // A notification click that created the window: focus the order now that it listens.
      if (pendingFocus) {
        host.focusOrder(pendingFocus.source, pendingFocus.orderId);
        pendingFocus = undefined;
      }
    },
  });

  const tray = new TrayController(assets, {
    openWindow: () => desktop.openWindow(),
    pause: (until) => {
      void host.invoke('setPrefs', { pausedUntil: until }).then(() => refreshTray());
    },
    reconnectAll: () => engine.reconnectAll(),
    getStartAtLogin: () => getStartAtLogin(),
    setStartAtLogin: (on) => {
      try {
        setStartAtLogin(on);
      } catch (err) {
        log.error({ err: (err as Error).message }, 'start at login could not be changed');
      }
      refreshTray();
    },
    quit: () => app.quit(),
  });

  const stopPower = watchPower({ reconnectAll: () => engine.reconnectAll() });

  enforceCsp(session.defaultSession);
  serveRenderer(join(paths.root, 'dist-renderer'));
  await engine.start();
  for (const p of engine.problems) log.error(p);
  runDemo?.();
  trayFeed.draw();

  const desktop: Desktop = {
    engine,
    host,
    window,
    tray,
    notifier,
    settings,
    refreshTray,
    openWindow: () => {
      window.open();
    },
    focusOrder: (source, orderId) => {
      window.open();
      // A window still loading gets the focus change right after its snapshot (see onSnapshot).
      if (window.isReady) host.focusOrder(source, orderId);
      else pendingFocus = { source, orderId };
    },
    openLink: (link) => {
      const order = parseOrderLink(link);
      if (!order) {
        log.warn('ignored a malformed orderbell:// link');
        desktop.openWindow();
        return false;
      }
      desktop.focusOrder(order.source, order.orderId);
      return true;
    },
    muteSource: async (source) => {
      const mutedUntil = muteSourceFor(host.currentPrefs, source, Date.now());
      const result = await host.invoke('setPrefs', { mutedUntil });
      if (!result.ok) log.error({ err: result.error }, 'muting the source failed');
      refreshTray();
    },
    stop: async () => {
      stopPower();
      trayFeed.dispose();
      host.dispose();
      notifier.clear();
      tray.destroy();
      await engine.stop();
      await demo.stop();
      await settings.flush();
      await attention.flush();
      lock.release();
    },
  };
  if (!opts.hidden) desktop.openWindow();
  return desktop;
}
