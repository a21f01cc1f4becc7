// A stored credential follows its destination: a source edited to point at another host with the
// credential left empty (or left out of the request) is refused, and the new host never receives
// the old credential. Real engine, real Houdini adapter, two real WebSocket servers on loopback
// that record the `Authorization` header of every upgrade.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { silentLogger } from '../../src-main/engine/log.js';
import { BridgeHost } from '../../src-main/shared/bridge-host.js';
import { DESTINATION_CHANGED } from '../../src-main/shared/host/source-builder.js';
import { MemorySettings } from '../../src-main/shared/settings-port.js';
import { sleep, watch, type Watching } from './harness.js';

interface Recorder {
  url: string;
  auth: string[];
  close(): Promise<void>;
}

async function recorder(): Promise<Recorder> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((ok) => wss.once('listening', () => ok()));
  const auth: string[] = [];
  wss.on('connection', (_ws, req) => auth.push(String(req.headers.authorization)));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    auth,
    close: () =>
      new Promise<void>((done) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => done());
      }),
  };
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length) await open.pop()?.close();
});

describe('houdini: editing url with an empty secret', () => {
  it('is refused and the new host never receives the old secret', async () => {
    const a = await recorder();
    const b = await recorder();
    open.push(a, b);
    const w: Watching = await watch([
      { id: 'hd', provider: 'houdini', url: a.url, partnerId: 'p1', secret: 'old-secret' },
    ]);
    open.push({ close: () => w.stop() });
    const host = new BridgeHost({
      engine: w.engine,
      settings: new MemorySettings(),
      platform: { kind: 'web', notificationsSupported: false, secretsProtected: false },
      demo: false,
      log: silentLogger(),
    });
    open.push({ close: async () => host.dispose() });
    await w.until(() => a.auth.includes('p1:old-secret'), 'the first host got the secret');

    const moved = { replaces: 'hd', id: 'hd', provider: 'houdini' };
    expect(
      await host.dispatch('saveSource', {
        ...moved,
        fields: { url: b.url, partnerId: 'p1', secret: '' },
      }),
    ).toEqual({ ok: false, error: DESTINATION_CHANGED, field: 'secret' });
    // A request that leaves the field out altogether is the same request.
    expect(await host.dispatch('saveSource', { ...moved, fields: { url: b.url } })).toEqual({
      ok: false,
      error: DESTINATION_CHANGED,
      field: 'secret',
    });
    await sleep(300);
    expect(b.auth).toEqual([]);
    expect(w.engine.sourceConfigs()[0]).toMatchObject({ url: a.url, secret: 'old-secret' });

    // Typed again, the new host gets the new secret, and only that.
    expect(
      await host.dispatch('saveSource', {
        ...moved,
        fields: { url: b.url, partnerId: 'p1', secret: 'new-secret' },
      }),
    ).toEqual({ ok: true });
    await w.until(() => b.auth.length > 0, 'the new host got a connection');
    expect(b.auth.every((h) => h === 'p1:new-secret')).toBe(true);
  });
});
