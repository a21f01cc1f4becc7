// `npm run bench` / `npm run soak` / `npm run screenshots`: build the app when stale (the headless child runs dist/), compile
// bench/ with the simulators into dist/bench-build/ when stale, then run the entry point given as the
// first argument with the remaining arguments. One command, nothing to prepare by hand.
//   node scripts/run-bench.mjs bench [--quick] [--no-window]
//   node scripts/run-bench.mjs soak [--minutes N] [--seed S]
//   node scripts/run-bench.mjs screenshots   (rewrites the README's docs/screenshot*.png)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfNeeded, ROOT } from './build-if-needed.mjs';

const ENTRIES = {
  bench: 'bench/bench.js',
  soak: 'bench/soak.js',
  screenshots: 'bench/screenshots.js',
};
/** The soak samples RSS after a forced GC, so growth means retained memory, not garbage. */
const NODE_FLAGS = { bench: [], soak: ['--expose-gc'], screenshots: [] };
const [which, ...args] = process.argv.slice(2);
const entry = ENTRIES[which];
if (!entry) {
  process.stderr.write(`usage: node scripts/run-bench.mjs (${Object.keys(ENTRIES).join('|')}) …\n`);
  process.exit(2);
}

function newest(dir) {
  let latest = 0;
  if (!existsSync(dir)) return latest;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'results') latest = Math.max(latest, newest(path));
    } else if (e.name.endsWith('.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

buildIfNeeded();
const OUT = join(ROOT, 'dist', 'bench-build');
const built = join(OUT, entry);
const sources = Math.max(newest(join(ROOT, 'bench')), newest(join(ROOT, 'src-main')));
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  process.stderr.write('orderbell: compiling bench/ (tsc -p tsconfig.bench.json)…\n');
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.bench.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  // tsc leaves unchanged outputs alone: mark the entry fresh so the next run skips this step.
  const now = new Date();
  utimesSync(built, now, now);
}

const child = spawn(process.execPath, [...NODE_FLAGS[which], built, ...args], {
  cwd: ROOT,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
