// Issue 10 item 10, the window's side: the real engine and bridge host against the OZZOBiT
// simulator, which echoes the API key into a KYC activity (entityId and detail). Neither the batches
// a window receives nor its snapshot may carry the key; the engine itself keeps what it was told.
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';
import { Engine } from '../../src-main/engine/engine.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { MemoryPersistence } from '../../src-main/engine/persistence.js';
import type { ChangeBatch } from '../../src-main/shared/bridge.js';
import { BridgeHost } from '../../src-main/shared/bridge-host.js';
import { SecretMask } from '../../src-main/shared/secret-mask.js';
import { MemorySettings } from '../../src-main/shared/settings-port.js';
import { startOzzobitSimulator } from '../../src-main/simulator/ozzobit.js';
import { sleep, TEST_TUNING } from './harness.js';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('bridge host with a SecretMask', () => {
  it('an API key echoed by the provider never reaches the window', async () => {
    const sim = await startOzzobitSimulator();
    cleanups.push(() => sim.close());
    const apiKey = sim.credentials.apiKey ?? '';
    const { config } = parseConfig({
      sources: [{ id: 'oz', provider: 'ozzobit', url: sim.url, apiKey, env: sim.credentials.env }],
    });
    const mask = new SecretMask();
    const engine = new Engine({
      config,
      persistence: new MemoryPersistence(),
      log: silentLogger(),
      tuning: TEST_TUNING,
      mask,
    });
    await engine.start();
    cleanups.push(() => engine.stop());
    const host = new BridgeHost({
      engine,
      settings: new MemorySettings({ sources: config.sources }),
      log: silentLogger(),
      demo: false,
      platform: { kind: 'web', notificationsSupported: false, secretsProtected: false },
      mask,
    });
    cleanups.push(() => host.dispose());
    const batches: ChangeBatch[] = [];
    const client = { send: (b: ChangeBatch) => void batches.push(b) };
    host.attach(client);
    await host.invoke('snapshot', undefined, client);

    const deadline = Date.now() + 5_000;
    while (engine.sourceStatus('oz')?.state !== 'connected' && Date.now() < deadline)
      await sleep(10);
    await sleep(100); // subscribed
    sim.sendRaw(
      JSON.stringify({ event: 'KYC_STATUS_CHANGED', userId: apiKey, newStatus: `key ${apiKey}` }),
    );
    while (engine.snapshot().activity.length === 0 && Date.now() < deadline) await sleep(10);
    host.flush();

    // The engine heard it as sent; the window gets it masked.
    expect(engine.snapshot().activity[0]).toMatchObject({ entityId: apiKey });
    const sent = JSON.stringify(batches);
    expect(sent).toContain('key [redacted]');
    expect(sent).not.toContain(apiKey);
    const snapshot = JSON.stringify(await host.invoke('snapshot', undefined, client));
    expect(snapshot).toContain('key [redacted]');
    expect(snapshot).not.toContain(apiKey);
  });
});
