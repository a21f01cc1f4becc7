// `npm run build` when an output is missing or older than a source file. Used by npm start and
// bench:desktop so a fresh clone needs one command.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const OUTPUTS = [
  'dist/src-main/app/main.js',
  'dist/src-main/cli/headless.js',
  'dist/preload/preload.cjs',
];
const SOURCES = ['src-main', 'src-renderer'];

function newest(dir) {
  let latest = 0;
  if (!existsSync(dir)) return latest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

export function buildIfNeeded({ quiet = false } = {}) {
  const outputs = OUTPUTS.map((p) => join(ROOT, p));
  const missing = outputs.some((p) => !existsSync(p));
  const oldest = missing ? 0 : Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const source = Math.max(...SOURCES.map((d) => newest(join(ROOT, d))));
  if (!missing && oldest >= source) return;
  if (!quiet) process.stderr.write('orderbell: building (npm run build)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('orderbell: the build failed; see above.\n');
    process.exit(r.status ?? 1);
  }
}
