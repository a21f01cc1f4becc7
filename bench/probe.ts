// Preloaded into the headless child by the bench (`node --import …/probe.js`), never by the app.
//  - Counts timer firings by period (setTimeout / setInterval callbacks that actually ran), so the
//    idle figure can say which timers woke the process and how often.
//  - ORDERBELL_PROBE_MEM_MS=N: samples memory every N ms and keeps the peaks (heap, external, RSS).
// Everything is reported as one `orderbell-probe {json}` line on stderr on SIGUSR2 and at exit.
import v8 from 'node:v8';

type TimerFn = (...args: unknown[]) => void;
const fired = new Map<string, number>();
const count = (kind: string, ms: unknown) => {
  const key = `${kind}:${typeof ms === 'number' ? Math.round(ms) : 0}`;
  fired.set(key, (fired.get(key) ?? 0) + 1);
};

const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
const wrap =
  (kind: string, real: typeof setTimeout | typeof setInterval) =>
  (fn: TimerFn, ms?: number, ...args: unknown[]) =>
    (real as (f: TimerFn, m?: number, ...a: unknown[]) => NodeJS.Timeout)(
      (...a: unknown[]) => {
        count(kind, ms);
        fn(...a);
      },
      ms,
      ...args,
    );
globalThis.setTimeout = Object.assign(wrap('timeout', realSetTimeout), realSetTimeout);
globalThis.setInterval = Object.assign(wrap('interval', realSetInterval), realSetInterval);

const peak = {
  heapUsedMB: 0,
  heapTotalMB: 0,
  externalMB: 0,
  arrayBuffersMB: 0,
  rssMB: 0,
  stdoutQueuedMB: 0,
};
const sampleMemory = () => {
  const m = process.memoryUsage();
  const mb = (x: number) => Math.round((x / 1048576) * 10) / 10;
  peak.heapUsedMB = Math.max(peak.heapUsedMB, mb(m.heapUsed));
  peak.heapTotalMB = Math.max(peak.heapTotalMB, mb(m.heapTotal));
  peak.externalMB = Math.max(peak.externalMB, mb(m.external));
  peak.arrayBuffersMB = Math.max(peak.arrayBuffersMB, mb(m.arrayBuffers));
  peak.rssMB = Math.max(peak.rssMB, mb(m.rss));
  peak.stdoutQueuedMB = Math.max(peak.stdoutQueuedMB, mb(process.stdout.writableLength));
};
const memEvery = Number(process.env.ORDERBELL_PROBE_MEM_MS ?? 0);
if (memEvery > 0) realSetInterval(sampleMemory, memEvery).unref();

const report = (why: string) => {
  sampleMemory();
  const gc = (globalThis as { gc?: () => void }).gc;
  let retainedHeapMB: number | undefined;
  if (gc && why === 'signal') {
    gc();
    retainedHeapMB = Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10;
  }
  const spaces = Object.fromEntries(
    v8.getHeapSpaceStatistics().map((s) => [s.space_name, Math.round(s.space_size / 1048576)]),
  );
  process.stderr.write(
    `orderbell-probe ${JSON.stringify({ why, retainedHeapMB, timers: Object.fromEntries(fired), cpu: process.cpuUsage(), peak, spaces })}\n`,
  );
};
process.on('SIGUSR2', () => {
  report('signal');
  const dir = process.env.ORDERBELL_PROBE_SNAPSHOT;
  if (dir) v8.writeHeapSnapshot(`${dir}/headless-${process.pid}.heapsnapshot`);
});
process.on('exit', () => report('exit'));
