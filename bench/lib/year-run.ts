// Figure 8 (bounded growth): bench/year.ts in its own process, so its peak RSS is the engine's alone.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BENCH_BUILD, headlessEnv, headlessNodeFlags } from './proc.js';

export interface YearResult {
  provider: 'orangepill' | 'houdini';
  days: number;
  perDay: number;
  retentionDays: number;
  alerts: number;
  storeOrders: number;
  peakStoreOrders: number;
  ledgerEntries: number;
  peakLedgerEntries: number;
  ledgerRewrites: number;
  stateFileMB: number;
  ledgerFileMB: number;
  /** Highest RSS sampled after each simulated day's full collection. */
  peakRssMB: number;
  /** Process peak including garbage between collections. */
  maxRssMB: number;
  heapUsedMB: number;
  seconds: number;
}

/** One simulated year; the node flags are the headless CLI's (`npm run headless`) plus `gc()`. */
export async function runYear(opts: {
  provider: 'orangepill' | 'houdini';
  days: number;
  perDay: number;
  retentionDays: number;
}): Promise<YearResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      ...headlessNodeFlags(),
      '--expose-gc',
      join(BENCH_BUILD, 'year.js'),
      '--days',
      String(opts.days),
      '--per-day',
      String(opts.perDay),
      '--retention-days',
      String(opts.retentionDays),
      '--provider',
      opts.provider,
    ],
    { maxBuffer: 1024 * 1024, env: { ...process.env, ...headlessEnv() } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as YearResult;
}
