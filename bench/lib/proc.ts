// Child processes for the bench and the soak: the headless CLI and the raw baseline clients, read line
// by line from stdout with the arrival time of each chunk (performance.now() of this process, the
// same clock the simulators' send times are taken on), plus what /proc says about them.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is dist/bench-build/bench/lib/proc.js once compiled). */
export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', '..');
/**
 * The CLI under test. ORDERBELL_BENCH_ROOT points the bench at another checkout (built), to
 * measure a "before" with the same harness: its dist/ and its package.json flags are used.
 */
export const SUBJECT_ROOT = process.env.ORDERBELL_BENCH_ROOT ?? ROOT;
export const HEADLESS = join(SUBJECT_ROOT, 'dist', 'src-main', 'cli', 'headless.js');
/** Compiled bench files (raw clients, probes) live beside this one. */
export const BENCH_BUILD = join(ROOT, 'dist', 'bench-build', 'bench');

export type LineListener = (line: string, t: number) => void;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const STDERR_KEEP = 256 * 1024;

export interface LineProcessOptions {
  env?: Record<string, string>;
  cwd?: string;
}

/** A node process whose stdout is NDJSON (or any line protocol). */
export class LineProcess {
  readonly child: ChildProcess;
  readonly startedAt = performance.now();
  readonly exited: Promise<ExitInfo>;
  exitInfo: ExitInfo | undefined;
  private partial = '';
  private stderr = '';
  private readonly listeners = new Set<LineListener>();
  lines = 0;

  constructor(args: string[], opts: LineProcessOptions = {}) {
    this.child = spawn(process.execPath, args, {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => this.onChunk(chunk, performance.now()));
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
      if (this.stderr.length > 2 * STDERR_KEEP) this.stderr = this.stderr.slice(-STDERR_KEEP);
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error('child has no pid (spawn failed)');
    return pid;
  }

  stderrText(): string {
    return this.stderr;
  }

  onLine(listener: LineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private onChunk(chunk: string, t: number): void {
    let text = this.partial + chunk;
    let end = text.lastIndexOf('\n');
    if (end < 0) {
      this.partial = text;
      return;
    }
    this.partial = text.slice(end + 1);
    text = text.slice(0, end);
    let start = 0;
    for (;;) {
      end = text.indexOf('\n', start);
      const line = end < 0 ? text.slice(start) : text.slice(start, end);
      this.lines += 1;
      for (const listener of this.listeners) listener(line, t);
      if (end < 0) break;
      start = end + 1;
    }
  }

  /** Resolves with the first line (from now on) matching `pred`; bounded by `timeoutMs`. */
  waitForLine(
    pred: (line: string) => boolean,
    what: string,
    timeoutMs = 15_000,
  ): Promise<{ line: string; t: number }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${this.tail()}`));
      }, timeoutMs);
      const off = this.onLine((line, t) => {
        if (!pred(line)) return;
        clearTimeout(timer);
        off();
        resolve({ line, t });
      });
      void this.exited.then((info) => {
        clearTimeout(timer);
        off();
        reject(
          new Error(`process exited (${JSON.stringify(info)}) waiting for ${what}${this.tail()}`),
        );
      });
    });
  }

  /** Resolves once `count()` reaches `n` (checked on every line); bounded by `timeoutMs`. */
  async waitUntil(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!cond()) {
      if (this.exitInfo) throw new Error(`process exited waiting for ${what}${this.tail()}`);
      if (performance.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${this.tail()}`);
      }
      await sleep(5);
    }
  }

  private tail(): string {
    const err = this.stderr.slice(-1500).trim();
    return err ? `\n--- child stderr (tail) ---\n${err}` : '';
  }

  /** Signal, then wait (bounded) for the exit; SIGKILL if it does not come. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 3_000): Promise<ExitInfo> {
    if (this.exitInfo) return this.exitInfo;
    this.child.kill(signal);
    const killer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const info = await this.exited;
    clearTimeout(killer);
    return info;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** CPU time of every thread of a process, in ms (schedstat: ns resolution; stat: 10 ms ticks). */
export function cpuMs(pid: number): number | undefined {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const first = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0];
      ns += Number(first);
    }
    return ns / 1e6;
  } catch {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 (1-based) of the whole line: 12 and 13 here.
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return undefined;
    }
  }
}

/** VmRSS and VmHWM (peak) of a process, in MB. */
export function memoryMB(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rss: field('VmRSS') / 1024, peak: field('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** Voluntary + involuntary context switches of every thread (a proxy for wake-ups). */
export function contextSwitches(pid: number): number | undefined {
  try {
    let n = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      n += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      n += Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    }
    return n;
  } catch {
    return undefined;
  }
}

/** The `orderbell-probe` report the preloaded probe writes to stderr (the last one). */
export function probeReport(stderr: string, why?: string): Record<string, unknown> | undefined {
  const marker = why === undefined ? 'orderbell-probe {' : `orderbell-probe {"why":"${why}"`;
  const i = stderr.lastIndexOf(marker);
  if (i < 0) return undefined;
  const end = stderr.indexOf('\n', i);
  try {
    return JSON.parse(
      stderr.slice(i + 'orderbell-probe '.length, end < 0 ? undefined : end),
    ) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** `npm run headless` from package.json (the subject's, see SUBJECT_ROOT), split into words. */
function headlessScript(): string[] {
  const pkg = JSON.parse(readFileSync(join(SUBJECT_ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  return (pkg.scripts?.headless ?? '').split(/\s+/).filter(Boolean);
}

/**
 * The node flags `npm run headless` passes (package.json), so the bench runs the CLI exactly as a
 * user does, minus npm's own start-up.
 */
export function headlessNodeFlags(): string[] {
  const tokens = headlessScript();
  const at = tokens.indexOf('node');
  if (at < 0) return [];
  const flags: string[] = [];
  for (const t of tokens.slice(at + 1)) {
    if (!t.startsWith('--')) break;
    flags.push(t);
  }
  return flags;
}

/** The environment `npm run headless` sets before `exec node` (`NAME=value` words). */
export function headlessEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const t of headlessScript()) {
    const m = /^([A-Z_][A-Z0-9_]*)=(\S*)$/.exec(t);
    if (!m) break;
    env[m[1] as string] = m[2] as string;
  }
  return env;
}

/** node arguments that start the headless CLI as `npm run headless` does. */
export function headlessArgs(args: string[], extraNodeArgs: string[] = []): string[] {
  return [...headlessNodeFlags(), ...extraNodeArgs, HEADLESS, ...args];
}

/** The headless CLI as `npm run headless` starts it: its node flags and its environment. */
export function headlessProcess(
  args: string[],
  opts: { nodeArgs?: string[]; env?: Record<string, string> } = {},
): LineProcess {
  return new LineProcess(headlessArgs(args, opts.nodeArgs), {
    env: { ...headlessEnv(), ...opts.env },
  });
}
