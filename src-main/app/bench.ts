// Idle cost of the tray app, measured inside Electron (npm run bench:desktop starts it with
// ORDERBELL_BENCH=1): memory summed over every process from app.getAppMetrics() (private bytes
// where the OS reports them, Windows; working set elsewhere) and CPU, with the window closed, open,
// and closed again (the window is destroyed when closed, so the last figure should match the first).
import { writeFile } from 'node:fs/promises';
import { app, type ProcessMetric } from 'electron';

export interface BenchSample {
  label: string;
  processes: number;
  /** kB, summed over processes. */
  memoryKB: number;
  memoryKind: 'privateBytes' | 'workingSetSize';
  /** Percent of one core, summed over processes, over the sampling period. */
  cpuPercent: number;
}

export interface BenchTarget {
  openWindow(): void;
  window: { close(): void };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function summarize(label: string, metrics: readonly ProcessMetric[]): BenchSample {
  const privateKnown =
    metrics.length > 0 && metrics.every((m) => m.memory.privateBytes !== undefined);
  let memoryKB = 0;
  let cpuPercent = 0;
  for (const m of metrics) {
    memoryKB += privateKnown ? (m.memory.privateBytes ?? 0) : m.memory.workingSetSize;
    cpuPercent += m.cpu.percentCPUUsage;
  }
  return {
    label,
    processes: metrics.length,
    memoryKB,
    memoryKind: privateKnown ? 'privateBytes' : 'workingSetSize',
    cpuPercent: Math.round(cpuPercent * 100) / 100,
  };
}

async function sample(label: string, settleMs: number, sampleMs: number): Promise<BenchSample> {
  await sleep(settleMs);
  app.getAppMetrics(); // starts the CPU measuring period
  await sleep(sampleMs);
  return summarize(label, app.getAppMetrics());
}

export async function runDesktopBench(
  target: BenchTarget,
  opts: { settleMs?: number; sampleMs?: number; out?: string } = {},
): Promise<BenchSample[]> {
  const settle = opts.settleMs ?? 10_000;
  const period = opts.sampleMs ?? 10_000;
  const results: BenchSample[] = [];
  results.push(await sample('window closed (tray only)', settle, period));
  target.openWindow();
  results.push(await sample('window open, idle', settle, period));
  target.window.close();
  results.push(await sample('window closed again', settle, period));
  const lines = results.map(
    (r) =>
      `${r.label.padEnd(28)} ${String(r.processes).padStart(2)} processes  ${(r.memoryKB / 1024).toFixed(1).padStart(7)} MB (${r.memoryKind})  CPU ${r.cpuPercent.toFixed(2)} %`,
  );
  process.stdout.write(`bench:desktop\n${lines.join('\n')}\n`);
  if (opts.out) await writeFile(opts.out, JSON.stringify(results, null, 2));
  return results;
}
