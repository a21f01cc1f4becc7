#!/usr/bin/env node
// Headless mode (docs/headless.md): the engine with NDJSON on stdout and logs on stderr.
//   node dist/src-main/cli/headless.js --config FILE [--state-dir DIR]
//   node dist/src-main/cli/headless.js --demo [--state-dir DIR]
//   add --ui to also serve the status window on 127.0.0.1 (web mode); the URL goes to stderr
import { mkdtempSync } from 'node:fs';
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
import { createLogger } from '../engine/log.js';
import { FilePersistence } from '../engine/persistence.js';
import { lockStateFolder, StateFolderError } from '../engine/state-lock.js';
import { SecretMask } from '../shared/secret-mask.js';
import { JsonFileSettings, startsInDemo } from '../shared/settings-port.js';
import type { Demo } from '../simulator/demo.js';
import { NdjsonWriter } from './ndjson-writer.js';
import { defaultStateDir } from './paths.js';
import type { WebMode } from './web-mode.js';

const USAGE = `usage: orderbell-headless (--config FILE | --demo) [--state-dir DIR] [--ui]
       orderbell-headless --ui [--state-dir DIR]

  --config FILE     sources to watch (see README, "Configure real providers")
  --demo            run the built-in simulators of all five providers and watch them
  --ui              also serve the status window on 127.0.0.1 (web mode); its URL, with a
                    random access token, is printed on stderr. Alone (no --config / --demo):
                    the sources saved from the window in the state folder, or the demo
  --state-dir DIR   where tracked orders and the alert ledger live
                    (default: ${defaultStateDir()}; with --demo a fresh temporary folder)

NDJSON events go to stdout, logs to stderr. Exit codes: 0 stopped by a signal, 2 bad usage or
config (including a config with no enabled source, unless --ui), or a state folder that is not a
folder or is in use by another Orderbell.`;

/** Shutdown must finish well inside the 2 s the contract allows; past this we exit anyway. */
const SHUTDOWN_DEADLINE_MS = 1_500;

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        config: { type: 'string' },
        'state-dir': { type: 'string' },
        demo: { type: 'boolean', default: false },
        ui: { type: 'boolean', default: false },
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
  // --ui alone: what the user saved from the window (or the demo on first run).
  const settingsDir = args['state-dir'] ?? defaultStateDir();
  const settings = args.ui && !args.demo ? new JsonFileSettings(settingsDir) : undefined;
  const useDemo = args.demo || (!args.config && settings !== undefined && startsInDemo(settings));

  // Filled with the secrets of every source the engine is given (config, window edits, demo).
  const mask = new SecretMask();
  const log = createLogger(undefined, mask);
  let config: Config;
  let demo: Demo | undefined;
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

  const stateDir =
    args['state-dir'] ??
    (args.demo ? mkdtempSync(join(tmpdir(), 'orderbell-demo-')) : defaultStateDir());
  try {
    lockStateFolder(stateDir);
  } catch (err) {
    if (!(err instanceof StateFolderError)) throw err;
    process.stderr.write(`orderbell: ${err.message}\n`);
    await demo?.close();
    process.exit(2);
  }
  const persistence = new FilePersistence(stateDir);
  mask.addSources(config.sources);
  const engine = new Engine({ config, persistence, log, mask });
  const out = new NdjsonWriter(process.stdout, mask);
  engine.on((event) => out.write(event));
  let web: WebMode | undefined;

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      out.flush();
      process.exit(0);
    }, SHUTDOWN_DEADLINE_MS);
    force.unref();
    void (async () => {
      try {
        await web?.close();
        await engine.stop();
        // What the state folder cost this run (npm run bench reads it: writes per 1,000 updates).
        log.info({ persistence: { ...persistence.stats } }, 'stopped');
        await demo?.close();
        await web?.currentDemo()?.close();
      } catch (err) {
        log.error({ err: (err as Error).message }, 'error while stopping');
      }
      out.flush();
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('unhandledRejection', (reason) => {
    log.error({ err: String(reason) }, 'unhandled rejection');
  });

  log.info({ stateDir, sources: config.sources.length, demo: Boolean(demo) }, 'starting');
  await engine.start();
  for (const problem of engine.problems) log.error(problem);
  if (args.ui) {
    const { startWebMode } = await import('./web-mode.js');
    web = await startWebMode({
      engine,
      log,
      settings: settings ?? new JsonFileSettings(stateDir),
      demo,
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

function usageError(message: string): void {
  process.stderr.write(`orderbell: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

main().catch((err: unknown) => {
  process.stderr.write(`orderbell: fatal: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
