#!/usr/bin/env node
// `npm run bench:desktop`: idle memory (all Electron processes, from app.getAppMetrics()) and idle
// CPU of the tray app with the window closed, open, and closed again. Needs the Electron binary and
// a display; where either is missing it says so plainly and exits 0 (nothing measured).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfNeeded, ROOT } from './build-if-needed.mjs';
import { electronBinary, hasDisplay } from './electron-binary.mjs';

const binary = electronBinary();
if (!binary) {
  console.log(
    'bench:desktop: Electron is not available here (its binary cannot be downloaded on this machine); nothing measured.',
  );
  process.exit(0);
}
if (!hasDisplay()) {
  console.log(
    'bench:desktop: no display here (DISPLAY / WAYLAND_DISPLAY unset); nothing measured.',
  );
  process.exit(0);
}
buildIfNeeded();

// A fresh profile with no sources and the demo off: the idle tray app.
const userData = mkdtempSync(join(tmpdir(), 'orderbell-bench-'));
writeFileSync(
  join(userData, 'settings.json'),
  JSON.stringify({ version: 1, demo: false, sources: [] }),
);
const out = join(ROOT, 'bench', 'results');
mkdirSync(out, { recursive: true });
const r = spawnSync(binary, ['.'], {
  cwd: ROOT,
  encoding: 'utf8',
  timeout: 120_000,
  env: {
    ...process.env,
    ORDERBELL_BENCH: '1',
    ORDERBELL_BENCH_OUT: join(out, 'desktop.json'),
    ORDERBELL_USER_DATA: userData,
  },
});
process.stdout.write(r.stdout ?? '');
process.stderr.write(r.stderr ?? '');
process.exit(r.status ?? 1);
