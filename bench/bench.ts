// npm run bench: every figure of issue 4 beside a baseline measured in the same run, a table on
// stdout, the figures as JSON in bench/results/<date>-<commit>.json and the latency distribution as
// bench/results/<date>-<commit>-latency.svg. Targets are printed PASS / MISS.
//   npm run bench                 full run (idle window 60 s), about 3 minutes
//   npm run bench -- --quick      idle window 10 s, one throughput round
//   npm run bench -- --only 1,4   only some figures (1 throughput … 7 window, 8 a year of orders)
//   npm run bench -- --no-window  skip figure 7 (Chromium)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runIdle, type IdleResult } from './lib/idle.js';
import { machine } from './lib/machine.js';
import { ROOT } from './lib/proc.js';
import { KITS, type BenchProtocol } from './lib/protocols.js';
import { round, summarize, type LatencySummary } from './lib/stats.js';
import { runStartup, type StartupResult } from './lib/startup.js';
import { runPaired, runStream, type StreamResult, type Subject } from './lib/stream-run.js';
import { latencyChart, type Series } from './lib/svg.js';
import { runWindow, WINDOW_TARGETS, type WindowResult } from './lib/window.js';
import { runYear, type YearResult } from './lib/year-run.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-window': { type: 'boolean', default: false },
    rounds: { type: 'string' },
    out: { type: 'string' },
  },
  strict: true,
});
const quick = args.quick ?? false;
const only = new Set((args.only ?? '1,2,3,4,5,6,7,8').split(',').map((s) => Number(s.trim())));
if (args['no-window']) only.delete(7);
const rounds = Number(args.rounds ?? (quick ? 1 : 5));
const idleWindowMs = quick ? 10_000 : 60_000;
const outDir = args.out ?? join(ROOT, 'bench', 'results');
const PROTOCOLS: BenchProtocol[] = ['houdini', 'nexchange', 'ozzobit'];
const THROUGHPUT_ORDERS = 2_000;
const PACED_RATE = 1_000;
const PACED_UPDATES = 5_000;
const RSS_ORDERS = 10_000;
const RSS_RATE = 10_000;

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
};

interface Row {
  figure: string;
  headless: string;
  baseline: string;
  ratio: string;
  target: string;
  result: 'PASS' | 'MISS' | 'info' | 'n/a';
}
const rows: Row[] = [];
const row = (r: Row) => rows.push(r);
const verdict = (ok: boolean): Row['result'] => (ok ? 'PASS' : 'MISS');
const ms = (x: number) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)}` : 'n/a');
const lat = (l: LatencySummary) => `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)} ms`;
const int = (x: number) => Math.round(x).toLocaleString('en-US');

const started = performance.now();
const info = machine();
log(
  `${info.cpu}, ${info.cores} cores, node ${info.node}, load ${info.loadAverage}, commit ${info.commit}${info.dirty ? '+dirty' : ''}`,
);

// ---- 1. throughput, and full-speed latency from the same runs ---------------------------------
interface ThroughputFigure {
  protocol: BenchProtocol;
  updates: number;
  headlessPerSec: number;
  baselinePerSec: number;
  ratio: number;
  headlessCpuUsPerUpdate: number;
  baselineCpuUsPerUpdate: number;
  headlessLatency: LatencySummary;
  baselineLatency: LatencySummary;
  runs: Omit<StreamResult, 'samples'>[];
}
const throughput: ThroughputFigure[] = [];
const fullSpeedSamples: Record<string, number[]> = {};
let floodPersistence: StreamResult[] = [];
if (only.has(1) || only.has(6)) {
  for (const protocol of PROTOCOLS) {
    const kit = KITS[protocol];
    const runs: StreamResult[] = [];
    for (let r = 0; r < rounds; r += 1) {
      // Alternate the order, so neither side always runs on a warmer (or busier) machine.
      const order: Subject[] = r % 2 === 0 ? ['baseline', 'headless'] : ['headless', 'baseline'];
      for (const subject of order) {
        log(`throughput ${protocol} ${subject} round ${r + 1}/${rounds}`);
        runs.push(await runStream(kit, subject, { orders: THROUGHPUT_ORDERS, keepSamples: true }));
      }
    }
    const of = (s: Subject) => runs.filter((x) => x.subject === s);
    const perSec = (s: Subject) => median(of(s).map((x) => x.updatesPerSec));
    const cpuUs = (s: Subject) =>
      round(median(of(s).map((x) => ((x.cpuMs ?? Number.NaN) * 1000) / x.updates)), 2);
    const pooled = (s: Subject) => of(s).flatMap((x) => x.samples ?? []);
    fullSpeedSamples[`${protocol} headless`] = pooled('headless');
    fullSpeedSamples[`${protocol} baseline`] = pooled('baseline');
    if (protocol === 'houdini') floodPersistence = of('headless');
    throughput.push({
      protocol,
      updates: runs[0]?.updates ?? 0,
      headlessPerSec: perSec('headless'),
      baselinePerSec: perSec('baseline'),
      ratio: round(perSec('headless') / perSec('baseline'), 2),
      headlessCpuUsPerUpdate: cpuUs('headless'),
      baselineCpuUsPerUpdate: cpuUs('baseline'),
      headlessLatency: summarize(pooled('headless')),
      baselineLatency: summarize(pooled('baseline')),
      runs: runs.map(({ samples: _s, ...rest }) => rest),
    });
  }
}
if (only.has(1)) {
  for (const t of throughput) {
    const base = t.protocol === 'ozzobit' ? 'raw socket.io client' : 'raw ws client';
    row({
      figure: `1 throughput ${t.protocol} (${int(t.updates)} updates, ${base})`,
      headless: `${int(t.headlessPerSec)}/s`,
      baseline: `${int(t.baselinePerSec)}/s`,
      ratio: `${t.ratio.toFixed(2)}×`,
      target: '≥ 0.60×',
      result: verdict(t.ratio >= 0.6),
    });
  }
  for (const t of throughput) {
    row({
      figure: `1 CPU per update ${t.protocol}`,
      headless: `${t.headlessCpuUsPerUpdate} µs`,
      baseline: `${t.baselineCpuUsPerUpdate} µs`,
      ratio: `${(t.headlessCpuUsPerUpdate / t.baselineCpuUsPerUpdate).toFixed(2)}×`,
      target: '',
      result: 'info',
    });
  }
  for (const t of throughput) {
    row({
      figure: `2 latency p50/p99/max, full speed ${t.protocol}`,
      headless: lat(t.headlessLatency),
      baseline: lat(t.baselineLatency),
      ratio: `Δp99 ${(t.headlessLatency.p99 - t.baselineLatency.p99).toFixed(1)} ms`,
      target: '',
      result: 'info',
    });
  }
}

// ---- 2. latency at a paced 1,000 updates/s ------------------------------------------------------
interface PacedFigure {
  protocol: BenchProtocol;
  rate: number;
  updates: number;
  headless: LatencySummary;
  baseline: LatencySummary;
  deltaP99: number;
}
const paced: PacedFigure[] = [];
const pacedSamples: Record<string, number[]> = {};
if (only.has(2)) {
  for (const protocol of PROTOCOLS) {
    const kit = KITS[protocol];
    const steps = kit.lifecycle(0).length;
    const orders = Math.ceil(PACED_UPDATES / steps);
    log(`latency ${protocol} at ${PACED_RATE}/s (headless and baseline on the same frames)`);
    const { headless: h, baseline: b } = await runPaired(kit, {
      orders,
      rate: PACED_RATE,
      keepSamples: true,
    });
    pacedSamples[`${protocol} headless`] = h.samples ?? [];
    pacedSamples[`${protocol} baseline`] = b.samples ?? [];
    paced.push({
      protocol,
      rate: PACED_RATE,
      updates: h.updates,
      headless: h.latency,
      baseline: b.latency,
      deltaP99: round(h.latency.p99 - b.latency.p99, 3),
    });
    row({
      figure: `2 latency p50/p99/max at ${int(PACED_RATE)}/s ${protocol}`,
      headless: lat(h.latency),
      baseline: lat(b.latency),
      ratio: `Δp99 ${h.latency.p99 - b.latency.p99 >= 0 ? '+' : ''}${(h.latency.p99 - b.latency.p99).toFixed(2)} ms`,
      target: 'p99 ≤ base + 1 ms',
      result: verdict(h.latency.p99 <= b.latency.p99 + 1),
    });
  }
}

// ---- 3. memory with 10,000 tracked orders; 6. persistence under flood ----------------------------
interface RssFigure {
  orders: number;
  updates: number;
  rate: number;
  headlessPeakMB: number;
  baselinePeakMB: number;
  burstHeadlessPeakMB?: number;
  burstBaselinePeakMB?: number;
  run: Omit<StreamResult, 'samples'>;
}
let rss: RssFigure | undefined;
if (only.has(3) || only.has(6)) {
  const kit = KITS.houdini;
  log(`memory: ${int(RSS_ORDERS)} orders at ${int(RSS_RATE)} updates/s (baseline, then headless)`);
  const b = await runStream(kit, 'baseline', { orders: RSS_ORDERS, rate: RSS_RATE });
  const h = await runStream(kit, 'headless', { orders: RSS_ORDERS, rate: RSS_RATE });
  rss = {
    orders: RSS_ORDERS,
    updates: h.updates,
    rate: RSS_RATE,
    headlessPeakMB: h.peakRssMB ?? Number.NaN,
    baselinePeakMB: b.peakRssMB ?? Number.NaN,
    run: h,
  };
  if (only.has(3) && !quick) {
    log(`memory: ${int(RSS_ORDERS)} orders in one full-speed burst`);
    const bb = await runStream(kit, 'baseline', { orders: RSS_ORDERS });
    const hb = await runStream(kit, 'headless', { orders: RSS_ORDERS });
    rss.burstHeadlessPeakMB = hb.peakRssMB ?? Number.NaN;
    rss.burstBaselinePeakMB = bb.peakRssMB ?? Number.NaN;
  }
}
if (only.has(3) && rss) {
  row({
    figure: `3 peak RSS, ${int(rss.orders)} orders (${int(rss.updates)} updates at ${int(rss.rate)}/s)`,
    headless: `${rss.headlessPeakMB.toFixed(1)} MB`,
    baseline: `${rss.baselinePeakMB.toFixed(1)} MB`,
    ratio: `${(rss.headlessPeakMB / rss.baselinePeakMB).toFixed(2)}×`,
    target: '≤ 100 MB',
    result: verdict(rss.headlessPeakMB <= 100),
  });
  if (rss.burstHeadlessPeakMB !== undefined && rss.burstBaselinePeakMB !== undefined) {
    row({
      figure: `3 peak RSS, ${int(rss.orders)} orders in one full-speed burst`,
      headless: `${rss.burstHeadlessPeakMB.toFixed(1)} MB`,
      baseline: `${rss.burstBaselinePeakMB.toFixed(1)} MB`,
      ratio: `${(rss.burstHeadlessPeakMB / rss.burstBaselinePeakMB).toFixed(2)}×`,
      target: '',
      result: 'info',
    });
  }
}

// ---- 4. idle -------------------------------------------------------------------------------------
let idle: IdleResult | undefined;
if (only.has(4)) {
  log(`idle: five sources, default heartbeats, ${idleWindowMs / 1000} s window`);
  idle = await runIdle(idleWindowMs);
  const i = idle;
  row({
    figure: `4 idle CPU, 5 sources, ${Math.round(i.windowMs / 1000)} s`,
    headless: `${i.headless.cpuPct.toFixed(3)} % (${i.headless.cpuMs} ms)`,
    baseline: `${i.baseline.cpuPct.toFixed(3)} % (${i.baseline.cpuMs} ms)`,
    ratio: `+${(i.headless.cpuPct - i.baseline.cpuPct).toFixed(3)} pt`,
    target: '≤ 0.2 % of a core',
    result: verdict(i.headless.cpuPct <= 0.2),
  });
  const bound = Object.values(i.periods).reduce((n, p) => n + Math.floor(i.windowMs / p) + 1, 0);
  const need = Object.values(i.periods).reduce((n, p) => n + Math.round(i.windowMs / p), 0);
  const freq = Object.keys(i.headless.tooFrequent);
  row({
    figure: `4 idle wake-ups (epoll) / timer firings`,
    headless: `${i.headless.epollWaits ?? 'n/a'} / ${i.headless.timerFirings} (heartbeats need ${need})`,
    baseline: `${i.baseline.epollWaits ?? 'n/a'} / 0`,
    ratio: i.strace ? '' : 'strace missing',
    target: 'no timer above heartbeat pace',
    result: verdict(freq.length === 0 && i.headless.timerFirings <= bound),
  });
}

// ---- 5. start-up ---------------------------------------------------------------------------------
let startup: StartupResult | undefined;
if (only.has(5)) {
  log('start-up: headless --demo to five sources connected');
  startup = await runStartup(quick ? 3 : 5);
  row({
    figure: `5 start-up to 5 demo sources connected (median of ${startup.runs})`,
    headless: `${ms(startup.headlessMedianMs)} ms (max ${ms(startup.headlessMaxMs)})`,
    baseline: `${ms(startup.baselineMedianMs)} ms`,
    ratio: `+${ms(startup.headlessMedianMs - startup.baselineMedianMs)} ms`,
    target: '≤ 1000 ms',
    result: verdict(startup.headlessMedianMs <= 1000),
  });
}

// ---- 6. persistence ------------------------------------------------------------------------------
interface PersistenceFigure {
  label: string;
  orders: number;
  updates: number;
  windowMs: number;
  writes: number;
  bytes: number;
  appends: number;
  writesPerSec: number;
  peakWritesPerSec?: number;
  minSpacingMs?: number;
  writesPer1000: number;
  bytesPer1000: number;
}
const persistence: PersistenceFigure[] = [];
if (only.has(6)) {
  const fig = (label: string, r: StreamResult): PersistenceFigure | undefined => {
    if (!r.persistence) return undefined;
    const { writes, bytes, appends } = r.persistence;
    return {
      label,
      orders: r.orders,
      updates: r.updates,
      windowMs: r.floodWindowMs,
      writes,
      bytes,
      appends,
      writesPerSec: round(writes / (r.floodWindowMs / 1000), 2),
      ...(r.persistence.peakWritesPerSec !== undefined
        ? { peakWritesPerSec: r.persistence.peakWritesPerSec }
        : {}),
      ...(r.persistence.minSpacingMs !== undefined
        ? { minSpacingMs: r.persistence.minSpacingMs }
        : {}),
      writesPer1000: round((writes / r.updates) * 1000, 2),
      bytesPer1000: Math.round((bytes / r.updates) * 1000),
    };
  };
  if (rss) {
    const f = fig(`${int(rss.orders)} orders at ${int(rss.rate)}/s`, rss.run as StreamResult);
    if (f) persistence.push(f);
  }
  for (const r of floodPersistence) {
    const f = fig(`${int(r.orders)} orders, full speed`, r);
    if (f) persistence.push(f);
  }
  for (const p of persistence.slice(0, 2)) {
    const peak = p.peakWritesPerSec ?? Number.NaN;
    row({
      figure: `6 state writes under flood, ${p.label}`,
      headless: `peak ${peak} in 1 s (gap ≥ ${p.minSpacingMs ?? 'n/a'} ms); ${p.writesPer1000} writes, ${(p.bytesPer1000 / 1024).toFixed(0)} KB per 1k updates`,
      baseline: '1,000 writes per 1k updates (one per message)',
      ratio: `${p.writes} writes / ${int(p.updates)} updates`,
      target: '≤ 4 writes/s, not per message',
      result: verdict(peak <= 4 && p.writes * 20 < p.updates),
    });
  }
}

// ---- 7. the window -------------------------------------------------------------------------------
let windowFig: WindowResult | undefined;
if (only.has(7)) {
  log('window: web mode in Chromium');
  windowFig = await runWindow();
  const w = windowFig;
  if (w.error) {
    row({
      figure: '7 window (web mode, Chromium)',
      headless: `n/a (${w.error})`,
      baseline: '',
      ratio: '',
      target: `≤ ${WINDOW_TARGETS.firstRenderMs} ms; p95 ≤ ${WINDOW_TARGETS.p95FrameMs} ms, max ≤ ${WINDOW_TARGETS.maxFrameMs} ms`,
      result: 'n/a',
    });
  } else {
    // From navigation even the empty window needs its page, bundle and bridge connection (the
    // baseline column); the target is read on the part that is the 10,000 orders: snapshot
    // received → first frame with them.
    row({
      figure: `7 window first render, ${int(w.orders)} orders (snapshot → painted)`,
      headless: `${ms(w.renderAfterSnapshotMs ?? Number.NaN)} ms (${ms(w.firstRenderMs ?? Number.NaN)} from navigation)`,
      baseline: `${ms(w.emptyRenderAfterSnapshotMs ?? Number.NaN)} ms (${ms(w.emptyRenderMs ?? Number.NaN)}) empty window`,
      ratio: '',
      target: `≤ ${WINDOW_TARGETS.firstRenderMs} ms`,
      result: verdict((w.renderAfterSnapshotMs ?? Infinity) <= WINDOW_TARGETS.firstRenderMs),
    });
    row({
      figure: `7 window p95 frame, ${int(w.rate ?? 0)} updates/s`,
      headless: `${ms(w.p95FrameMs ?? Number.NaN)} ms (${w.droppedFrames ?? 0} of ${w.frames ?? 0} frames late)`,
      baseline: `${ms(w.idleP95FrameMs ?? Number.NaN)} ms (no updates)`,
      ratio: '',
      target: `≤ ${WINDOW_TARGETS.p95FrameMs} ms`,
      result: verdict((w.p95FrameMs ?? Infinity) <= WINDOW_TARGETS.p95FrameMs),
    });
    row({
      figure: `7 window longest frame, ${int(w.rate ?? 0)} updates/s`,
      headless: `${ms(w.maxFrameMs ?? Number.NaN)} ms`,
      baseline: `p50 ${ms(w.p50FrameMs ?? Number.NaN)} ms`,
      ratio: '',
      target: `≤ ${WINDOW_TARGETS.maxFrameMs} ms`,
      result: verdict((w.maxFrameMs ?? Infinity) <= WINDOW_TARGETS.maxFrameMs),
    });
  }
}

// ---- 8. a year of orders (bounded growth) --------------------------------------------------------
// 500 new orders a day, each finishing, on a fake clock in one process each: a realm-wide Orangepill
// stream (ledger horizon a year) and a Houdini all-orders source (7 days) with the default retention
// (30 days), and as the same-run baseline the Orangepill realm with retention off (3,650 days).
const YEAR_DAYS = quick ? 90 : 365;
const YEAR_PER_DAY = 500;
let year: { realm: YearResult; houdini: YearResult; unbounded: YearResult } | undefined;
if (only.has(8)) {
  log(`year: ${YEAR_DAYS} days × ${YEAR_PER_DAY} orders: realm, Houdini, realm with retention off`);
  const days = YEAR_DAYS;
  const perDay = YEAR_PER_DAY;
  const realm = await runYear({ provider: 'orangepill', days, perDay, retentionDays: 30 });
  const houdini = await runYear({ provider: 'houdini', days, perDay, retentionDays: 30 });
  const unbounded = await runYear({ provider: 'orangepill', days, perDay, retentionDays: 3650 });
  year = { realm, houdini, unbounded };
  const store = (r: YearResult) =>
    `${int(r.storeOrders)} orders, ${r.stateFileMB.toFixed(1)} MB; ledger ${int(r.ledgerEntries)}, ${r.ledgerFileMB.toFixed(1)} MB`;
  for (const [name, r] of [
    ['Orangepill realm', realm],
    ['Houdini all-orders', houdini],
  ] as const) {
    row({
      figure: `8 peak RSS, ${name}, ${YEAR_DAYS} days × ${int(YEAR_PER_DAY)} orders, retention 30 d`,
      headless: `${r.peakRssMB.toFixed(1)} MB (${store(r)})`,
      baseline: `${unbounded.peakRssMB.toFixed(1)} MB retention off (${store(unbounded)})`,
      ratio: `${(r.peakRssMB / unbounded.peakRssMB).toFixed(2)}×`,
      target: '≤ 100 MB',
      result: verdict(r.peakRssMB <= 100),
    });
  }
}

// ---- output --------------------------------------------------------------------------------------
function table(): string {
  const head: Row = {
    figure: 'figure',
    headless: 'orderbell (headless)',
    baseline: 'baseline (same run)',
    ratio: 'ratio / Δ',
    target: 'target',
    result: 'info',
  };
  const cols: (keyof Row)[] = ['figure', 'headless', 'baseline', 'ratio', 'target', 'result'];
  const widths = cols.map((c) => Math.max(...[head, ...rows].map((r) => String(r[c]).length)));
  const line = (r: Row, isHead = false) =>
    `| ${cols
      .map((c, i) => (isHead && c === 'result' ? 'result' : String(r[c])).padEnd(widths[i] ?? 0))
      .join(' | ')} |`;
  const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(head, true), sep, ...rows.map((r) => line(r))].join('\n');
}

const stamp = info.date.replace(/[:]/g, '').replace(/\..*$/, 'Z');
const base = `${stamp}-${info.commit}${info.dirty ? '-dirty' : ''}`;
mkdirSync(outDir, { recursive: true });
const svgSeries = (samples: Record<string, number[]>): Series[] => {
  const colors: Record<BenchProtocol, string> = {
    houdini: '#1f6feb',
    nexchange: '#d9480f',
    ozzobit: '#2b8a3e',
  };
  return Object.entries(samples)
    .filter(([, s]) => s.length > 0)
    .map(([label, s]) => ({
      label: label.replace('headless', 'Orderbell').replace('baseline', 'raw client'),
      color: colors[label.split(' ')[0] as BenchProtocol] ?? '#444',
      dashed: label.endsWith('baseline'),
      samples: s,
    }));
};
const panels = [
  { title: `Paced at ${int(PACED_RATE)} updates/s`, series: svgSeries(pacedSamples) },
  {
    title: `Full speed (${int(THROUGHPUT_ORDERS)} orders walking to terminal, ${rounds} round(s) pooled)`,
    series: svgSeries(fullSpeedSamples),
  },
].filter((p) => p.series.length > 0);
let svgPath: string | undefined;
if (panels.length > 0) {
  svgPath = join(outDir, `${base}-latency.svg`);
  writeFileSync(
    svgPath,
    latencyChart(
      'Orderbell: simulator send → NDJSON line read',
      `${info.cpu}, ${info.cores} cores, node ${info.node}, ${info.date.slice(0, 10)}, ${info.commit}. Solid: headless CLI; dashed: raw baseline client.`,
      panels,
    ),
  );
}
const jsonPath = join(outDir, `${base}.json`);
const results = {
  machine: info,
  options: { quick, rounds, idleWindowMs, figures: [...only] },
  durationS: Math.round((performance.now() - started) / 1000),
  figures: {
    throughput: throughput.map(({ runs, ...t }) => ({ ...t, runs })),
    latencyPaced: paced,
    rss,
    idle,
    startup,
    persistence,
    window: windowFig,
    year,
  },
  table: rows,
  chart: svgPath ? svgPath.split('/').at(-1) : undefined,
  /** Set when ORDERBELL_BENCH_ROOT pointed the bench at another checkout (a "before"). */
  subjectRoot: process.env.ORDERBELL_BENCH_ROOT,
};
writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);

process.stdout.write(
  `\nOrderbell bench — ${info.cpu}, ${info.cores} cores, node ${info.node}, ${info.date}, commit ${info.commit}${info.dirty ? ' (+ uncommitted changes)' : ''}, load ${info.loadAverage}\n\n${table()}\n\n`,
);
const shown = (p: string) => (p.startsWith(`${ROOT}/`) ? p.slice(ROOT.length + 1) : p);
process.stdout.write(`results: ${shown(jsonPath)}\n`);
if (svgPath) process.stdout.write(`chart:   ${shown(svgPath)}\n`);
const missed = rows.filter((r) => r.result === 'MISS').length;
process.stdout.write(
  `${rows.filter((r) => r.result === 'PASS').length} targets met, ${missed} missed (${results.durationS} s)\n`,
);
// Exit explicitly: a natural exit right after closing many proxied sockets has been seen to spin in
// node's exit-time handle cleanup (Environment::CleanupHandles) on this Node 20.
process.exit(0);
