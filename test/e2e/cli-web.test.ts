// The real command: `headless --demo --ui` as a child process. The URL is printed on stderr, stdout
// stays pure NDJSON, every request needs the token, and the window works in Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { PROVIDERS } from '../../src-main/shared/providers.js';
import { ensureBuilt, launchChromium, ROOT } from './support.js';

let child: ChildProcess;
let url: URL;
let stdout = '';
let stderr = '';
let exited: Promise<number | null>;

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: url.port, path, headers, timeout: 5_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function wsOutcome(path: string, origin?: string): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${url.port}${path}`, origin ? { origin } : {});
    const timer = setTimeout(() => resolve(0), 5_000);
    ws.on('open', () => {
      clearTimeout(timer);
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      resolve(res.statusCode ?? 0);
    });
    ws.on('error', () => undefined);
  });
}

beforeAll(async () => {
  ensureBuilt('all');
  const stateDir = mkdtempSync(join(tmpdir(), 'orderbell-cli-ui-'));
  child = spawn(
    process.execPath,
    ['dist/src-main/cli/headless.js', '--demo', '--ui', '--state-dir', stateDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const m = /status window at (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(stderr);
    if (m?.[1]) {
      url = new URL(m[1]);
      break;
    }
    if (Date.now() > deadline) throw new Error(`no URL on stderr:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

describe('headless --demo --ui', () => {
  it('prints a loopback URL with a token of at least 128 bits', () => {
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
    const token = url.searchParams.get('token') ?? '';
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
  });

  it('refuses requests without the token, with a wrong one, or for another host', async () => {
    const token = url.searchParams.get('token') ?? '';
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=wrong')).status).toBe(403);
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await get(`/?token=${flipped}`)).status).toBe(403);
    expect((await get('/assets/whatever.js')).status).toBe(403);
    expect((await get(`/?token=${token}`, { host: 'evil.example' })).status).toBe(403);
    const ok = await get(`/?token=${token}`);
    expect(ok.status).toBe(200);
    const csp = String(ok.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    const cookie = String(ok.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    // Paths never leave the built window's folder.
    expect((await get(`/../package.json?token=${token}`)).status).toBe(404);
    expect((await get(`/%2e%2e/package.json?token=${token}`)).status).toBe(404);
  });

  it('the bridge socket needs the token and our own origin', async () => {
    const token = url.searchParams.get('token') ?? '';
    expect(await wsOutcome('/bridge')).toBe(403);
    expect(await wsOutcome('/bridge?token=nope')).toBe(403);
    expect(await wsOutcome(`/bridge?token=${token}`, 'http://evil.example')).toBe(403);
    expect(await wsOutcome(`/bridge?token=${token}`, `http://127.0.0.1:${url.port}`)).toBe('open');
  });

  it('serves the window: the demo shows live in Chromium', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 420, height: 640 } });
      await page.goto(url.toString());
      await page.waitForFunction(
        (n) => document.querySelectorAll('.sources [data-state="connected"]').length === n,
        PROVIDERS.length,
        { timeout: 20_000 },
      );
      await page.waitForSelector('[data-order-id]', { timeout: 10_000 });
    } finally {
      await browser.close();
    }
  });

  it('keeps stdout pure NDJSON and exits 0 on SIGTERM', async () => {
    child.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 3_000)),
    ]);
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      const event = JSON.parse(line) as { kind?: string };
      expect(['connection', 'order', 'activity', 'alert', 'problem']).toContain(event.kind);
    }
    expect(stdout).not.toContain('token=');
  });
});
