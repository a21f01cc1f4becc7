// Issue 10 item 10, the log's side, in process: a WebSocket server that echoes what it was sent
// into its close reason (SatoriEx's token arrives in the URL, Orangepill's realm key in the
// handshake) and into an unusable frame. The production logger (createLogger with the mask) must
// write neither value, whatever field or message carries it.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { parseConfig } from '../../src-main/engine/config.js';
import { Engine } from '../../src-main/engine/engine.js';
import { createLogger } from '../../src-main/engine/log.js';
import { MemoryPersistence } from '../../src-main/engine/persistence.js';
import { SecretMask } from '../../src-main/shared/secret-mask.js';
import { sleep, TEST_TUNING } from './harness.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.tok-4f1c2e';
const REALM_KEY = 'realm-9d8e7f6a';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('createLogger with a SecretMask', () => {
  it('a close reason and a frame echoing the request never write the token or realm key', async () => {
    // Echo everything the client sent us, then close with the request line as the reason.
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => new Promise((r) => wss.close(r)));
    let seen = 0;
    wss.on('connection', (ws, req) => {
      seen += 1;
      ws.on('message', (data) => ws.send(`junk echo ${data.toString()}`));
      setTimeout(() => {
        ws.send(`junk: you asked for ${req.url ?? ''} ${REALM_KEY}`);
        ws.close(4000, `bad ${(req.url ?? '').slice(-40)}`);
      }, 50);
    });
    await new Promise((r) => wss.once('listening', r));
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const { config } = parseConfig({
      sources: [
        { id: 'sx', provider: 'satoriex', url: `${url}/ws`, token: TOKEN },
        { id: 'op', provider: 'orangepill', url: `${url}/op`, realmKey: REALM_KEY },
      ],
    });
    const lines: string[] = [];
    const mask = new SecretMask();
    const log = createLogger('debug', mask, { write: (line: string) => void lines.push(line) });
    const engine = new Engine({
      config,
      persistence: new MemoryPersistence(),
      log,
      tuning: TEST_TUNING,
      mask,
    });
    await engine.start();
    cleanups.push(() => engine.stop());
    const deadline = Date.now() + 5_000;
    while (seen < 4 && Date.now() < deadline) await sleep(20);
    await sleep(100);

    const text = lines.join('');
    expect(seen).toBeGreaterThanOrEqual(4); // each source connected, was refused, came back
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(REALM_KEY);
  });
});
