// Figure 4: idle cost. All five simulators on loopback, the headless CLI watching them with the
// default heartbeat intervals and a few orders that do not change, and beside it a raw process with
// the same five connections doing nothing. Over the window: CPU time (schedstat), event-loop
// wake-ups (strace: epoll_wait returns, when strace is installed), context switches, and every
// timer that fired in the headless process by period (bench/probe.ts, preloaded).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_PROVIDERS } from '../../src-main/engine/providers/index.js';
import { FALLBACK_POLL_MS } from '../../src-main/engine/providers/satoriex.js';
import { mapProviders } from '../../src-main/shared/providers.js';
import { startHoudiniSimulator } from '../../src-main/simulator/houdini.js';
import { startNexchangeSimulator } from '../../src-main/simulator/nexchange.js';
import { startOrangepillSimulator } from '../../src-main/simulator/orangepill.js';
import { startOzzobitSimulator } from '../../src-main/simulator/ozzobit.js';
import {
  SATORIEX_DEFAULT_MARKET,
  startSatoriexSimulator,
} from '../../src-main/simulator/satoriex.js';
import type { Simulator } from '../../src-main/simulator/types.js';
import {
  BENCH_BUILD,
  contextSwitches,
  cpuMs,
  headlessProcess,
  LineProcess,
  sleep,
} from './proc.js';
import { round } from './stats.js';

/** The adapters' own default periods (read from their descriptors, not copied). */
function defaultPeriods(): Record<string, number> {
  return {
    ...mapProviders((_, key) => ENGINE_PROVIDERS[key].defaultHeartbeatMs),
    'satoriex REST poll': FALLBACK_POLL_MS,
  };
}

export interface IdleSide {
  cpuMs: number;
  /** Percent of one core over the window. */
  cpuPct: number;
  contextSwitches?: number;
  /** epoll_wait/epoll_pwait calls over the window (strace -c), when strace is installed. */
  epollWaits?: number;
}

export interface IdleResult {
  windowMs: number;
  headless: IdleSide & {
    /** Timer callbacks that ran in the window, keyed `timeout:<ms>` / `interval:<ms>`. */
    timers: Record<string, number>;
    timerFirings: number;
    /** Firings the heartbeats and the SatoriEx poll need in the window (periods below). */
    expectedFirings: number;
    /** Timers with a period shorter than the shortest heartbeat that fired anyway. */
    tooFrequent: Record<string, number>;
    /** NDJSON lines written in the window (nothing changes, so none are expected). */
    linesInWindow: number;
  };
  baseline: IdleSide;
  periods: Record<string, number>;
  strace: boolean;
}

export const IDLE_SETTLE_MS = 10_000;

const hasStrace = (): boolean => spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;

/** `strace -c` on one process for the window; resolves with the epoll_wait count. */
function straceEpoll(pid: number): { stop(): Promise<number | undefined> } {
  const child = spawn(
    'strace',
    ['-f', '-c', '-e', 'trace=epoll_wait,epoll_pwait', '-p', String(pid)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    async stop() {
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(killer);
      let calls = 0;
      let seen = false;
      for (const line of err.split('\n')) {
        const t = line.trim().split(/\s+/);
        if (t.at(-1) === 'epoll_wait' || t.at(-1) === 'epoll_pwait') {
          calls += Number(t[3]);
          seen = true;
        }
      }
      return seen ? calls : err.includes('% time') ? 0 : undefined;
    },
  };
}

async function probeTimers(proc: LineProcess): Promise<Record<string, number>> {
  const before = proc.stderrText().length;
  proc.child.kill('SIGUSR2');
  const marker = 'orderbell-probe {"why":"signal"';
  await proc.waitUntil(() => proc.stderrText().indexOf(marker, before) >= 0, 'probe report', 5_000);
  const text = proc.stderrText();
  const at = text.indexOf(marker, before);
  const end = text.indexOf('\n', at);
  const report = JSON.parse(text.slice(at + 'orderbell-probe '.length, end)) as {
    timers: Record<string, number>;
  };
  return report.timers;
}

const cred = (sim: Simulator, k: string) => sim.credentials[k] ?? '';

export async function runIdle(windowMs: number): Promise<IdleResult> {
  const dir = mkdtempSync(join(tmpdir(), 'orderbell-bench-idle-'));
  const sims = await Promise.all([
    startNexchangeSimulator(),
    startOzzobitSimulator(),
    startHoudiniSimulator(),
    startOrangepillSimulator(),
    startSatoriexSimulator(),
  ]);
  const [nx, oz, hd, op, sx] = sims as [Simulator, Simulator, Simulator, Simulator, Simulator];
  let headless: LineProcess | undefined;
  let baseline: LineProcess | undefined;
  try {
    // A few tracked orders in mid-life that will not move during the window.
    nx.setStatus('NX-1', 13);
    nx.setStatus('NX-2', 16);
    oz.setStatus('OZ-1', 'ORDER_PROCESSING');
    hd.setStatus('HD-1', 2);
    hd.setStatus('HD-2', 4);
    sx.setStatus('sx-1', 'open', { market: SATORIEX_DEFAULT_MARKET });
    const sources = [
      { id: 'nx', provider: 'nexchange', url: nx.url, orders: ['NX-1', 'NX-2'] },
      {
        id: 'oz',
        provider: 'ozzobit',
        url: oz.url,
        apiKey: cred(oz, 'apiKey'),
        env: 'STAGING',
        orders: ['OZ-1'],
        allOrders: true,
      },
      {
        id: 'hd',
        provider: 'houdini',
        url: hd.url,
        restUrl: hd.restUrl,
        partnerId: cred(hd, 'partnerId'),
        secret: cred(hd, 'secret'),
        orders: [],
      },
      { id: 'op', provider: 'orangepill', url: op.url, realmKey: cred(op, 'realmKey') },
      {
        id: 'sx',
        provider: 'satoriex',
        url: sx.url,
        token: cred(sx, 'token'),
        markets: [SATORIEX_DEFAULT_MARKET],
        restUrl: sx.restUrl,
      },
    ];
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ sources }));
    const spec = join(dir, 'raw-idle.json');
    writeFileSync(
      spec,
      JSON.stringify({
        ws: [
          { url: nx.url, send: ['NX-1', 'NX-2'].map((r) => JSON.stringify({ subscribe: r })) },
          {
            url: hd.url,
            headers: { Authorization: `${cred(hd, 'partnerId')}:${cred(hd, 'secret')}` },
            send: [JSON.stringify({ type: 'subscribe' })],
          },
          {
            url: op.url,
            send: [JSON.stringify({ type: 'subscribe', realm: cred(op, 'realmKey') })],
          },
          {
            url: `${sx.url}?token=${encodeURIComponent(cred(sx, 'token'))}`,
            send: [JSON.stringify({ type: 'subscribe', market_id: SATORIEX_DEFAULT_MARKET })],
          },
        ],
        sio: [{ url: oz.url, auth: { apiKey: cred(oz, 'apiKey'), env: 'STAGING' } }],
      }),
    );

    headless = headlessProcess(['--config', config, '--state-dir', join(dir, 'state')], {
      nodeArgs: [`--import=${join(BENCH_BUILD, 'probe.js')}`],
    });
    baseline = new LineProcess([join(BENCH_BUILD, 'clients', 'raw-idle.js'), spec]);
    const connected = new Set<string>();
    headless.onLine((line) => {
      if (line.includes('"state":"connected"')) {
        connected.add((JSON.parse(line) as { source: string }).source);
      }
    });
    let rawOpen = 0;
    baseline.onLine(() => (rawOpen += 1));
    await headless.waitUntil(() => connected.size === 5, 'five sources connected', 20_000);
    await baseline.waitUntil(() => rawOpen === 5, 'five raw connections', 20_000);
    // Start-up work settles first: REST catch-ups, subscribe answers, V8's post-start compilation
    // and its memory-reducer GC (a few seconds after allocation stops). Steady state is measured.
    await sleep(IDLE_SETTLE_MS);

    const h = headless;
    const b = baseline;
    const useStrace = !process.env.ORDERBELL_BENCH_NO_STRACE && hasStrace();
    const timers0 = await probeTimers(h);
    const lines0 = h.lines;
    const cpu0 = { h: cpuMs(h.pid), b: cpuMs(b.pid) };
    const cs0 = { h: contextSwitches(h.pid), b: contextSwitches(b.pid) };
    const tracers = useStrace ? { h: straceEpoll(h.pid), b: straceEpoll(b.pid) } : undefined;
    const t0 = performance.now();
    await sleep(windowMs);
    const elapsed = performance.now() - t0;
    const epoll = tracers
      ? { h: await tracers.h.stop(), b: await tracers.b.stop() }
      : { h: undefined, b: undefined };
    const cpu1 = { h: cpuMs(h.pid), b: cpuMs(b.pid) };
    const cs1 = { h: contextSwitches(h.pid), b: contextSwitches(b.pid) };
    const timers1 = await probeTimers(h);
    const linesInWindow = h.lines - lines0;

    const timers: Record<string, number> = {};
    for (const [k, v] of Object.entries(timers1)) {
      const d = v - (timers0[k] ?? 0);
      if (d > 0) timers[k] = d;
    }
    const periods = defaultPeriods();
    const shortest = Math.min(...Object.values(periods));
    const tooFrequent = Object.fromEntries(
      Object.entries(timers).filter(([k]) => Number(k.split(':')[1]) < shortest),
    );
    const expectedFirings = Object.values(periods).reduce((n, p) => n + Math.ceil(elapsed / p), 0);
    const side = (
      c0: number | undefined,
      c1: number | undefined,
      s0: number | undefined,
      s1: number | undefined,
      ep: number | undefined,
    ): IdleSide => {
      const used = (c1 ?? 0) - (c0 ?? 0);
      return {
        cpuMs: round(used, 1),
        cpuPct: round((used / elapsed) * 100, 3),
        ...(s0 !== undefined && s1 !== undefined ? { contextSwitches: s1 - s0 } : {}),
        ...(ep !== undefined ? { epollWaits: ep } : {}),
      };
    };
    return {
      windowMs: Math.round(elapsed),
      headless: {
        ...side(cpu0.h, cpu1.h, cs0.h, cs1.h, epoll.h),
        timers,
        timerFirings: Object.values(timers).reduce((a, c) => a + c, 0),
        expectedFirings,
        tooFrequent,
        linesInWindow,
      },
      baseline: side(cpu0.b, cpu1.b, cs0.b, cs1.b, epoll.b),
      periods,
      strace: useStrace,
    };
  } finally {
    await headless?.stop('SIGTERM');
    await baseline?.stop('SIGKILL');
    await Promise.all(sims.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}
