// Web mode wiring for the headless CLI (`--ui`): settings in the state folder, the bridge host over
// the engine, the demo switch, and the http/WebSocket server. No Electron here.
import type { SourceConfig } from '../engine/config.js';
import type { Engine } from '../engine/engine.js';
import type { Logger } from '../engine/log.js';
import { BridgeHost, forwardingOf, type DemoControl } from '../shared/bridge-host.js';
import type { NotifySettings } from '../shared/settings-port.js';
import type { SecretMask } from '../shared/secret-mask.js';
import { AttentionFile } from '../shared/host/attention-file.js';
import { JsonFileSettings } from '../shared/settings-port.js';
import type { Demo } from '../simulator/demo.js';
import { ConfigFileSources, configEditProblem } from './config-sources.js';
import { startWebServer, type WebServer } from './web-server.js';

export interface WebModeOptions {
  engine: Engine;
  log: Logger;
  /** Settings of this state folder (created by the caller when it needs them first). */
  settings: JsonFileSettings;
  /** The engine's state folder: the attention list is kept there (absent: in memory). */
  stateDir?: string;
  /** The demo the engine runs now, if any; web mode then owns it (switching, closing). */
  demo: Demo | undefined;
  /** Configured secrets, masked in everything sent to the window. */
  mask?: SecretMask;
  /** Access token and port of the page (a restarted run keeps its URL); default random, any port. */
  token?: string;
  port?: number;
  /** Built window folder (tests); default dist-renderer/. */
  root?: string;
  /**
   * The sources came from `--config FILE`: the file stays their source of truth, and window edits
   * of sources are never written to settings.json (see config-sources.ts).
   */
  configFile?: { path: string; sources: readonly SourceConfig[]; notify?: NotifySettings };
  /**
   * `npm start`'s web mode: a switch between the demo and the user's providers saves the choice
   * and calls this (the process ends and starts again on the other state folder), instead of
   * swapping sources in this engine.
   */
  restartOnSwitch?: () => void;
}

export interface WebMode {
  readonly url: string;
  readonly host: BridgeHost;
  readonly server: WebServer;
  /** The demo running now (it changes when the user switches). */
  currentDemo(): Demo | undefined;
  close(): Promise<void>;
}

export async function startWebMode(opts: WebModeOptions): Promise<WebMode> {
  const { engine, log, settings } = opts;
  let demo = opts.demo;
  const demoControl: DemoControl = {
    async start() {
      const { startDemo } = await import('../simulator/demo.js');
      const started = await startDemo();
      demo = started;
      return { sources: started.sources, run: () => started.run() };
    },
    async stop() {
      const running = demo;
      demo = undefined;
      await running?.close();
    },
    ...(opts.restartOnSwitch ? { restartInto: opts.restartOnSwitch } : {}),
  };
  const { configFile } = opts;
  const port = configFile
    ? new ConfigFileSources(
        settings,
        configFile.sources,
        () => host.addProblem(configEditProblem(configFile.path)),
        configFile.notify,
      )
    : settings;
  const attention = opts.stateDir !== undefined ? new AttentionFile(opts.stateDir) : undefined;
  const forwarding = forwardingOf(engine);
  const host: BridgeHost = new BridgeHost({
    engine,
    settings: port,
    log,
    demo: demo !== undefined,
    demoControl,
    platform: { kind: 'web', notificationsSupported: false, secretsProtected: false },
    problems: settings.problem ? [settings.problem] : [],
    ...(opts.mask ? { mask: opts.mask } : {}),
    ...(attention ? { attention } : {}),
    ...(forwarding ? { forwarding } : {}),
  });
  const server = await startWebServer({
    host,
    log,
    ...(opts.root !== undefined ? { root: opts.root } : {}),
    ...(opts.token !== undefined ? { token: opts.token } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
  });
  return {
    url: server.url,
    host,
    server,
    currentDemo: () => demo,
    async close() {
      host.dispose();
      await server.close();
      await settings.flush();
      await attention?.flush();
      // The demo (currentDemo()) is closed by the caller after the engine stopped.
    },
  };
}
