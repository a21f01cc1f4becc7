// `npm run test:clock`: the whole suite (`npm test`) in the time zones and at the wall-clock time
// where date logic breaks: a zone 14 h ahead of UTC, one 8 h behind, UTC, and 20 s before local
// midnight (Debian's `faketime` moves the clock of the run and of every process it starts). A test
// that reads the wall clock or the zone instead of an injected clock fails in one of these.
// Ends with one line per run and exits non-zero if any run failed.
import { spawnSync } from 'node:child_process';
import { buildIfNeeded } from './build-if-needed.mjs';

const MIDNIGHT = `${new Date().toISOString().slice(0, 10)} 23:59:40`;
const RUNS = [
  { name: 'TZ=Pacific/Kiritimati', tz: 'Pacific/Kiritimati' },
  { name: 'TZ=America/Los_Angeles', tz: 'America/Los_Angeles' },
  { name: `TZ=UTC, clock at ${MIDNIGHT}`, tz: 'UTC', at: MIDNIGHT },
  { name: `TZ=America/Los_Angeles, clock at ${MIDNIGHT}`, tz: 'America/Los_Angeles', at: MIDNIGHT },
];

if (RUNS.some((r) => r.at) && spawnSync('faketime', ['-f', '+0', 'true']).status !== 0) {
  console.error("test:clock needs Debian's faketime: apt-get install faketime");
  process.exit(2);
}

buildIfNeeded();
const results = [];
for (const run of RUNS) {
  console.log(`\n=== test:clock: ${run.name}`);
  const cmd = run.at
    ? ['faketime', [run.at, process.execPath, 'scripts/test.mjs']]
    : [process.execPath, ['scripts/test.mjs']];
  const r = spawnSync(cmd[0], cmd[1], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TZ: run.tz },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  process.stdout.write(r.stdout ?? '');
  const summary = (r.stdout ?? '').trim().split('\n').at(-1) ?? '';
  results.push({ run, ok: r.status === 0, summary });
}
console.log('\ntest:clock');
for (const { run, ok, summary } of results)
  console.log(`  ${ok ? 'ok  ' : 'FAIL'}  ${run.name}: ${summary}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
