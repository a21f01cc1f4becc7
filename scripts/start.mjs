#!/usr/bin/env node
// `npm start`: the desktop app where Electron is installed; otherwise (as on machines that cannot
// download its binary, or a Linux box without a display) one line saying so, then web mode: the
// same window served to a browser, on the same per-user state and settings folder as the desktop
// app (the sources you save there are there next time), or with your config.
//   npm start                      desktop app (or web mode: your saved sources, or the demo)
//   npm start -- --config FILE     web mode with your sources (ORDERBELL_CONFIG=FILE also works)
// In web mode the demo keeps its orders in a folder of its own; switching between it and your
// providers restarts the engine on the other folder (exit code 75), with the same page URL.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfNeeded, ROOT } from './build-if-needed.mjs';
import { electronBinary, hasDisplay } from './electron-binary.mjs';

const args = process.argv.slice(2);
buildIfNeeded();

/** headless.js asks to be started again (a demo switch): see src-main/cli/headless.ts. */
const RESTART_EXIT_CODE = 75;
/** More restarts than this within a minute is a broken run, not a user switching: stop. */
const RESTARTS_PER_MINUTE = 10;
const restarts = [];

let child;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child?.kill(signal));

function run(command, commandArgs, { watchUrl = false, env = process.env, restart } = {}) {
  child = spawn(command, commandArgs, {
    cwd: ROOT,
    env,
    stdio: ['inherit', watchUrl ? 'ignore' : 'inherit', watchUrl ? 'pipe' : 'inherit'],
  });
  if (watchUrl && child.stderr) {
    let shown = false;
    let pending = '';
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      if (shown) return;
      pending = (pending + chunk.toString()).slice(-4096);
      const url = /https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+\/\S*/.exec(pending)?.[0];
      if (url) {
        shown = true;
        const clean = url.replace(/["',}\]]+$/, '');
        watchUrl(clean);
      }
    });
  }
  child.on('exit', (code, signal) => {
    if (code === RESTART_EXIT_CODE && restart) {
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && restarts[0] < now - 60_000) restarts.shift();
      if (restarts.length <= RESTARTS_PER_MINUTE) {
        restart();
        return;
      }
    }
    process.exit(code ?? (signal ? 0 : 1));
  });
}

const binary = electronBinary();
if (binary && hasDisplay()) {
  run(binary, ['.', ...args]);
} else {
  const why = binary
    ? 'Electron is installed but there is no display here'
    : 'Electron is not installed here (its binary cannot be downloaded on this machine)';
  const configIndex = args.indexOf('--config');
  const config =
    configIndex >= 0
      ? args[configIndex + 1]
      : (process.env.ORDERBELL_CONFIG ??
        (existsSync(join(ROOT, 'orderbell.config.json')) ? 'orderbell.config.json' : undefined));
  process.stderr.write(
    `orderbell: ${why}; starting web mode instead (${config ? `--config ${config}` : 'your saved sources, or the demo'}).\n`,
  );
  const rest =
    configIndex >= 0 ? args.filter((_, i) => i !== configIndex && i !== configIndex + 1) : args;
  // Without a config: --ui alone, i.e. the sources saved in the per-user folder (or the demo on a
  // first run). The page keeps one token (and, after the first run, one port) across restarts.
  const mode = config ? ['--config', config] : [];
  const env = { ...process.env };
  if (!config) {
    env.ORDERBELL_RESTART_ON_SWITCH = '1';
    env.ORDERBELL_WEB_TOKEN ??= randomBytes(32).toString('base64url');
  }
  let announced = false;
  const start = () =>
    run(process.execPath, [join(ROOT, 'dist/src-main/cli/headless.js'), ...mode, '--ui', ...rest], {
      env,
      watchUrl: (url) => {
        env.ORDERBELL_WEB_PORT = new URL(url).port;
        if (!announced) process.stdout.write(`\nOrderbell web mode: open ${url}\n\n`);
        announced = true;
      },
      restart: config ? undefined : start,
    });
  start();
}
