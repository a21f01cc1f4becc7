// Forwarding alerts to notify targets (docs/config.md `notify`): real HTTP servers on loopback that
// record and fail, real commands, a real outbox on disk. Backoff and horizons are injected short.
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';
import { Engine } from '../../src-main/engine/engine.js';
import type { Forwarder } from '../../src-main/engine/forward/forwarder.js';
import { OUTBOX_FILE } from '../../src-main/engine/forward/outbox.js';
import type { ForwardPayload } from '../../src-main/engine/forward/payload.js';
import { createSender } from '../../src-main/engine/forward/send.js';
import { silentLogger, type Logger } from '../../src-main/engine/log.js';
import { FilePersistence } from '../../src-main/engine/persistence.js';
import type { DeliveryLine, EngineEvent } from '../../src-main/engine/types.js';
import type { NotifyTarget, QuietHours } from '../../src-main/shared/notify.js';
import { SecretMask } from '../../src-main/shared/secret-mask.js';
import { startRecordingServer, type RecordingServer } from '../support/recording-server.js';
import { ScriptedSource } from '../support/scripted-source.js';

const FAST = { baseMs: 20, capMs: 80, factor: 2 };
const servers: RecordingServer[] = [];
const engines: Engine[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop().catch(() => undefined);
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function server(init: Parameters<typeof startRecordingServer>[0] = {}) {
  const s = await startRecordingServer(init);
  servers.push(s);
  return s;
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ob-fwd-'));
  dirs.push(d);
  return d;
}

const config = parseConfig({
  sources: [
    { id: 'hd', provider: 'houdini', url: 'ws://127.0.0.1:1', partnerId: 'p', secret: 's' },
  ],
}).config;

interface Started {
  engine: Engine;
  events: EngineEvent[];
  hd: ScriptedSource;
  mask: SecretMask;
}

async function startEngine(
  dir: string,
  notify: NotifyTarget[],
  extra: {
    quietHours?: QuietHours;
    now?: () => Date;
    horizonMs?: number;
    timeZone?: string;
    execTimeoutMs?: number;
    maxPending?: number;
    log?: Logger;
  } = {},
): Promise<Started> {
  let hd: ScriptedSource | undefined;
  const events: EngineEvent[] = [];
  const mask = new SecretMask();
  const engine = new Engine({
    config,
    persistence: new FilePersistence(dir),
    log: extra.log ?? silentLogger(),
    mask,
    notify,
    ...(extra.quietHours ? { quietHours: extra.quietHours } : {}),
    ...(extra.now ? { now: extra.now } : {}),
    forward: {
      backoff: FAST,
      ...(extra.horizonMs ? { horizonMs: extra.horizonMs } : {}),
      timeZone: extra.timeZone ?? 'UTC',
      ...(extra.maxPending ? { maxPending: extra.maxPending } : {}),
      limits: {
        httpTimeoutMs: 2_000,
        execTimeoutMs: extra.execTimeoutMs ?? 5_000,
        execKillGraceMs: 200,
      },
    },
    createSource: (cfg, ctx) => (hd = new ScriptedSource(cfg.id, 'houdini', ctx)),
  });
  engine.on((e) => events.push(e));
  engines.push(engine);
  await engine.start();
  return { engine, events, hd: hd!, mask };
}

async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A logger that keeps the warnings' messages (and says nothing). */
function warningsLogger(warnings: string[]): Logger {
  const quiet = () => undefined;
  const log = {
    debug: quiet,
    info: quiet,
    error: quiet,
    warn: (_obj: unknown, msg?: string) => void warnings.push(String(msg)),
    child: () => log,
  };
  return log as unknown as Logger;
}

const SAMPLE: ForwardPayload = {
  kind: 'alert',
  alert: {
    id: 'hd:H1:completed',
    source: 'hd',
    provider: 'houdini',
    orderId: 'H1',
    status: 'completed',
    title: 'Order H1 completed',
    body: 'done',
    at: '2024-06-01T12:00:00.000Z',
  },
};

/** Whether a process runs (a zombie waiting to be reaped counts as gone). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

const deliveries = (events: EngineEvent[], target?: string) =>
  events.filter(
    (e): e is DeliveryLine => e.kind === 'delivery' && (!target || e.target === target),
  );

describe('forwarding: webhook', () => {
  it('posts the alert JSON with Idempotency-Key and an HMAC signature of the raw body', async () => {
    const hook = await server();
    const secret = 'whsec-abcdef-123456';
    const { hd, events } = await startEngine(tempDir(), [
      { id: 'hook', type: 'webhook', url: hook.url, secret },
    ]);
    hd.say('H1', 'completed', '4');
    await until(() => deliveries(events).length === 1, 'delivered');
    const req = hook.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'id',
      'source',
      'provider',
      'orderId',
      'status',
      'title',
      'body',
      'at',
    ]);
    expect(body).toMatchObject({
      id: 'hd:H1:completed',
      source: 'hd',
      provider: 'houdini',
      orderId: 'H1',
      status: 'completed',
    });
    expect(req.headers['idempotency-key']).toBe('hd:H1:completed');
    const expected = `sha256=${createHmac('sha256', secret).update(req.body).digest('hex')}`;
    expect(req.headers['x-orderbell-signature']).toBe(expected);
    // the alert line comes first, then one `delivery` line
    const kinds = events
      .filter((e) => e.kind === 'alert' || e.kind === 'delivery')
      .map((e) => e.kind);
    expect(kinds).toEqual(['alert', 'delivery']);
    expect(deliveries(events)[0]).toMatchObject({
      target: 'hook',
      source: 'hd',
      provider: 'houdini',
      orderId: 'H1',
      status: 'completed',
      state: 'delivered',
      attempt: 1,
    });
  });

  it('no signature header without a secret; a statuses filter and a disabled target skip', async () => {
    const all = await server();
    const onlyFailed = await server();
    const off = await server();
    const { hd, events } = await startEngine(tempDir(), [
      { id: 'all', type: 'webhook', url: all.url },
      { id: 'failed', type: 'webhook', url: onlyFailed.url, statuses: ['failed'] },
      { id: 'off', type: 'webhook', url: off.url, enabled: false },
    ]);
    hd.say('H1', 'completed', '4');
    hd.say('H2', 'failed', '6');
    await until(() => deliveries(events).length === 3, 'three deliveries');
    await new Promise((r) => setTimeout(r, 100));
    expect(all.requests.map((r) => r.headers['idempotency-key'])).toEqual([
      'hd:H1:completed',
      'hd:H2:failed',
    ]);
    expect(all.requests[0]!.headers['x-orderbell-signature']).toBeUndefined();
    expect(onlyFailed.requests.map((r) => r.headers['idempotency-key'])).toEqual(['hd:H2:failed']);
    expect(off.requests).toHaveLength(0);
  });
});

describe('forwarding: ntfy', () => {
  it.each([
    ['completed', '4', 'default'],
    ['failed', '6', 'high'],
    ['refunded', '7', 'high'],
    ['expired', '5', 'high'],
  ] as const)(
    '%s: body text, Title, Tags, Priority %s, Bearer token',
    async (status, code, priority) => {
      const ntfy = await server();
      const token = 'tk_ntfy_secret_value';
      const { hd, events } = await startEngine(tempDir(), [
        { id: 'phone', type: 'ntfy', url: ntfy.url, token },
      ]);
      hd.say('H1', status, code);
      await until(() => deliveries(events).length === 1, 'delivered');
      const alert = events.find((e) => e.kind === 'alert');
      if (alert?.kind !== 'alert') throw new Error('no alert');
      const req = ntfy.requests[0]!;
      expect(req.body).toBe(alert.body);
      expect(req.headers.title).toBe(alert.title);
      expect(req.headers.tags).toBe(status);
      expect(req.headers.priority).toBe(priority);
      expect(req.headers.authorization).toBe(`Bearer ${token}`);
    },
  );
});

describe('forwarding: exec', () => {
  it('runs the argv (no shell) with ORDERBELL_* variables; exit 0 delivers', async () => {
    const dir = tempDir();
    const script = join(dir, 'hook.mjs');
    const out = join(dir, 'env.json');
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs';
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('ORDERBELL_')));
writeFileSync(process.argv[2], JSON.stringify({ env, args: process.argv.slice(3) }));`,
    );
    const { hd, events } = await startEngine(join(dir, 'state'), [
      {
        id: 'run',
        type: 'exec',
        command: [process.execPath, script, out, '$HOME', '; echo pwned'],
      },
    ]);
    hd.say('H1', 'failed', '6');
    await until(() => deliveries(events).length === 1, 'delivered');
    const written = JSON.parse(readFileSync(out, 'utf8')) as {
      env: Record<string, string>;
      args: string[];
    };
    const alert = events.find((e) => e.kind === 'alert');
    if (alert?.kind !== 'alert') throw new Error('no alert');
    expect(written.env).toEqual({
      ORDERBELL_ID: 'hd:H1:failed',
      ORDERBELL_SOURCE: 'hd',
      ORDERBELL_PROVIDER: 'houdini',
      ORDERBELL_ORDER_ID: 'H1',
      ORDERBELL_STATUS: 'failed',
      ORDERBELL_TITLE: alert.title,
      ORDERBELL_BODY: alert.body,
    });
    // arguments arrive verbatim: no shell expanded or split them
    expect(written.args).toEqual(['$HOME', '; echo pwned']);
    expect(deliveries(events)[0]).toMatchObject({ state: 'delivered', attempt: 1 });
  });

  it('a command that outlives its time is killed, and the attempt fails and is retried', async () => {
    const dir = tempDir();
    const script = join(dir, 'slow.mjs');
    writeFileSync(script, `setTimeout(() => {}, 60_000);`);
    const started = Date.now();
    const { hd, events, engine } = await startEngine(
      join(dir, 'state'),
      [{ id: 'slow', type: 'exec', command: [process.execPath, script] }],
      { execTimeoutMs: 300 },
    );
    hd.say('H1', 'completed', '4');
    await until(() => deliveries(events).some((d) => d.state === 'retrying'), 'a retry', 5_000);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(deliveries(events)[0]).toMatchObject({ state: 'retrying', attempt: 1 });
    expect(engine.deliveryStats()).toEqual([
      expect.objectContaining({ target: 'slow', delivered: 0, outboxDepth: 1 }),
    ]);
  });

  it('a non-zero exit is a failed attempt; testTarget reports the exit code and stderr', async () => {
    const dir = tempDir();
    const script = join(dir, 'fail.mjs');
    writeFileSync(script, `process.stderr.write('no route to pager'); process.exit(3);`);
    const { engine } = await startEngine(join(dir, 'state'), []);
    const result = await engine.testTarget({
      id: 't',
      type: 'exec',
      command: [process.execPath, script],
    });
    expect(result).toEqual({ ok: false, detail: 'exit 3: no route to pager' });
  });
});

describe('forwarding: exec runs bounded and clean', () => {
  it.skipIf(process.platform === 'win32')(
    'a killed command takes its children along: the attempt ends within time + grace, the child is gone',
    async () => {
      const dir = tempDir();
      const script = join(dir, 'slow.sh');
      const pidFile = join(dir, 'child.pid');
      // The script's own child holds the output pipes; killing the script alone would leave it.
      writeFileSync(script, 'sleep 8 &\necho $! > "$1"\nwait\n');
      const send = createSender({ execTimeoutMs: 300, execKillGraceMs: 200 });
      const t0 = Date.now();
      const result = await send(
        { id: 'slow', type: 'exec', command: ['/bin/sh', script, pidFile] },
        SAMPLE,
      );
      const took = Date.now() - t0;
      expect(result).toMatchObject({ ok: false, detail: 'killed after 300 ms' });
      expect(took).toBeLessThan(300 + 200 + 1_000);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      expect(pid).toBeGreaterThan(0);
      await until(() => !running(pid), 'the sleep gone', 1_000);
    },
  );

  it('the command gets none of our own ORDERBELL_* variables (the web token), only the seven, and PATH', async () => {
    const dir = tempDir();
    const script = join(dir, 'env.mjs');
    const out = join(dir, 'env.json');
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs';
const ours = Object.keys(process.env).filter((k) => k.toUpperCase().startsWith('ORDERBELL_'));
writeFileSync(process.argv[2], JSON.stringify({ ours: ours.sort(), path: process.env.PATH }));`,
    );
    const saved = { ...process.env };
    process.env.ORDERBELL_WEB_TOKEN = 'web-token-must-not-leak';
    process.env.ORDERBELL_X = 'x';
    process.env.ORDERBELL_ID = 'stale';
    let result;
    try {
      result = await createSender()(
        { id: 'run', type: 'exec', command: [process.execPath, script, out] },
        SAMPLE,
      );
    } finally {
      for (const k of ['ORDERBELL_WEB_TOKEN', 'ORDERBELL_X', 'ORDERBELL_ID']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
    expect(result).toEqual({ ok: true, detail: 'exit 0' });
    const written = JSON.parse(readFileSync(out, 'utf8')) as { ours: string[]; path?: string };
    expect(written.ours).toEqual([
      'ORDERBELL_BODY',
      'ORDERBELL_ID',
      'ORDERBELL_ORDER_ID',
      'ORDERBELL_PROVIDER',
      'ORDERBELL_SOURCE',
      'ORDERBELL_STATUS',
      'ORDERBELL_TITLE',
    ]);
    expect(written.path).toBe(process.env.PATH);
    expect(readFileSync(out, 'utf8')).not.toContain('web-token-must-not-leak');
  });
});

describe('forwarding: durable, ordered, independent', () => {
  it('in order per target under retries (500 for the first 3 requests), each delivered once', async () => {
    const hook = await server({ failFirst: 3 });
    const { hd, events } = await startEngine(tempDir(), [
      { id: 'hook', type: 'webhook', url: hook.url },
    ]);
    hd.say('A', 'completed', '4');
    hd.say('B', 'failed', '6');
    hd.say('C', 'refunded', '7');
    await until(
      () => deliveries(events).filter((d) => d.state === 'delivered').length === 3,
      'three delivered',
    );
    const keys = hook.requests.map((r) => r.headers['idempotency-key']);
    // head of line: A is retried until it is taken; B and C never go before it
    expect(keys).toEqual([
      'hd:A:completed',
      'hd:A:completed',
      'hd:A:completed',
      'hd:A:completed',
      'hd:B:failed',
      'hd:C:refunded',
    ]);
    expect(deliveries(events).map((d) => `${d.orderId}:${d.state}:${d.attempt}`)).toEqual([
      'A:retrying:1',
      'A:retrying:2',
      'A:retrying:3',
      'A:delivered:4',
      'B:delivered:1',
      'C:delivered:1',
    ]);
  });

  it('a target that hangs delays neither the alert line nor another target', async () => {
    const stuck = await server({ hang: true });
    const fine = await server();
    const { hd, events } = await startEngine(tempDir(), [
      { id: 'stuck', type: 'webhook', url: stuck.url },
      { id: 'fine', type: 'webhook', url: fine.url },
    ]);
    const t0 = Date.now();
    hd.say('A', 'completed', '4');
    hd.say('B', 'completed', '4');
    await until(
      () => events.filter((e) => e.kind === 'alert').length === 2,
      'two alert lines',
      1_000,
    );
    await until(() => deliveries(events, 'fine').length === 2, 'fine delivered both', 1_000);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(stuck.requests).toHaveLength(1); // A is in flight, B waits behind it
    expect(deliveries(events, 'stuck')).toHaveLength(0);
  });

  it('gives up after the horizon: a failed line, a delivery_failed problem, nothing echoed in clear', async () => {
    const token = 'tk_echoed_back_secret';
    const ntfy = await server({ down: true, echoHeader: 'authorization' });
    const { hd, events, engine } = await startEngine(
      tempDir(),
      [{ id: 'phone', type: 'ntfy', url: ntfy.url, token }],
      { horizonMs: 300 },
    );
    hd.say('A', 'failed', '6');
    hd.say('B', 'failed', '6');
    await until(
      () => deliveries(events).filter((d) => d.state === 'failed').length === 2,
      'both given up',
    );
    const problems = events.filter((e) => e.kind === 'problem' && e.code === 'delivery_failed');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ source: 'hd', provider: 'houdini' });
    const text = JSON.stringify(events);
    expect(text).toContain('HTTP 503: unavailable Bearer [redacted]');
    expect(text).not.toContain(token);
    expect(engine.problems.join('\n')).not.toContain(token);
    const stats = engine.deliveryStats()[0]!;
    expect(stats).toMatchObject({ target: 'phone', delivered: 0, failed: 2, outboxDepth: 0 });
    expect(stats.retrying).toBeGreaterThan(0);
  });

  it('a restart on the same state folder delivers what was left, with the same Idempotency-Key', async () => {
    const dir = tempDir();
    const hook = await server({ down: true });
    const first = await startEngine(dir, [{ id: 'hook', type: 'webhook', url: hook.url }]);
    first.hd.say('A', 'completed', '4');
    first.hd.say('B', 'failed', '6');
    await until(() => hook.requests.length >= 2, 'attempts while down');
    await first.engine.stop();
    engines.splice(engines.indexOf(first.engine), 1);
    expect(readFileSync(join(dir, OUTBOX_FILE), 'utf8')).toContain('hd:B:failed');

    hook.down = false;
    const second = await startEngine(dir, [{ id: 'hook', type: 'webhook', url: hook.url }]);
    await until(
      () => deliveries(second.events).filter((d) => d.state === 'delivered').length === 2,
      'both delivered after restart',
    );
    expect(hook.delivered().map((r) => r.headers['idempotency-key'])).toEqual([
      'hd:A:completed',
      'hd:B:failed',
    ]);
    expect(new Set(hook.requests.map((r) => r.headers['idempotency-key']))).toEqual(
      new Set(['hd:A:completed', 'hd:B:failed']),
    );
    // attempts are counted across the restart; no second alert line
    const a = deliveries(second.events).find((d) => d.orderId === 'A')!;
    expect(a.attempt).toBeGreaterThan(1);
    expect(second.events.filter((e) => e.kind === 'alert')).toHaveLength(0);
    await second.engine.stop();
    engines.splice(engines.indexOf(second.engine), 1);
    // a third start sends nothing again
    const before = hook.requests.length;
    await startEngine(dir, [{ id: 'hook', type: 'webhook', url: hook.url }]);
    await new Promise((r) => setTimeout(r, 200));
    expect(hook.requests.length).toBe(before);
  });

  it('a damaged outbox line is named, the file set aside, and every good entry still delivered', async () => {
    const dir = tempDir();
    const hook = await server({ down: true });
    const first = await startEngine(dir, [{ id: 'hook', type: 'webhook', url: hook.url }]);
    first.hd.say('A', 'completed', '4');
    first.hd.say('B', 'completed', '4');
    await until(() => hook.requests.length >= 1, 'an attempt');
    await first.engine.stop();
    engines.splice(engines.indexOf(first.engine), 1);
    const path = join(dir, OUTBOX_FILE);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    lines.splice(1, 0, '{"op":"add","seq":'); // a torn line between the two entries
    writeFileSync(path, `${lines.join('\n')}\n`);

    hook.down = false;
    const second = await startEngine(dir, [{ id: 'hook', type: 'webhook', url: hook.url }]);
    const problem = second.events.find((e) => e.kind === 'problem' && e.code === 'outbox_damaged');
    expect(problem?.kind === 'problem' && problem.detail).toMatch(
      /1 damaged line\(s\) skipped \(line 2\); 2 pending deliveries kept/,
    );
    expect(readdirSync(dir).some((f) => f.startsWith(`${OUTBOX_FILE}.corrupt-`))).toBe(true);
    await until(() => hook.delivered().length === 2, 'both delivered');
    expect(existsSync(path)).toBe(true);
  });

  it('setNotify changes targets at run time; testTarget shows the answer with secrets masked', async () => {
    const one = await server();
    const two = await server({ down: true, echoHeader: 'x-orderbell-signature' });
    const { hd, events, engine } = await startEngine(tempDir(), [
      { id: 'one', type: 'webhook', url: one.url },
    ]);
    hd.say('A', 'completed', '4');
    await until(() => deliveries(events, 'one').length === 1, 'one delivered');
    await engine.setNotify([{ id: 'two', type: 'webhook', url: one.url }]);
    hd.say('B', 'completed', '4');
    await until(() => deliveries(events, 'two').length === 1, 'two delivered');
    expect(deliveries(events, 'one')).toHaveLength(1);
    expect(engine.deliveryStats()).toEqual([
      { target: 'two', type: 'webhook', delivered: 1, retrying: 0, failed: 0, outboxDepth: 0 },
    ]);
    const ok = await engine.testTarget({ id: 't', type: 'webhook', url: one.url });
    expect(ok).toEqual({ ok: true, detail: 'HTTP 200: ok' });
    const bad = await engine.testTarget({
      id: 't',
      type: 'webhook',
      url: two.url,
      secret: 'sekrit-value',
    });
    expect(bad.ok).toBe(false);
    expect(bad.detail).toMatch(/^HTTP 503: unavailable sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(one.requests.at(-1)!.body)).toMatchObject({ status: 'completed' });
  });
});

describe('forwarding: targets paused or removed', () => {
  it('a target left out (the demo) or disabled keeps its waiting alerts; only a removal drops them', async () => {
    const dir = tempDir();
    const hook = await server({ down: true });
    const warnings: string[] = [];
    const T: NotifyTarget = { id: 'hook', type: 'webhook', url: hook.url };
    const { hd, engine } = await startEngine(dir, [T], { log: warningsLogger(warnings) });
    hd.say('A', 'completed', '4');
    await until(() => hook.requests.length >= 1, 'an attempt while down');

    await engine.setNotify([]); // the demo: no target handed over
    hook.down = false;
    const tried = hook.requests.length;
    await pause(200);
    expect(hook.requests.length).toBe(tried); // paused: nothing sent during the demo
    expect(engine.deliveryStats()).toEqual([]);
    expect(readFileSync(join(dir, OUTBOX_FILE), 'utf8')).toContain('hd:A:completed');
    await engine.setNotify([T]); // back from the demo
    await until(() => hook.delivered().length === 1, 'A delivered after the demo');
    expect(hook.delivered()[0]!.headers['idempotency-key']).toBe('hd:A:completed');

    hook.down = true;
    hd.say('B', 'completed', '4');
    await until(
      () => hook.requests.some((r) => r.headers['idempotency-key'] === 'hd:B:completed'),
      'B attempted',
    );
    await engine.setNotify([{ ...T, enabled: false }]); // disabled: paused too
    expect(readFileSync(join(dir, OUTBOX_FILE), 'utf8')).toContain('hd:B:completed');
    const dropped = 'notify target removed: its pending deliveries are dropped';
    expect(warnings).not.toContain(dropped);

    await engine.setNotify([], undefined, { removed: ['hook'] }); // the user deletes it
    expect(warnings).toContain(dropped);
    expect(readFileSync(join(dir, OUTBOX_FILE), 'utf8')).not.toContain('hd:B:completed');
    hook.down = false;
    await engine.setNotify([T]); // a new target with the same id starts empty
    await pause(200);
    expect(hook.delivered()).toHaveLength(1);
  });
});

describe('forwarding: counts match the delivery lines', () => {
  it('retries, a summary of two and a refusal (outbox full): one count per delivery line, by state', async () => {
    const hook = await server({ failFirst: 2 });
    let clock = Date.parse('2024-06-01T23:00:00Z'); // UTC, quiet 22:00–07:00
    const { hd, events, engine } = await startEngine(
      tempDir(),
      [{ id: 'hook', type: 'webhook', url: hook.url }],
      { quietHours: { from: '22:00', to: '07:00' }, now: () => new Date(clock), maxPending: 2 },
    );
    hd.say('A', 'completed', '4'); // held
    hd.say('B', 'refunded', '7'); // held
    await until(() => events.filter((e) => e.kind === 'alert').length === 2, 'two alert lines');
    hd.say('C', 'failed', '6'); // two wait already: refused
    await until(() => deliveries(events).length === 1, 'the refusal');
    clock = Date.parse('2024-06-02T07:00:00Z');
    await engine.releaseQuietHours(); // the summary fails twice, then is taken
    // Taken by the engine too (its delivered lines are out), not only answered by the server: until
    // then A and B still fill the outbox of two and D would be refused.
    await until(
      () => deliveries(events).filter((d) => d.state === 'delivered').length === 2,
      'the summary delivered',
    );
    expect(hook.delivered()).toHaveLength(1);
    hd.say('D', 'completed', '4'); // not quiet any more: sent at once
    await until(() => hook.delivered().length === 2, 'D delivered');
    await until(() => deliveries(events).length === 1 + 4 + 2 + 1, 'every delivery line');

    const byState = { delivered: 0, retrying: 0, failed: 0 };
    for (const d of deliveries(events)) byState[d.state] += 1;
    expect(byState).toEqual({ delivered: 3, retrying: 4, failed: 1 });
    expect(engine.deliveryStats()).toEqual([
      { target: 'hook', type: 'webhook', ...byState, outboxDepth: 0 },
    ]);
  });
});

describe('forwarding: quiet hours (injected clock, explicit time zone)', () => {
  it('once the quiet hours ended, a summary still being tried arms no busy release loop', async () => {
    const stuck = await server({ hang: true });
    let clock = Date.parse('2024-06-01T23:00:00Z'); // UTC, quiet 22:00–07:00
    const { hd, events, engine } = await startEngine(
      tempDir(),
      [{ id: 'stuck', type: 'webhook', url: stuck.url }],
      { quietHours: { from: '22:00', to: '07:00' }, now: () => new Date(clock) },
    );
    hd.say('A', 'completed', '4');
    hd.say('B', 'completed', '4');
    await until(() => events.filter((e) => e.kind === 'alert').length === 2, 'two alert lines');
    const forwarder = (engine as unknown as { forwarder: Forwarder }).forwarder;
    const release = forwarder.release.bind(forwarder);
    let releases = 0;
    forwarder.release = () => {
      releases += 1;
      return release();
    };
    clock = Date.parse('2024-06-02T07:00:01Z');
    await engine.releaseQuietHours();
    await until(() => stuck.requests.length === 1, 'the summary in flight');
    releases = 0;
    await pause(1_000);
    expect(releases).toBeLessThan(5);
    expect(stuck.requests).toHaveLength(1);
  });

  it('the summary webhook body carries the alert keys (status "summary", title, body) before its own', async () => {
    const hook = await server();
    let clock = Date.parse('2024-06-01T23:00:00Z'); // UTC, quiet 22:00–07:00
    const { hd, events, engine } = await startEngine(
      tempDir(),
      [{ id: 'hook', type: 'webhook', url: hook.url }],
      { quietHours: { from: '22:00', to: '07:00' }, now: () => new Date(clock) },
    );
    hd.say('A', 'completed', '4');
    hd.say('B', 'refunded', '7');
    await until(() => events.filter((e) => e.kind === 'alert').length === 2, 'two alert lines');
    clock = Date.parse('2024-06-02T07:30:00Z');
    await engine.releaseQuietHours();
    await until(() => hook.delivered().length === 1, 'the summary');
    const body = JSON.parse(hook.requests[0]!.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'id',
      'source',
      'provider',
      'orderId',
      'status',
      'title',
      'body',
      'at',
      'kind',
      'count',
      'alerts',
    ]);
    expect(body).toMatchObject({
      id: 'summary:2024-06-02T07:00:00.000Z',
      source: '',
      provider: '',
      orderId: '',
      status: 'summary',
      title: 'Orderbell: 2 alerts during quiet hours',
      body: '2 alerts during quiet hours: 1 completed, 1 refunded.\nhd:A:completed\nhd:B:refunded',
      at: '2024-06-02T07:30:00.000Z',
      kind: 'summary',
      count: 2,
    });
  });

  it('across midnight on the New York spring-forward night: held, `except` sent at once, then ONE summary per target', async () => {
    const dir = tempDir();
    const hook = await server();
    const ntfy = await server();
    const script = join(dir, 'sum.mjs');
    const out = join(dir, 'runs.ndjson');
    writeFileSync(
      script,
      `import { appendFileSync } from 'node:fs';
appendFileSync(process.argv[2], JSON.stringify({ status: process.env.ORDERBELL_STATUS, id: process.env.ORDERBELL_ID, body: process.env.ORDERBELL_BODY }) + '\\n');`,
    );
    // 23:30 EST on 2024-03-09; quiet 22:00–07:00; the clocks jump 02:00 → 03:00 that night, so
    // 07:00 EDT is 11:00Z (not 12:00Z).
    let clock = Date.parse('2024-03-10T04:30:00Z');
    const { hd, events, engine } = await startEngine(
      join(dir, 'state'),
      [
        { id: 'hook', type: 'webhook', url: hook.url },
        { id: 'phone', type: 'ntfy', url: ntfy.url },
        { id: 'run', type: 'exec', command: [process.execPath, script, out] },
      ],
      {
        quietHours: { from: '22:00', to: '07:00', except: ['failed'] },
        now: () => new Date(clock),
        timeZone: 'America/New_York',
      },
    );
    hd.say('A', 'completed', '4'); // 23:30: held
    clock = Date.parse('2024-03-10T07:30:00Z'); // 03:30 EDT, after the jump
    hd.say('B', 'refunded', '7'); // held
    hd.say('C', 'failed', '6'); // in `except`: sent now
    await until(() => deliveries(events).length === 3, 'C delivered to all three');
    await new Promise((r) => setTimeout(r, 100));
    expect(events.filter((e) => e.kind === 'alert')).toHaveLength(3); // alert lines are never held
    expect(hook.requests.map((r) => r.headers['idempotency-key'])).toEqual(['hd:C:failed']);
    expect(ntfy.requests).toHaveLength(1);
    expect(engine.deliveryStats().map((s) => s.outboxDepth)).toEqual([2, 2, 2]);

    clock = Date.parse('2024-03-10T10:59:00Z'); // 06:59 EDT: still quiet
    await engine.releaseQuietHours();
    await new Promise((r) => setTimeout(r, 100));
    expect(hook.requests).toHaveLength(1);

    clock = Date.parse('2024-03-10T11:00:00Z'); // 07:00 EDT: quiet hours end
    await engine.releaseQuietHours();
    await until(
      () => deliveries(events).length === 3 + 6,
      'summary deliveries (2 alerts × 3 targets)',
    );
    const summaryId = 'summary:2024-03-10T11:00:00.000Z';
    expect(hook.requests).toHaveLength(2);
    const summary = JSON.parse(hook.requests[1]!.body) as {
      kind: string;
      id: string;
      count: number;
      alerts: { id: string }[];
    };
    expect(summary).toMatchObject({ kind: 'summary', id: summaryId, count: 2 });
    expect(summary.alerts.map((a) => a.id)).toEqual(['hd:A:completed', 'hd:B:refunded']);
    expect(hook.requests[1]!.headers['idempotency-key']).toBe(summaryId);
    expect(ntfy.requests).toHaveLength(2);
    expect(ntfy.requests[1]!.headers).toMatchObject({
      title: 'Orderbell: 2 alerts during quiet hours',
      tags: 'summary',
      priority: 'high',
    });
    const runs = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(runs).toEqual([
      { status: 'failed', id: 'hd:C:failed', body: expect.any(String) },
      { status: 'summary', id: summaryId, body: 'hd:A:completed\nhd:B:refunded' },
    ]);
    expect(
      deliveries(events, 'hook')
        .slice(1)
        .map((d) => `${d.orderId}:${d.state}:${d.summary}`),
    ).toEqual([`A:delivered:${summaryId}`, `B:delivered:${summaryId}`]);
    expect(engine.deliveryStats().map((s) => s.outboxDepth)).toEqual([0, 0, 0]);
  });

  it('held alerts survive a restart; quiet hours over by then: the summary goes out at start', async () => {
    const dir = tempDir();
    const hook = await server();
    let clock = Date.parse('2024-06-01T23:00:00Z'); // UTC, quiet 22:00–07:00
    const q: QuietHours = { from: '22:00', to: '07:00' };
    const first = await startEngine(dir, [{ id: 'hook', type: 'webhook', url: hook.url }], {
      quietHours: q,
      now: () => new Date(clock),
    });
    first.hd.say('A', 'completed', '4');
    await until(() => first.events.some((e) => e.kind === 'alert'), 'alert line');
    await first.engine.stop();
    engines.splice(engines.indexOf(first.engine), 1);
    expect(hook.requests).toHaveLength(0);
    clock = Date.parse('2024-06-02T08:00:00Z');
    await startEngine(dir, [{ id: 'hook', type: 'webhook', url: hook.url }], {
      quietHours: q,
      now: () => new Date(clock),
    });
    await until(() => hook.delivered().length === 1, 'summary after restart');
    expect(JSON.parse(hook.requests[0]!.body)).toMatchObject({
      kind: 'summary',
      id: 'summary:2024-06-02T07:00:00.000Z',
      count: 1,
    });
  });
});
