// One measured stream: a fresh simulator, client processes (the headless CLI and/or the raw
// baseline) subscribed to it, a flood of order updates (full speed or paced), and every order line
// matched to its send time. Throughput = updates / (last line read − first update sent); latency =
// line read − frame sent, both on this process's clock. With both clients in one run (`runPaired`)
// they receive the very same frames at the same moments, so the noise of the machine and of this
// process (the sender) falls on both alike.
import { mkdirSync, mkdtempSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { flood, stepMajor } from './flood.js';
import { cpuMs, headlessProcess, LineProcess, memoryMB, probeReport, sleep } from './proc.js';
import { headlessIsOrder, headlessKey, type ProtocolKit } from './protocols.js';
import { round, summarize, type LatencySummary } from './stats.js';

export type Subject = 'headless' | 'baseline';

export interface PersistenceFigures {
  writes: number;
  bytes: number;
  appends: number;
  /** When each write of orders.json started (inotify, ms since the first update was sent). */
  writeTimes?: number[];
  /** Most writes started within any 1 s, and the shortest gap between two starts. */
  peakWritesPerSec?: number;
  minSpacingMs?: number;
}

export interface StreamResult {
  protocol: string;
  subject: Subject;
  orders: number;
  updates: number;
  /** Target rate when paced; undefined at full speed. */
  rate?: number;
  /** Both clients took the same frames in the same run. */
  paired?: boolean;
  durationMs: number;
  updatesPerSec: number;
  latency: LatencySummary;
  /** Raw latency samples (ms), kept for the chart when asked. */
  samples?: number[];
  /** CPU time the client process spent during the flood. */
  cpuMs?: number;
  peakRssMB?: number;
  unmatched: number;
  persistence?: PersistenceFigures;
  /** From the first update sent to SIGTERM, for writes/s. */
  floodWindowMs: number;
  /** What the preloaded probe reported at exit (when the child ran with it). */
  probe?: Record<string, unknown>;
}

export interface StreamOptions {
  orders: number;
  rate?: number;
  keepSamples?: boolean;
  /** Extra node flags for the headless child (e.g. --cpu-prof). */
  nodeArgs?: string[];
  timeoutMs?: number;
}

/** The `stopped` log line the headless CLI writes at exit carries FilePersistence's counters. */
export function persistenceFromStderr(stderr: string): PersistenceFigures | undefined {
  for (const line of stderr.split('\n').reverse()) {
    if (!line.includes('"persistence"')) continue;
    try {
      const p = (JSON.parse(line) as { persistence?: PersistenceFigures }).persistence;
      if (p && typeof p.writes === 'number') return p;
    } catch {
      // not a log line
    }
  }
  return undefined;
}

interface Client {
  subject: Subject;
  proc: LineProcess;
  lines: string[];
  times: number[];
  cpu0?: number;
}

function writeStats(writeStarts: number[]): { peakWritesPerSec: number; minSpacingMs?: number } {
  let peakWritesPerSec = 0;
  let minSpacingMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < writeStarts.length; i += 1) {
    const t = writeStarts[i] as number;
    peakWritesPerSec = Math.max(
      peakWritesPerSec,
      writeStarts.filter((u) => u >= t && u < t + 1000).length,
    );
    if (i > 0) minSpacingMs = Math.min(minSpacingMs, t - (writeStarts[i - 1] as number));
  }
  return {
    peakWritesPerSec,
    ...(Number.isFinite(minSpacingMs) ? { minSpacingMs: round(minSpacingMs, 1) } : {}),
  };
}

export async function runStreams(
  kit: ProtocolKit,
  subjects: readonly Subject[],
  opts: StreamOptions,
): Promise<StreamResult[]> {
  const dir = mkdtempSync(join(tmpdir(), `orderbell-bench-${kit.name}-`));
  const sim = await kit.start();
  const clients: Client[] = [];
  let watcher: FSWatcher | undefined;
  try {
    const nonce = randomBytes(3).toString('hex');
    const orders = Array.from({ length: opts.orders }, (_, i) => `${kit.name}-${nonce}-${i}`);
    const updates = stepMajor(orders, (i) => kit.lifecycle(i));
    const stateDir = join(dir, 'state');
    const writeStarts: number[] = [];
    for (const subject of subjects) {
      let proc: LineProcess;
      if (subject === 'headless') {
        // Every atomic write goes through a temporary file: inotify times each one here. The
        // file appears (rename event) when a write starts and goes when it is renamed onto
        // orders.json: even-numbered events are the starts.
        mkdirSync(stateDir, { recursive: true });
        let tmpEvents = 0;
        watcher = watch(stateDir, (event, file) => {
          if (event !== 'rename' || !file?.startsWith('orders.json.') || !file.endsWith('.tmp')) {
            return;
          }
          if (tmpEvents % 2 === 0) writeStarts.push(performance.now());
          tmpEvents += 1;
        });
        const config = join(dir, 'config.json');
        writeFileSync(config, JSON.stringify({ sources: [kit.source(sim, orders)] }));
        proc = headlessProcess(['--config', config, '--state-dir', stateDir], {
          ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}),
        });
        await proc.waitForLine((l) => l.includes('"state":"connected"'), 'connected');
      } else {
        proc = new LineProcess(kit.rawArgs(sim, orders, dir));
      }
      clients.push({ subject, proc, lines: [], times: [] });
    }
    const first = (clients[0] as Client).proc;
    await first.waitUntil(
      () => kit.subscribed(sim, orders, clients.length),
      'subscriptions at the simulator',
    );
    // A REST catch-up (Houdini's) runs right after the welcome; let it finish before the flood.
    // Only where the source the client watches uses REST: every simulator with REST has a restUrl.
    if (kit.source(sim, orders).restUrl && subjects.includes('headless')) {
      await first.waitUntil(() => sim.stats.restCalls > 0, 'REST catch-up');
    }
    await sleep(300);

    for (const c of clients) {
      const isOrder = c.subject === 'headless' ? headlessIsOrder : kit.rawIsOrder;
      c.proc.onLine((line, t) => {
        if (isOrder(line)) {
          c.lines.push(line);
          c.times.push(t);
        }
      });
      c.cpu0 = cpuMs(c.proc.pid);
    }
    const sent = await flood(sim, updates, {
      ...(opts.rate !== undefined ? { rate: opts.rate } : {}),
      timeoutMs: opts.timeoutMs ?? 120_000,
    });
    for (const c of clients) {
      await c.proc.waitUntil(
        () => c.lines.length >= updates.length,
        `${updates.length} order lines (${kit.name} ${c.subject}, have ${c.lines.length})`,
        opts.timeoutMs ?? 120_000,
      );
    }
    const results: StreamResult[] = [];
    const ends = clients.map((c) => ({ cpu: cpuMs(c.proc.pid), mem: memoryMB(c.proc.pid) }));
    // Let the coalesced state write and the ledger commit of the tail happen, as they would.
    if (subjects.includes('headless')) await sleep(400);
    const floodWindowMs = performance.now() - sent.firstAt;
    const stopAt = performance.now();
    if (process.env.ORDERBELL_PROBE_SIGNAL) {
      for (const c of clients) c.proc.child.kill('SIGUSR2');
      await sleep(500);
    }
    for (const c of clients) await c.proc.stop('SIGTERM');
    watcher?.close();

    for (const [i, c] of clients.entries()) {
      const keyOf = c.subject === 'headless' ? headlessKey : kit.rawKey;
      const samples: number[] = [];
      let unmatched = 0;
      for (let j = 0; j < c.lines.length; j += 1) {
        const key = keyOf(c.lines[j] as string);
        const at = key === undefined ? undefined : sent.sentAt.get(key);
        if (at === undefined) unmatched += 1;
        else samples.push((c.times[j] as number) - at);
      }
      const last = c.times.at(-1) ?? sent.lastAt;
      const durationMs = last - sent.firstAt;
      const end = ends[i];
      let persistence: PersistenceFigures | undefined;
      if (c.subject === 'headless') {
        const stats = persistenceFromStderr(c.proc.stderrText());
        // The flood's writes: from the first update to the stop signal (the exit flush is
        // immediate, by design).
        const writeTimes = writeStarts
          .filter((t) => t >= sent.firstAt && t < stopAt)
          .map((t) => round(t - sent.firstAt, 1));
        if (stats) persistence = { ...stats, writeTimes, ...writeStats(writeTimes) };
      }
      const probe = probeReport(
        c.proc.stderrText(),
        process.env.ORDERBELL_PROBE_SIGNAL ? 'signal' : undefined,
      );
      results.push({
        protocol: kit.name,
        subject: c.subject,
        orders: opts.orders,
        updates: updates.length,
        ...(opts.rate !== undefined ? { rate: opts.rate } : {}),
        ...(clients.length > 1 ? { paired: true } : {}),
        durationMs: round(durationMs, 1),
        updatesPerSec: Math.round((updates.length / durationMs) * 1000),
        latency: summarize(samples),
        ...(opts.keepSamples ? { samples } : {}),
        ...(c.cpu0 !== undefined && end?.cpu !== undefined
          ? { cpuMs: round(end.cpu - c.cpu0, 1) }
          : {}),
        ...(end?.mem ? { peakRssMB: round(end.mem.peak, 1) } : {}),
        unmatched,
        ...(persistence ? { persistence } : {}),
        floodWindowMs: round(floodWindowMs, 1),
        ...(probe ? { probe } : {}),
      });
    }
    if (process.env.ORDERBELL_BENCH_TRACE) {
      // Debugging aid: per update, the send offset and each client's latency; write starts.
      const perKey = clients.map((c) => {
        const keyOf = c.subject === 'headless' ? headlessKey : kit.rawKey;
        return new Map(c.lines.map((l, j) => [keyOf(l), c.times[j] as number]));
      });
      const rows = [...sent.sentAt].map(([k, at]) => [
        round(at - sent.firstAt, 2),
        ...perKey.map((m) => round((m.get(k) ?? Number.NaN) - at, 3)),
      ]);
      writeFileSync(
        process.env.ORDERBELL_BENCH_TRACE,
        JSON.stringify({
          subjects: clients.map((c) => c.subject),
          rows,
          writes: writeStarts.map((t) => round(t - sent.firstAt, 1)),
        }),
      );
    }
    return results;
  } finally {
    watcher?.close();
    for (const c of clients) await c.proc.stop('SIGKILL', 1_000);
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runStream(
  kit: ProtocolKit,
  subject: Subject,
  opts: StreamOptions,
): Promise<StreamResult> {
  return (await runStreams(kit, [subject], opts))[0] as StreamResult;
}

/** Headless and baseline on the same simulator in one run: the same frames, the same moments. */
export async function runPaired(
  kit: ProtocolKit,
  opts: StreamOptions,
): Promise<{ headless: StreamResult; baseline: StreamResult }> {
  // The baseline connects first: simulators push to clients in connection order, so any head
  // start (microseconds) goes to the baseline, not to the figure under test.
  const [baseline, headless] = await runStreams(kit, ['baseline', 'headless'], opts);
  return { headless: headless as StreamResult, baseline: baseline as StreamResult };
}
