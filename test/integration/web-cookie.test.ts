// Web mode's cookie on loopback. A browser sends a 127.0.0.1 cookie to every port, so another
// local server the user visits receives it: the cookie must not be the token, must not open the
// page or the bridge, must be named for its own port, and one server must refuse another's.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { silentLogger } from '../../src-main/engine/log.js';
import { startWebServer, type WebServer } from '../../src-main/cli/web-server.js';
import { setup } from '../support/host-harness.js';

interface Reply {
  status: number;
  setCookie: string[];
}

function get(server: WebServer, path: string, cookie?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        headers: cookie ? { cookie } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] ?? [] }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function upgrade(server: WebServer, path: string, cookie?: string): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, {
      headers: cookie ? { cookie } : {},
    });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

/** `name=value` of the first Set-Cookie header, and its attributes. */
function cookieOf(reply: Reply): { pair: string; name: string; value: string; attrs: string } {
  const [pair = '', ...attrs] = (reply.setCookie[0] ?? '').split(';').map((s) => s.trim());
  const eq = pair.indexOf('=');
  return { pair, name: pair.slice(0, eq), value: pair.slice(eq + 1), attrs: attrs.join('; ') };
}

let a: WebServer;
let b: WebServer;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'orderbell-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>w</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'void 0;');
  a = await startWebServer({ host: setup().host, log: silentLogger(), root });
  b = await startWebServer({ host: setup().host, log: silentLogger(), root });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
});

describe('web mode cookie', () => {
  it('is named for its port, a session cookie, HttpOnly, SameSite=Strict, Path=/', async () => {
    const page = await get(a, `/?token=${a.token}`);
    expect(page.status).toBe(200);
    const c = cookieOf(page);
    expect(c.name).toBe(`orderbell_${a.port}`);
    expect(c.attrs.split('; ').sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict']);
    const other = cookieOf(await get(b, `/?token=${b.token}`));
    expect(other.name).toBe(`orderbell_${b.port}`);
    expect(other.name).not.toBe(c.name);
  });

  it('never carries the token', async () => {
    const c = cookieOf(await get(a, `/?token=${a.token}`));
    expect(c.value.length).toBeGreaterThanOrEqual(43);
    expect(c.value).not.toBe(a.token);
    expect(c.value).not.toContain(a.token);
  });

  it('opens the static files of its own server only', async () => {
    const c = cookieOf(await get(a, `/?token=${a.token}`));
    expect((await get(a, '/assets/app.js', c.pair)).status).toBe(200);
    expect((await get(a, '/assets/app.js')).status).toBe(403);
    // What the browser sends to the other port: refused there, named or renamed.
    expect((await get(b, '/assets/app.js', c.pair)).status).toBe(403);
    expect((await get(b, '/assets/app.js', `orderbell_${b.port}=${c.value}`)).status).toBe(403);
  });

  it('does not open the page or the bridge: those need the token in the URL', async () => {
    const c = cookieOf(await get(a, `/?token=${a.token}`));
    expect((await get(a, '/', c.pair)).status).toBe(403);
    expect((await get(a, '/index.html', c.pair)).status).toBe(403);
    expect((await get(a, '/%69ndex.html', c.pair)).status).toBe(403);
    expect(await upgrade(a, '/bridge', c.pair)).toBe(403);
    // A cookie holding the token itself (as this server once set) does not open the bridge either.
    expect(await upgrade(a, '/bridge', `orderbell_${a.port}=${a.token}`)).toBe(403);
    expect(await upgrade(a, `/bridge?token=${a.token}`)).toBe('open');
    expect(await upgrade(b, `/bridge?token=${a.token}`)).toBe(403);
  });
});
