// `npm test`: the whole vitest suite, then one plain closing line ("N passed, N failed") that CI
// and people can read at a glance. Exit code is vitest's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { buildIfNeeded } from './build-if-needed.mjs';

// The headless-process and e2e tests run the built CLI and window: build first when stale.
buildIfNeeded();

mkdirSync('test-results', { recursive: true });
const report = 'test-results/vitest.json';
const r = spawnSync(
  process.execPath,
  [
    'node_modules/vitest/vitest.mjs',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
try {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  console.log(
    `\n${j.numPassedTests} passed, ${j.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
  );
} catch {
  console.log('\n0 passed, 1 failed');
}
process.exit(r.status ?? 1);
