// Headless mode as a service (docs/service.md), as a service manager runs it: the built CLI with
// --http on a real loopback port, real simulators as peers, signals to the process. /healthz and
// /metrics (read with a strict exposition-format reader), the 503 after a source stays down, the
// refusal of a public address, SIGHUP reloads, and the logs on a terminal and on a pipe.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { constants, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { request, type Agent } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../src-main/cli/metrics.js';
import { RELOAD_FAILED_CODE } from '../../src-main/cli/reload.js';
import type { EngineEvent } from '../../src-main/engine/types.js';
import { startHoudiniSimulator } from '../../src-main/simulator/houdini.js';
import { startNexchangeSimulator } from '../../src-main/simulator/nexchange.js';
import type { Simulator } from '../../src-main/simulator/types.js';
import { parsePromText, sampleOf } from '../support/prom-text.js';
import { startRecordingServer, type RecordingServer } from '../support/recording-server.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'src-main', 'cli', 'headless.js');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Run {
  child: ChildProcess;
  lines: EngineEvent[];
  stderr: () => string;
  exited: Promise<{ code: number | null; at: number }>;
  until(cond: () => boolean, what: string, ms?: number): Promise<void>;
  /** The `http://127.0.0.1:PORT` printed on stderr. */
  url(): Promise<string>;
}

const runs: Run[] = [];
const sims: Simulator[] = [];
const servers: RecordingServer[] = [];
afterEach(async () => {
  for (const r of runs.splice(0)) {
    try {
      if (r.child.pid && r.child.exitCode === null) process.kill(-r.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const s of sims.splice(0)) await s.close();
  for (const s of servers.splice(0)) await s.close();
});

/** The CLI in its own process group: `node` itself (signals reach it as systemd sends them) or via npm. */
function headless(args: string[], opts: { env?: Record<string, string>; npm?: boolean } = {}): Run {
  const [cmd, argv] = opts.npm
    ? [npm, ['run', '-s', 'headless', '--', ...args]]
    : [process.execPath, [CLI, ...args]];
  const child = spawn(cmd, argv, {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, ORDERBELL_LOG: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const lines: EngineEvent[] = [];
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    const parts = out.split('\n');
    out = parts.pop() ?? '';
    for (const line of parts) lines.push(JSON.parse(line) as EngineEvent);
  });
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, at: Date.now() })),
  );
  const run: Run = {
    child,
    lines,
    stderr: () => err,
    exited,
    async until(cond, what, ms = 15_000) {
      const deadline = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(
            `waiting for ${what}: ${child.exitCode !== null ? 'exited' : 'timed out'}\nstderr: ${err.slice(-2000)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async url() {
      const found = () => /service endpoints at (http:\/\/\S+) /.exec(err)?.[1];
      await run.until(() => found() !== undefined, 'the service address');
      return found() ?? '';
    },
  };
  runs.push(run);
  return run;
}

interface Reply {
  status: number;
  type: string;
  body: string;
}
function get(url: string, method = 'GET', agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ...(agent ? { agent } : {}) }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }),
      );
    });
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

const alertsOf = (run: Run, orderId: string) =>
  run.lines.filter((l) => l.kind === 'alert' && l.orderId === orderId);
const connected = (run: Run, source: string) =>
  run.lines.some((l) => l.kind === 'connection' && l.source === source && l.state === 'connected');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function configFile(dir: string, json: unknown): string {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(json));
  return file;
}

describe('headless service endpoints', () => {
  it('serves /healthz and /metrics for every configured source, on loopback', async () => {
    const hd = await startHoudiniSimulator();
    const nx = await startNexchangeSimulator();
    sims.push(hd, nx);
    const dir = mkdtempSync(join(tmpdir(), 'ob-svc-'));
    const file = configFile(dir, {
      sources: [
        {
          id: 'hd',
          provider: 'houdini',
          url: hd.url,
          restUrl: hd.restUrl,
          ...hd.credentials,
          orders: ['H1'],
        },
        { id: 'nx', provider: 'nexchange', url: nx.url, orders: ['N1'] },
        { id: 'off', provider: 'nexchange', url: nx.url, enabled: false },
      ],
    });
    const run = headless([
      '--config',
      file,
      '--state-dir',
      join(dir, 'state'),
      '--http',
      '127.0.0.1:0',
    ]);
    const base = await run.url();
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await run.until(() => connected(run, 'hd') && connected(run, 'nx'), 'both connected');
    await sleep(200); // subscriptions on the wire
    hd.setStatus('H1', 2);
    hd.setStatus('H1', 4);
    await run.until(() => alertsOf(run, 'H1').length === 1, 'the alert');

    const health = await get(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(health.type).toBe('application/json');
    expect(JSON.parse(health.body)).toEqual({
      status: 'ok',
      sources: { hd: 'connected', nx: 'connected', off: 'offline' },
    });

    const metrics = await get(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parsePromText(metrics.body);
    const hdLabels = { source: 'hd', provider: 'houdini' };
    expect(sampleOf(m, METRIC_NAMES.alerts, hdLabels)).toBe(1);
    expect(sampleOf(m, METRIC_NAMES.orderUpdates, hdLabels)).toBe(2);
    expect(sampleOf(m, METRIC_NAMES.frames, hdLabels)).toBeGreaterThanOrEqual(2);
    expect(sampleOf(m, METRIC_NAMES.catchUpLookups, hdLabels)).toBeGreaterThanOrEqual(1);
    expect(sampleOf(m, METRIC_NAMES.reconnects, hdLabels)).toBe(0);
    expect(sampleOf(m, METRIC_NAMES.connectionState, { ...hdLabels, state: 'connected' })).toBe(1);
    expect(sampleOf(m, METRIC_NAMES.lastMessageAge, hdLabels)).toBeLessThan(60);
    expect(sampleOf(m, METRIC_NAMES.enabled, { source: 'off', provider: 'nexchange' })).toBe(0);
    for (const name of Object.values(METRIC_NAMES)) {
      if (!name.startsWith('orderbell_source_') || name === METRIC_NAMES.lastMessageAge) continue;
      const labelled = new Set(
        m.get(name)?.samples.map((s) => `${s.labels.source}/${s.labels.provider}`),
      );
      expect(labelled, name).toEqual(new Set(['hd/houdini', 'nx/nexchange', 'off/nexchange']));
    }
    expect(m.has('orderbell_process_resident_memory_bytes')).toBe(true);

    expect((await get(`${base}/`)).status).toBe(404);
    expect((await get(`${base}/healthz`, 'POST')).status).toBe(405);
    expect(run.stderr()).not.toContain(hd.credentials.secret ?? 'unreachable');
    process.kill(run.child.pid ?? 0, 'SIGTERM');
    expect((await run.exited).code).toBe(0);
  });

  it('/healthz turns 503 (same body, "status":"ok") once a source stays auth_failed past the grace', async () => {
    const hd = await startHoudiniSimulator();
    const nx = await startNexchangeSimulator();
    sims.push(hd, nx);
    const dir = mkdtempSync(join(tmpdir(), 'ob-svc-'));
    const file = configFile(dir, {
      sources: [
        { id: 'hd', provider: 'houdini', url: hd.url, partnerId: 'p', secret: 'wrong-secret' },
        { id: 'nx', provider: 'nexchange', url: nx.url, orders: ['N1'] },
      ],
    });
    const run = headless(
      ['--config', file, '--state-dir', join(dir, 'state'), '--http', '127.0.0.1:0'],
      { env: { ORDERBELL_HEALTH_GRACE_MS: '1500' } },
    );
    const base = await run.url();
    const failed = () =>
      run.lines.some(
        (l) => l.kind === 'connection' && l.source === 'hd' && l.state === 'auth_failed',
      );
    await run.until(() => failed() && connected(run, 'nx'), 'hd auth_failed, nx connected');
    // Within the grace: still healthy, and the body says why it may not stay so.
    const early = await get(`${base}/healthz`);
    expect(early.status).toBe(200);
    expect(JSON.parse(early.body)).toEqual({
      status: 'ok',
      sources: { hd: 'auth_failed', nx: 'connected' },
    });
    let late: Reply = early;
    for (let i = 0; i < 40 && late.status === 200; i++) {
      await sleep(100);
      late = await get(`${base}/healthz`);
    }
    expect(late.status).toBe(503);
    expect(late.type).toBe('application/json');
    // The contract: "otherwise 503 with the same body"; the code alone carries the verdict.
    expect(JSON.parse(late.body)).toEqual({
      status: 'ok',
      sources: { hd: 'auth_failed', nx: 'connected' },
    });
    process.kill(run.child.pid ?? 0, 'SIGTERM');
    expect((await run.exited).code).toBe(0);
  });

  it('refuses a non-loopback --http with exit 2 before connecting, unless --http-public', async () => {
    const nx = await startNexchangeSimulator();
    sims.push(nx);
    const dir = mkdtempSync(join(tmpdir(), 'ob-svc-'));
    const file = configFile(dir, {
      sources: [{ id: 'nx', provider: 'nexchange', url: nx.url, orders: ['N1'] }],
    });
    for (const address of ['0.0.0.0:0', '[::]:0']) {
      const refused = headless([
        '--config',
        file,
        '--state-dir',
        join(dir, 's1'),
        '--http',
        address,
      ]);
      expect((await refused.exited).code).toBe(2);
      expect(refused.stderr()).toMatch(
        /would serve \/healthz and \/metrics .* beyond this machine; add --http-public/,
      );
      expect(refused.lines).toEqual([]);
    }
    const bad = headless(['--config', file, '--state-dir', join(dir, 's1'), '--http', 'nowhere']);
    expect((await bad.exited).code).toBe(2);
    expect(bad.stderr()).toMatch(/--http "nowhere": expected HOST:PORT/);
    expect(nx.stats.accepted).toBe(0);

    const open = headless([
      '--config',
      file,
      '--state-dir',
      join(dir, 's2'),
      '--http',
      '0.0.0.0:0',
      '--http-public',
    ]);
    const base = await open.url();
    const port = new URL(base).port;
    expect((await get(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    process.kill(open.child.pid ?? 0, 'SIGTERM');
    expect((await open.exited).code).toBe(0);
  });

  it('an --http port already in use exits 2 with the reason, before connecting', async () => {
    const nx = await startNexchangeSimulator();
    sims.push(nx);
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const { port } = taken.address() as AddressInfo;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ob-svc-'));
      const file = configFile(dir, {
        sources: [{ id: 'nx', provider: 'nexchange', url: nx.url, orders: ['N1'] }],
      });
      const run = headless(['--config', file, '--state-dir', dir, '--http', `127.0.0.1:${port}`]);
      expect((await run.exited).code).toBe(2);
      expect(run.stderr()).toMatch(new RegExp(`--http 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
      expect(run.lines).toEqual([]);
      expect(nx.stats.accepted).toBe(0);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it('a group SIGTERM with --http and a scraper caught mid-request still exits 0 in < 2 s', async () => {
    const nx = await startNexchangeSimulator();
    sims.push(nx);
    const dir = mkdtempSync(join(tmpdir(), 'ob-svc-'));
    const file = configFile(dir, {
      sources: [{ id: 'nx', provider: 'nexchange', url: nx.url, orders: ['N1'] }],
    });
    const run = headless(
      ['--config', file, '--state-dir', join(dir, 'state'), '--http', '127.0.0.1:0'],
      {
        npm: true,
      },
    );
    const base = await run.url();
    await run.until(() => connected(run, 'nx'), 'connected');
    expect((await get(`${base}/metrics`)).status).toBe(200);
    // A scraper caught mid-request: its connection is busy, not idle, so closing the server
    // alone would wait for it.
    const { port } = new URL(base);
    const busy = connect(Number(port), '127.0.0.1');
    await new Promise((r) => busy.once('connect', r));
    busy.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
    busy.on('error', () => undefined);
    await sleep(100);
    const sent = Date.now();
    process.kill(-(run.child.pid ?? 0), 'SIGTERM');
    const { code, at } = await run.exited;
    busy.destroy();
    expect(code).toBe(0);
    expect(at - sent).toBeLessThan(2_000);
    // A clean stop (state flushed), not the forced exit at the deadline: the open connection did
    // not hold the HTTP server's close.
    expect(run.stderr()).toMatch(/"msg":"stopped"/);
  });
});

/**
 * A config path that is a named pipe: the CLI's open of it waits for a writer, so the process
 * stays in the middle of its start-up (config not read, no engine, nothing connected) until
 * `release` opens the other end. Node's exit waits for that open too, hence `release` after a stop.
 */
function pipeConfig(dir: string): { path: string; release: () => Promise<void> } {
  const path = join(dir, 'config.fifo');
  execFileSync('mkfifo', [path]);
  // Non-blocking: with no reader left (the process is gone) this fails at once instead of waiting.
  const release = async () => {
    try {
      await (await open(path, constants.O_WRONLY | constants.O_NONBLOCK)).close();
    } catch {
      // ENXIO: nobody is reading any more
    }
  };
  return { path, release };
}

/** Node itself catches SIGINT and SIGTERM from its start; SIGHUP is caught only by our handler. */
const SIGHUP_NO = 1;

/** Whether a process catches a signal, from /proc (Linux): SigCgt has bit (number - 1). */
function catches(pid: number, signal: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mask = BigInt(`0x${/^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? '0'}`);
    return (mask & (1n << BigInt(signal - 1))) !== 0n;
  } catch {
    return false;
  }
}

/** A bounded tight loop until the process first catches `signal`: the earliest moment to send it. */
async function untilCatching(run: Run, signal: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  const pid = run.child.pid ?? 0;
  while (!catches(pid, signal) && Date.now() < deadline && run.child.exitCode === null) {
    await new Promise((r) => setImmediate(r));
  }
}

describe('signals during start-up', () => {
  const linux = process.platform === 'linux';

  it.skipIf(!linux)('a SIGTERM before the engine exists exits 0 promptly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ob-svc-'));
    const fifo = pipeConfig(dir);
    const run = headless(['--config', fifo.path, '--state-dir', join(dir, 'state')]);
    await untilCatching(run, SIGHUP_NO); // the handlers are there: the CLI is starting
    const sent = Date.now();
    process.kill(run.child.pid ?? 0, 'SIGTERM');
    await sleep(100);
    await fifo.release();
    const { code, at } = await run.exited;
    expect(run.child.signalCode).toBeNull(); // ended by itself, not by the signal
    expect(code).toBe(0);
    expect(at - sent).toBeLessThan(2_000);
    expect(run.lines).toEqual([]);
    expect(run.stderr()).not.toMatch(/fatal/);
  });

  it.skipIf(!linux)('a SIGHUP before the engine exists does not end the process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ob-svc-'));
    const fifo = pipeConfig(dir);
    const run = headless(['--config', fifo.path, '--state-dir', join(dir, 'state')]);
    await untilCatching(run, SIGHUP_NO);
    process.kill(run.child.pid ?? 0, 'SIGHUP');
    await sleep(300);
    expect(run.child.signalCode).toBeNull();
    expect(run.child.exitCode).toBeNull();
    process.kill(run.child.pid ?? 0, 'SIGTERM');
    await sleep(100);
    await fifo.release();
    const { code } = await run.exited;
    expect(run.child.signalCode).toBeNull();
    expect(code).toBe(0);
  });

  it.skipIf(!linux)(
    'a SIGHUP as early as the process can take it: one reload once the run has started',
    async () => {
      const nx = await startNexchangeSimulator();
      sims.push(nx);
      const dir = mkdtempSync(join(tmpdir(), 'ob-svc-'));
      const file = configFile(dir, {
        sources: [{ id: 'nx', provider: 'nexchange', url: nx.url, orders: ['N1'] }],
      });
      const run = headless(['--config', file, '--state-dir', join(dir, 'state')]);
      const pid = run.child.pid ?? 0;
      await untilCatching(run, SIGHUP_NO);
      process.kill(pid, 'SIGHUP');
      process.kill(pid, 'SIGHUP'); // two while starting count as one
      await run.until(() => connected(run, 'nx'), 'connected');
      await run.until(() => /config reloaded/.test(run.stderr()), 'the reload');
      await sleep(300);
      const log = run.stderr();
      expect(log.match(/config reloaded/g)).toHaveLength(1);
      // Asked for while starting: the reload ran after the start, not before.
      expect(log.indexOf('"msg":"starting"')).toBeLessThan(log.indexOf('config reloaded'));
      process.kill(pid, 'SIGTERM');
      expect((await run.exited).code).toBe(0);
    },
  );
});

describe('SIGHUP reload', () => {
  it('adds, removes and changes sources with running peers; every order alerts exactly once', async () => {
    const hd = await startHoudiniSimulator();
    const nx = await startNexchangeSimulator();
    const nx2 = await startNexchangeSimulator();
    sims.push(hd, nx, nx2);
    const dir = mkdtempSync(join(tmpdir(), 'ob-reload-'));
    const hdSource = (orders: string[]) => ({
      id: 'hd',
      provider: 'houdini',
      url: hd.url,
      restUrl: hd.restUrl,
      ...hd.credentials,
      orders,
    });
    const file = configFile(dir, {
      sources: [
        hdSource(['H1', 'H2']),
        { id: 'nx', provider: 'nexchange', url: nx.url, orders: ['N1'] },
      ],
    });
    const run = headless([
      '--config',
      file,
      '--state-dir',
      join(dir, 'state'),
      '--http',
      '127.0.0.1:0',
    ]);
    const base = await run.url();
    await run.until(() => connected(run, 'hd') && connected(run, 'nx'), 'both connected');
    await sleep(200);
    hd.setStatus('H1', 2);
    hd.setStatus('H2', 2);
    nx.setStatus('N1', 13);
    await run.until(
      () => run.lines.filter((l) => l.kind === 'order').length === 3,
      'three order lines',
    );

    // hd changes (a new watched order), nx goes, nx2 comes; H1 finishes while the reload runs.
    configFile(dir, {
      sources: [
        hdSource(['H1', 'H2', 'H3']),
        { id: 'nx2', provider: 'nexchange', url: nx2.url, orders: ['M1'] },
      ],
    });
    const hdConnects = run.lines.filter((l) => l.kind === 'connection' && l.source === 'hd').length;
    process.kill(run.child.pid ?? 0, 'SIGHUP');
    hd.setStatus('H1', 4);
    await run.until(() => run.stderr().includes('config reloaded'), 'the reload');
    await run.until(() => connected(run, 'nx2'), 'nx2 connected');
    await run.until(
      () =>
        run.lines.filter(
          (l) => l.kind === 'connection' && l.source === 'hd' && l.state === 'connected',
        ).length === 2,
      'hd reconnected with its new settings',
    );
    expect(
      run.lines.filter((l) => l.kind === 'connection' && l.source === 'hd').length,
    ).toBeGreaterThan(hdConnects);
    await run.until(() => alertsOf(run, 'H1').length === 1, 'H1 alerted (live or caught up)');
    await run.until(() => nx.connections() === 0, 'nx disconnected');
    await sleep(300); // subscriptions of the new connections on the wire
    hd.setStatus('H2', 6); // an order the changed source already tracked
    hd.setStatus('H3', 4); // watched only by the new settings
    nx2.setStatus('M1', 16); // the added source
    nx.setStatus('N1', 16); // the removed source: nobody listens
    await run.until(
      () => ['H2', 'H3', 'M1'].every((id) => alertsOf(run, id).length === 1),
      'alerts of H2, H3 and M1',
    );

    const health = JSON.parse((await get(`${base}/healthz`)).body) as { sources: object };
    expect(health.sources).toEqual({ hd: 'connected', nx2: 'connected' });
    const m = parsePromText((await get(`${base}/metrics`)).body);
    const labelled = new Set(m.get(METRIC_NAMES.frames)?.samples.map((s) => s.labels.source));
    expect(labelled).toEqual(new Set(['hd', 'nx2']));
    // The changed source kept its counters: H1 and H2's first updates were before the reload.
    expect(sampleOf(m, METRIC_NAMES.orderUpdates, { source: 'hd' })).toBeGreaterThanOrEqual(5);

    // An invalid file: reported, and the running config stays (hd and nx2 still alert).
    writeFileSync(file, '{"sources": [ {"id": "hd", "provider": "houdini"');
    process.kill(run.child.pid ?? 0, 'SIGHUP');
    await run.until(
      () => run.lines.some((l) => l.kind === 'problem' && l.code === RELOAD_FAILED_CODE),
      'the problem line',
    );
    expect(run.stderr()).toMatch(
      /orderbell: config file .* not reloaded, the running config stays: .*not valid JSON/,
    );
    hd.setStatus('H4', 4); // not watched: not pushed, nothing to see
    nx2.setStatus('M2', 16); // not watched either
    hd.setStatus('H3', 4); // a repeat of a finished order
    nx2.setStatus('M1', 16);
    await sleep(500);
    expect(connected(run, 'nx2')).toBe(true);
    expect(JSON.parse((await get(`${base}/healthz`)).body)).toEqual({
      status: 'ok',
      sources: { hd: 'connected', nx2: 'connected' },
    });

    process.kill(run.child.pid ?? 0, 'SIGTERM');
    expect((await run.exited).code).toBe(0);
    // Exactly once each; nothing from the removed source after it went.
    const alerted = run.lines.flatMap((l) =>
      l.kind === 'alert' ? [`${l.source}/${l.orderId}`] : [],
    );
    expect(alerted.sort()).toEqual(['hd/H1', 'hd/H2', 'hd/H3', 'nx2/M1']);
    expect(run.stderr()).not.toContain(hd.credentials.secret ?? 'unreachable');
  }, 60_000);

  it('adds, changes and removes notify targets; each alert reaches the targets of its time once', async () => {
    const hd = await startHoudiniSimulator();
    sims.push(hd);
    const first = await startRecordingServer();
    const second = await startRecordingServer();
    servers.push(first, second);
    const dir = mkdtempSync(join(tmpdir(), 'ob-reload-notify-'));
    const source = {
      id: 'hd',
      provider: 'houdini',
      url: hd.url,
      ...hd.credentials,
      orders: ['H1', 'H2', 'H3'],
    };
    const hook = (url: string, secret: string) => ({ id: 'hook', type: 'webhook', url, secret });
    const file = configFile(dir, { sources: [source] });
    const run = headless([
      '--config',
      file,
      '--state-dir',
      join(dir, 'state'),
      '--http',
      '127.0.0.1:0',
    ]);
    const base = await run.url();
    await run.until(() => connected(run, 'hd'), 'hd connected');
    await sleep(200);

    // No targets yet: H1 alerts on the stream only, and /metrics has no notify families.
    hd.setStatus('H1', 4);
    await run.until(() => alertsOf(run, 'H1').length === 1, 'H1 alerted');
    let m = parsePromText((await get(`${base}/metrics`)).body);
    expect(m.get(METRIC_NAMES.outboxDepth)?.samples ?? []).toEqual([]);

    // A webhook target added by a reload: H2 reaches it.
    configFile(dir, { sources: [source], notify: [hook(first.url, 'first-secret-31')] });
    process.kill(run.child.pid ?? 0, 'SIGHUP');
    await run.until(() => run.stderr().includes('notify targets now'), 'the reload');
    hd.setStatus('H2', 4);
    // The server has answered and the engine has taken the answer (its delivery line is out).
    const deliveredLine = (orderId: string) =>
      run.lines.some(
        (l) => l.kind === 'delivery' && l.orderId === orderId && l.state === 'delivered',
      );
    await run.until(
      () => first.delivered().length === 1 && deliveredLine('H2'),
      'H2 delivered to the first url',
    );
    expect(first.delivered()[0]?.headers['idempotency-key']).toBe('hd:H2:completed');
    m = parsePromText((await get(`${base}/metrics`)).body);
    const target = { target: 'hook', type: 'webhook' };
    expect(sampleOf(m, METRIC_NAMES.deliveries, { ...target, state: 'delivered' })).toBe(1);
    expect(sampleOf(m, METRIC_NAMES.outboxDepth, target)).toBe(0);

    // The same target moved to another url with another secret: H3 goes there, signed anew.
    configFile(dir, { sources: [source], notify: [hook(second.url, 'second-secret-32')] });
    process.kill(run.child.pid ?? 0, 'SIGHUP');
    await run.until(
      () => run.stderr().split('notify targets now').length === 3,
      'the second reload',
    );
    hd.setStatus('H3', 6);
    await run.until(
      () => second.delivered().length === 1 && deliveredLine('H3'),
      'H3 delivered to the second url',
    );
    const h3 = second.delivered()[0];
    const expected = createHmac('sha256', 'second-secret-32')
      .update(h3?.body ?? '')
      .digest('hex');
    expect(h3?.headers['x-orderbell-signature']).toBe(`sha256=${expected}`);

    // Removed: the targets fall out of /metrics and nothing more is sent.
    configFile(dir, { sources: [source] });
    process.kill(run.child.pid ?? 0, 'SIGHUP');
    await run.until(() => run.stderr().includes('notify targets now none'), 'the third reload');
    m = parsePromText((await get(`${base}/metrics`)).body);
    expect(m.get(METRIC_NAMES.outboxDepth)?.samples ?? []).toEqual([]);

    process.kill(run.child.pid ?? 0, 'SIGTERM');
    expect((await run.exited).code).toBe(0);
    expect(first.requests.map((r) => r.headers['idempotency-key'])).toEqual(['hd:H2:completed']);
    expect(second.requests.map((r) => r.headers['idempotency-key'])).toEqual(['hd:H3:failed']);
    const alerted = run.lines.flatMap((l) => (l.kind === 'alert' ? [l.orderId] : []));
    expect(alerted.sort()).toEqual(['H1', 'H2', 'H3']);
    const everything = run.stderr() + JSON.stringify(run.lines);
    expect(everything).not.toContain('first-secret-31');
    expect(everything).not.toContain('second-secret-32');
  }, 60_000);

  it('a changed source moved to another server keeps its orders: one finished meanwhile alerts once', async () => {
    const old = await startHoudiniSimulator();
    const moved = await startHoudiniSimulator({ credentials: old.credentials });
    sims.push(old, moved);
    const dir = mkdtempSync(join(tmpdir(), 'ob-reload-'));
    const source = (sim: Simulator) => ({
      id: 'hd',
      provider: 'houdini',
      url: sim.url,
      restUrl: sim.restUrl,
      ...old.credentials,
      orders: ['H1'],
    });
    const file = configFile(dir, { sources: [source(old)] });
    const run = headless(['--config', file, '--state-dir', join(dir, 'state')]);
    await run.until(() => connected(run, 'hd'), 'connected');
    await sleep(200);
    old.setStatus('H1', 2);
    await run.until(
      () => run.lines.some((l) => l.kind === 'order' && l.orderId === 'H1'),
      'H1 processing',
    );
    // The new server knows H1 finished (as if it happened while the link moved), the old one too.
    moved.setStatus('H1', 2, { restOnly: true });
    moved.setStatus('H1', 4, { restOnly: true });
    old.setStatus('H1', 4, { restOnly: true });
    configFile(dir, { sources: [source(moved)] });
    process.kill(run.child.pid ?? 0, 'SIGHUP');
    await run.until(() => alertsOf(run, 'H1').length === 1, 'H1 caught up on the new server');
    await run.until(() => old.connections() === 0, 'the old server left');
    expect(moved.connections()).toBe(1);
    moved.replay('H1', 4);
    await sleep(500);
    expect(alertsOf(run, 'H1')).toHaveLength(1);
    process.kill(run.child.pid ?? 0, 'SIGTERM');
    expect((await run.exited).code).toBe(0);
  });
});

describe('service logs', () => {
  const config = async () => {
    const nx = await startNexchangeSimulator();
    sims.push(nx);
    const dir = mkdtempSync(join(tmpdir(), 'ob-logs-'));
    const file = configFile(dir, {
      sources: [{ id: 'nx', provider: 'nexchange', url: nx.url, orders: ['N1'] }],
    });
    return { dir, file };
  };

  it('are human-readable lines on a terminal (script), JSON on a pipe', async () => {
    const { dir, file } = await config();
    const state = join(dir, 'state');
    const command = [process.execPath, CLI, '--config', file, '--state-dir', state]
      .map((a) => `'${a}'`)
      .join(' ');
    // script gives the CLI a pseudo-terminal for stdout and stderr alike.
    const tty = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: ROOT,
      detached: true,
      env: { ...process.env, ORDERBELL_LOG: '', TERM: 'dumb' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    tty.stdout.on('data', (d: Buffer) => (text += d.toString()));
    const ended = new Promise((r) => tty.on('exit', r));
    try {
      const deadline = Date.now() + 15_000;
      while (!/"state":"connected"/.test(text) && Date.now() < deadline) await sleep(50);
      // The CLI's pid is in its state-folder lock; SIGTERM it as a service manager would.
      const pid = Number(/\d+/.exec(readFileSync(join(state, 'orderbell.lock'), 'utf8'))?.[0]);
      process.kill(pid, 'SIGTERM');
      await Promise.race([ended, sleep(5_000)]);
    } finally {
      try {
        process.kill(-(tty.pid ?? 0), 'SIGKILL');
      } catch {
        // ended
      }
    }
    // eslint-disable-next-line no-control-regex
    const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: starting$/m);
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: stopping$/m);
    expect(plain).not.toMatch(/"level":30/);

    const piped = headless(['--config', file, '--state-dir', join(dir, 'state2')]);
    await piped.until(() => connected(piped, 'nx'), 'connected');
    process.kill(piped.child.pid ?? 0, 'SIGTERM');
    expect((await piped.exited).code).toBe(0);
    const logLines = piped.stderr().trimEnd().split('\n');
    expect(logLines.length).toBeGreaterThan(1);
    for (const line of logLines)
      expect(JSON.parse(line)).toMatchObject({ level: expect.any(Number) });
    expect(logLines.some((l) => (JSON.parse(l) as { msg?: string }).msg === 'starting')).toBe(true);
  });

  it('--log-level warn hides info lines; a bad level exits 2', async () => {
    const { dir, file } = await config();
    const run = headless([
      '--config',
      file,
      '--state-dir',
      join(dir, 'state'),
      '--log-level',
      'warn',
    ]);
    await run.until(() => connected(run, 'nx'), 'connected');
    process.kill(run.child.pid ?? 0, 'SIGTERM');
    expect((await run.exited).code).toBe(0);
    expect(run.stderr()).not.toMatch(/"level":30/);
    expect(run.stderr()).not.toContain('starting');

    const bad = headless([
      '--config',
      file,
      '--state-dir',
      join(dir, 'state'),
      '--log-level',
      'loud',
    ]);
    expect((await bad.exited).code).toBe(2);
    expect(bad.stderr()).toMatch(/--log-level "loud": expected one of trace, debug, info/);
  });
});
