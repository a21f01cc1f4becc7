// Figure 5: process start to every demo source `connected` (headless --demo), beside the same five
// simulators started with one raw client each (bench/clients/raw-demo.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVIDERS } from '../../src-main/shared/providers.js';
import { BENCH_BUILD, headlessProcess, LineProcess } from './proc.js';
import { round } from './stats.js';

export interface StartupResult {
  runs: number;
  headlessMs: number[];
  baselineMs: number[];
  headlessMedianMs: number;
  headlessMaxMs: number;
  baselineMedianMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
};

async function headlessOnce(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'orderbell-bench-start-'));
  const proc = headlessProcess(['--demo', '--state-dir', dir]);
  try {
    const seen = new Set<string>();
    let at = Number.NaN;
    proc.onLine((line, t) => {
      if (!line.includes('"state":"connected"')) return;
      seen.add((JSON.parse(line) as { source: string }).source);
      if (seen.size === PROVIDERS.length && Number.isNaN(at)) at = t;
    });
    await proc.waitUntil(() => !Number.isNaN(at), 'every demo source connected', 15_000);
    return round(at - proc.startedAt, 1);
  } finally {
    await proc.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function baselineOnce(): Promise<number> {
  const proc = new LineProcess([join(BENCH_BUILD, 'clients', 'raw-demo.js')]);
  try {
    const { t } = await proc.waitForLine(
      (l) => l.includes('"all":"connected"'),
      'raw demo',
      15_000,
    );
    return round(t - proc.startedAt, 1);
  } finally {
    await proc.stop('SIGKILL');
  }
}

export async function runStartup(runs: number): Promise<StartupResult> {
  const headlessMs: number[] = [];
  const baselineMs: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    // Alternate which goes first, so neither always meets a warm (or a cold) page cache.
    if (i % 2 === 0) {
      headlessMs.push(await headlessOnce());
      baselineMs.push(await baselineOnce());
    } else {
      baselineMs.push(await baselineOnce());
      headlessMs.push(await headlessOnce());
    }
  }
  return {
    runs,
    headlessMs,
    baselineMs,
    headlessMedianMs: median(headlessMs),
    headlessMaxMs: Math.max(...headlessMs),
    baselineMedianMs: median(baselineMs),
  };
}
