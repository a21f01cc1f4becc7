// `npm start` where it falls back to web mode (no Electron display): the real launcher as a child
// process, on a temporary per-user folder (ORDERBELL_USER_DATA). A first run is the demo; "Use real
// providers" restarts it on the user's own state; a source saved then is there after a restart of
// the whole launcher, and no demo order came with it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { BridgeSnapshot } from '../../src-main/shared/bridge.js';
import { ensureBuilt, ROOT } from './support.js';

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The launcher with no display, so it takes the web-mode path; resolves with its page URL. */
async function launch(userData: string): Promise<{ child: ChildProcess; url: URL }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ORDERBELL_USER_DATA: userData };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.ORDERBELL_CONFIG;
  delete env.ORDERBELL_WEB_TOKEN;
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(out);
    if (m?.[1]) return { child, url: new URL(m[1]) };
    if (Date.now() > deadline || child.exitCode !== null) {
      throw new Error(`no URL from npm start:\n${out}\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One command over the page's bridge, as the window sends it; bounded in time. */
function invoke(url: URL, command: string, request: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(
      `ws://127.0.0.1:${url.port}/bridge?token=${url.searchParams.get('token')}`,
    );
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`${command}: no answer`));
    }, 10_000);
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, command, request })));
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as { id?: number; response?: unknown };
      if (msg.id !== 1) return;
      clearTimeout(timer);
      ws.close();
      resolve(msg.response);
    });
    ws.on('error', () => undefined);
  });
}

/** Retries `fn` (the launcher restarting between runs) until it answers; bounded. */
async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  let last: unknown;
  for (let i = 0; i < 200 && Date.now() < deadline; i++) {
    try {
      const v = await fn();
      if (ok(v)) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`gave up: ${JSON.stringify(last)}`);
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
}

describe('npm start, web-mode fallback', () => {
  it('keeps a source saved after "Use real providers" across a restart, without demo orders', async () => {
    ensureBuilt('all');
    const userData = mkdtempSync(join(tmpdir(), 'orderbell-userdata-'));
    dirs.push(userData);

    const first = await launch(userData);
    const demoSnap = (await invoke(first.url, 'snapshot', undefined)) as BridgeSnapshot;
    expect(demoSnap.demo).toBe(true);
    expect(demoSnap.sources.map((s) => s.id)).toContain('nx');
    // Demo orders live apart from the user's state.
    expect(existsSync(join(userData, 'state', 'demo'))).toBe(true);

    expect(await invoke(first.url, 'setDemo', { demo: false })).toEqual({ ok: true });
    // The launcher restarts the engine on the user's folder; the page URL stays the same.
    const real = await eventually(
      () => invoke(first.url, 'snapshot', undefined) as Promise<BridgeSnapshot>,
      (s) => s.demo === false,
    );
    expect(real.sources).toEqual([]);
    const saved = await eventually(
      () =>
        invoke(first.url, 'saveSource', {
          id: 'nx',
          provider: 'nexchange',
          label: 'My NX',
          fields: { url: 'ws://127.0.0.1:9/ws', orders: [] },
        }),
      (r) => (r as { ok: boolean }).ok,
    );
    expect(saved).toEqual({ ok: true });
    await stop(first.child);

    const second = await launch(userData);
    const after = (await invoke(second.url, 'snapshot', undefined)) as BridgeSnapshot;
    expect(after.demo).toBe(false);
    expect(after.sources.map((s) => [s.id, s.label])).toEqual([['nx', 'My NX']]);
    // The real `nx` inherits nothing from the demo's `nx`.
    expect(after.orders).toEqual([]);
    expect(after.sources[0]?.watched).toEqual([]);
    await stop(second.child);
  }, 90_000);
});
