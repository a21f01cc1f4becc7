#!/usr/bin/env node
// Headless mode (docs/headless.md): the engine with NDJSON on stdout and logs on stderr.
//   node dist/src-main/cli/headless.js --config FILE [--state-dir DIR]
//   node dist/src-main/cli/headless.js --demo [--state-dir DIR]
//   add --ui to also serve the status window on 127.0.0.1 (web mode); the URL goes to stderr
//   add --http HOST:PORT to serve /healthz and /metrics (docs/service.md); SIGHUP reloads --config
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ConfigError,
  loadConfigFile,
  nothingToWatch,
  parseConfig,
  type Config,
} from '../engine/config.js';
import { Engine } from '../engine/engine.js';
import { createLogger, LOG_LEVELS, type Logger } from '../engine/log.js';
import { FilePersistence } from '../engine/persistence.js';
import { lockStateFolder, StateFolderError, type StateLock } from '../engine/state-lock.js';
import { SecretMask } from '../shared/secret-mask.js';
import { JsonFileSettings, startsInDemo } from '../shared/settings-port.js';
import type { Demo } from '../simulator/demo.js';
import { healthOf, HEALTH_GRACE_MS } from './health.js';
import { createMetricsRegistry } from './metrics.js';
import { NdjsonWriter } from './ndjson-writer.js';
import { defaultStateDir, demoStateDir } from './paths.js';
import { ConfigReloader, notifyStep, retentionStep, sourcesStep } from './reload.js';
import {
  HttpAddressError,
  parseHttpAddress,
  publicBindRefusal,
  startServiceHttp,
  type HttpAddress,
  type ServiceHttp,
} from './service-http.js';
import type { WebMode } from './web-mode.js';

const USAGE = `usage: orderbell-headless (--config FILE | --demo) [--state-dir DIR] [--ui]
                          [--http HOST:PORT [--http-public]] [--log-level LEVEL]
       orderbell-headless --ui [--state-dir DIR]

  --config FILE     sources to watch (see README, "Configure real providers")
  --demo            run the built-in simulators of all five providers and watch them
  --ui              also serve the status window on 127.0.0.1 (web mode); its URL, with a
                    random access token, is printed on stderr. Alone (no --config / --demo):
                    the sources saved from the window in the state folder, or the demo
                    (whose orders then live apart, in DIR/demo)
  --state-dir DIR   where tracked orders and the alert ledger live
                    (default: ${defaultStateDir()}; with --demo a fresh temporary folder)
  --http HOST:PORT  serve GET /healthz and GET /metrics (Prometheus) there; PORT alone means
                    127.0.0.1:PORT. The bound address is printed on stderr
  --http-public     allow --http on an address other than loopback (0.0.0.0, a LAN address)
  --log-level LEVEL ${LOG_LEVELS.join(', ')} (default info, or $ORDERBELL_LOG)

SIGHUP re-reads --config: sources added, removed or changed take effect without a restart; an
invalid file is reported (stderr and a problem line) and the running config stays.
Logs are human-readable on a terminal, JSON lines otherwise.

NDJSON events go to stdout, logs to stderr. Exit codes: 0 stopped by a signal, 2 bad usage or
config (including a config with no enabled source, unless --ui), or a state folder that is not a
folder or is in use by another Orderbell.`;

/** Shutdown must finish well inside the 2 s the contract allows; past this we exit anyway. */
const SHUTDOWN_DEADLINE_MS = 1_500;

/**
 * `npm start`'s web mode (scripts/start.mjs) sets these: on a switch between the demo and the
 * user's providers this process exits with RESTART_EXIT_CODE and is started again on the other
 * state folder, with the same page token and port, so the open window reconnects by itself.
 */
const RESTART_ENV = 'ORDERBELL_RESTART_ON_SWITCH';
const TOKEN_ENV = 'ORDERBELL_WEB_TOKEN';
const PORT_ENV = 'ORDERBELL_WEB_PORT';
export const RESTART_EXIT_CODE = 75;

async function main(): Promise<void> {
  // Signals first: a service manager may stop or reload a process that is still starting
  // (`systemctl reload` right after `start`). Without a handler SIGHUP would kill it, and SIGTERM
  // would end it by the signal rather than with exit 0. What has been started so far lives in
  // these variables; `shutdown` releases whatever is there when it runs.
  let stopping = false;
  let log: Logger | undefined = undefined;
  let out: NdjsonWriter | undefined = undefined;
  let lock: StateLock | undefined;
  let demo: Demo | undefined;
  let http: ServiceHttp | undefined;
  let engine: Engine | undefined = undefined;
  let persistence: FilePersistence | undefined = undefined;
  let web: WebMode | undefined;
  const shutdown = (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log?.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      out?.flush();
      process.exit(code);
    }, SHUTDOWN_DEADLINE_MS);
    force.unref();
    void (async () => {
      try {
        await http?.close();
        await web?.close();
        await engine?.stop();
        // What the state folder cost this run (npm run bench reads it: writes per 1,000 updates).
        log?.info(persistence ? { persistence: { ...persistence.stats } } : {}, 'stopped');
        await demo?.close();
        await web?.currentDemo()?.close();
      } catch (err) {
        log?.error({ err: (err as Error).message }, 'error while stopping');
      }
      lock?.release();
      out?.flush();
      process.exit(code);
    })();
  };
  // A SIGHUP before the run can reload waits here: one reload once it can (several count as one).
  let onHangup: (() => void) | undefined = undefined;
  let hangupWaiting = false;
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => {
    if (stopping) return;
    if (onHangup) onHangup();
    else hangupWaiting = true;
  });

  let args;
  try {
    args = parseArgs({
      options: {
        config: { type: 'string' },
        'state-dir': { type: 'string' },
        demo: { type: 'boolean', default: false },
        ui: { type: 'boolean', default: false },
        http: { type: 'string' },
        'http-public': { type: 'boolean', default: false },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    return usageError((err as Error).message);
  }
  if (args.help) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  if (args.config && args.demo) return usageError('give only one of --config FILE or --demo');
  if (!args.config && !args.demo && !args.ui) {
    return usageError('give exactly one of --config FILE or --demo');
  }
  const level = args['log-level'] ?? (process.env.ORDERBELL_LOG || 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    return usageError(
      `--log-level ${JSON.stringify(level)}: expected one of ${LOG_LEVELS.join(', ')}`,
    );
  }
  if (args['http-public'] && !args.http) return usageError('--http-public goes with --http');
  let httpAddress: HttpAddress | undefined;
  try {
    httpAddress = args.http === undefined ? undefined : parseHttpAddress(args.http);
  } catch (err) {
    if (err instanceof HttpAddressError) return usageError(err.message);
    throw err;
  }
  const refusal = httpAddress && publicBindRefusal(httpAddress, args['http-public']);
  if (refusal) return usageError(refusal);
  // --ui alone: what the user saved from the window (or the demo on first run).
  const settingsDir = args['state-dir'] ?? defaultStateDir();
  const settings = args.ui && !args.demo ? new JsonFileSettings(settingsDir) : undefined;
  const useDemo = args.demo || (!args.config && settings !== undefined && startsInDemo(settings));

  // Filled with the secrets of every source the engine is given (config, window edits, demo).
  const mask = new SecretMask();
  // A person at a terminal reads lines; a service manager's journal or a pipe gets JSON.
  log = createLogger(level, mask, undefined, process.stderr.isTTY === true);
  let config: Config;
  try {
    if (args.config) {
      const loaded = await loadConfigFile(args.config);
      config = loaded.config;
      mask.addSources(config.sources); // before the first line that could quote the config
      mask.addTargets(config.notify ?? []);
      for (const w of loaded.warnings) log.warn(w);
      // A config that watches nothing is a mistake when it is all there is; with --ui the window
      // can still add sources, so there it is only said.
      const idle = nothingToWatch(config);
      if (idle && !args.ui) throw new ConfigError([idle]);
      if (idle) log.warn(idle);
    } else if (!useDemo && settings) {
      // --ui alone: the sources, targets and quiet hours saved from the window.
      const notify = settings.getNotify();
      config = parseConfig({
        sources: settings.getSources() ?? [],
        ...(notify ? { notify: notify.targets } : {}),
        ...(notify?.quietHours ? { quietHours: notify.quietHours } : {}),
      }).config;
      mask.addTargets(config.notify ?? []);
    } else {
      const { startDemo } = await import('../simulator/demo.js');
      const started = await startDemo();
      demo = started;
      config = parseConfig({ sources: started.sources }).config;
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`orderbell: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  // Stopped while loading: shutdown releases what exists (the demo) and exits 0.
  if (stopping) return;

  const stateDir =
    args['state-dir'] ??
    (args.demo ? mkdtempSync(join(tmpdir(), 'orderbell-demo-')) : defaultStateDir());
  // The saved-settings run keeps the demo's orders apart from the user's (see demoStateDir).
  const engineDir = settings && demo ? demoStateDir(stateDir) : stateDir;
  if (engineDir !== stateDir) mkdirSync(engineDir, { recursive: true });
  try {
    lock = lockStateFolder(stateDir);
  } catch (err) {
    if (!(err instanceof StateFolderError)) throw err;
    process.stderr.write(`orderbell: ${err.message}\n`);
    await demo?.close();
    process.exit(2);
  }
  persistence = new FilePersistence(engineDir);
  mask.addSources(config.sources);
  const theEngine = new Engine({ config, persistence, log, mask });
  const stream = new NdjsonWriter(process.stdout, mask);
  out = stream;
  theEngine.on((event) => stream.write(event));
  if (httpAddress) {
    try {
      http = await startServiceHttp(httpAddress, serviceEndpoints(theEngine), log);
    } catch (err) {
      process.stderr.write(`orderbell: --http ${args.http}: ${(err as Error).message}\n`);
      await demo?.close();
      process.exit(2);
    }
    process.stderr.write(`orderbell: service endpoints at ${http.url} (/healthz, /metrics)\n`);
  }
  // Stopped while the endpoints started: nothing has connected yet; shutdown closes them.
  if (stopping) return;
  engine = theEngine;

  const reloader =
    args.config && !args.ui
      ? new ConfigReloader({
          path: args.config,
          running: config,
          steps: [sourcesStep(theEngine), notifyStep(theEngine), retentionStep()],
          mask,
          log,
          emit: (line) => stream.write(line),
          say: (line) => process.stderr.write(`${line}\n`),
        })
      : undefined;
  // A reload applies to running sources: one asked for while the engine starts waits for it.
  let started: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (started = resolve));
  // A run with nothing to reload says so instead (SIGHUP would otherwise have ended it).
  const runLog = log;
  onHangup = () => {
    if (!reloader) {
      runLog.warn('SIGHUP ignored: only a --config run without --ui reloads its file');
      return;
    }
    runLog.info({ signal: 'SIGHUP' }, 'reloading config');
    void running
      .then(() => reloader.reload())
      .catch((err: unknown) => {
        runLog.error({ err: (err as Error).message }, 'config reload failed');
      });
  };
  if (hangupWaiting) {
    log.info('SIGHUP received while starting: handled once the run has started');
    onHangup();
  }
  process.on('unhandledRejection', (reason) => {
    runLog.error({ err: String(reason) }, 'unhandled rejection');
  });

  // The demo and the user's providers keep their orders in different folders: a switch saves the
  // choice and this run ends (after the window has its answer), so the next one opens the other
  // folder. Nothing of the other mode ever runs on this one.
  const restartOnSwitch =
    settings && !args.config && process.env[RESTART_ENV] === '1'
      ? () => void setTimeout(() => shutdown('switch', RESTART_EXIT_CODE), 50)
      : undefined;
  const port = Number(process.env[PORT_ENV]);

  log.info(
    { stateDir: engineDir, sources: config.sources.length, demo: Boolean(demo) },
    'starting',
  );
  await theEngine.start();
  started();
  for (const problem of theEngine.problems) log.error(problem);
  if (args.ui) {
    const { startWebMode } = await import('./web-mode.js');
    web = await startWebMode({
      engine: theEngine,
      log,
      settings: settings ?? new JsonFileSettings(stateDir),
      stateDir: engineDir,
      demo,
      ...(restartOnSwitch ? { restartOnSwitch } : {}),
      ...(process.env[TOKEN_ENV] ? { token: process.env[TOKEN_ENV] } : {}),
      ...(Number.isInteger(port) && port > 0 ? { port } : {}),
      ...(args.config
        ? {
            configFile: {
              path: args.config,
              sources: config.sources,
              // The file's targets stay its own, like its sources (config-sources.ts).
              ...(config.notify || config.quietHours
                ? {
                    notify: {
                      targets: config.notify ?? [],
                      ...(config.quietHours ? { quietHours: config.quietHours } : {}),
                    },
                  }
                : {}),
            },
          }
        : {}),
      mask,
    });
    process.stderr.write(`orderbell: status window at ${web.url}\n`);
  }
  demo?.run();
}

/** What --http serves: the health rule and the metrics, both read from the engine when asked. */
function serviceEndpoints(engine: Engine) {
  // For tests and operators who want a shorter (or longer) patience than the 5 minutes.
  const grace = Number(process.env.ORDERBELL_HEALTH_GRACE_MS || HEALTH_GRACE_MS);
  const graceMs = Number.isFinite(grace) && grace >= 0 ? grace : HEALTH_GRACE_MS;
  return {
    health: () => healthOf(engine.sourceMetrics(), Date.now(), graceMs),
    metrics: createMetricsRegistry({
      sources: () => engine.sourceMetrics(),
      deliveries: () => engine.deliveryStats(),
      processMetrics: true,
    }),
  };
}

function usageError(message: string): void {
  process.stderr.write(`orderbell: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

main().catch((err: unknown) => {
  process.stderr.write(`orderbell: fatal: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
