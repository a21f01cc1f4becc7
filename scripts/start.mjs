#!/usr/bin/env node
// `npm start`: the desktop app where Electron is installed; otherwise (as on machines that cannot
// download its binary, or a Linux box without a display) one line saying so, then web mode: the
// same window served to a browser, with the demo providers or your config.
//   npm start                      desktop app (or web mode with the demo)
//   npm start -- --config FILE     web mode with your sources (ORDERBELL_CONFIG=FILE also works)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfNeeded, ROOT } from './build-if-needed.mjs';
import { electronBinary, hasDisplay } from './electron-binary.mjs';

const args = process.argv.slice(2);
buildIfNeeded();

function run(command, commandArgs, { watchUrl = false } = {}) {
  const child = spawn(command, commandArgs, {
    cwd: ROOT,
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
        process.stdout.write(`\nOrderbell web mode: open ${url.replace(/["',}\]]+$/, '')}\n\n`);
      }
    });
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
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
    `orderbell: ${why}; starting web mode instead (${config ? `--config ${config}` : 'demo providers'}).\n`,
  );
  const rest =
    configIndex >= 0 ? args.filter((_, i) => i !== configIndex && i !== configIndex + 1) : args;
  const mode = config ? ['--config', config] : ['--demo'];
  run(process.execPath, [join(ROOT, 'dist/src-main/cli/headless.js'), ...mode, '--ui', ...rest], {
    watchUrl: true,
  });
}
