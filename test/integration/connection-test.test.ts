// Issue 11 item 4, "Test connection": the bridge command against the real engine and the loopback
// simulators. Good credentials → connected; bad ones → auth_failed with the provider's reason; an
// address nobody listens on → unreachable with the reason; a server that never answers → timeout.
// Bounded in time; nothing reaches the state folder, the engine's listeners or the window; the
// secret typed is never in the answer.
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';
import { testConnection } from '../../src-main/engine/connection-test.js';
import { Engine } from '../../src-main/engine/engine.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { FilePersistence } from '../../src-main/engine/persistence.js';
import type { EngineEvent } from '../../src-main/engine/types.js';
import type { ChangeBatch, SourceInput } from '../../src-main/shared/bridge.js';
import { BridgeHost } from '../../src-main/shared/bridge-host.js';
import { PROVIDER_INFO, PROVIDERS, type ProviderKey } from '../../src-main/shared/providers.js';
import { MemorySettings } from '../../src-main/shared/settings-port.js';
import { SIMULATORS } from '../../src-main/simulator/index.js';
import type { Simulator } from '../../src-main/simulator/types.js';
import { TEST_TUNING } from './harness.js';

const sims = new Map<ProviderKey, Simulator>();
let engine: Engine;
let host: BridgeHost;
let stateDir: string;
const events: EngineEvent[] = [];
const batches: ChangeBatch[] = [];

beforeAll(async () => {
  for (const p of PROVIDERS) sims.set(p, await SIMULATORS[p].start());
  stateDir = mkdtempSync(join(tmpdir(), 'orderbell-test-connection-'));
  engine = new Engine({
    config: parseConfig({ sources: [] }).config,
    persistence: new FilePersistence(stateDir),
    log: silentLogger(),
    tuning: TEST_TUNING,
  });
  engine.on((e) => events.push(e));
  await engine.start();
  host = new BridgeHost({
    engine,
    settings: new MemorySettings({ sources: [] }),
    log: silentLogger(),
    demo: false,
    platform: { kind: 'web', notificationsSupported: false, secretsProtected: false },
  });
  const client = { send: (b: ChangeBatch) => void batches.push(b) };
  host.attach(client);
  await host.invoke('snapshot', undefined, client);
}, 30_000);

afterAll(async () => {
  host?.dispose();
  await engine?.stop();
  for (const sim of sims.values()) await sim.close();
});

const SECRETS = (p: ProviderKey) =>
  PROVIDER_INFO[p].fields.filter((f) => f.kind === 'secret').map((f) => f.name);

/** The form's input for a source on `p`'s simulator, credentials replaced by `patch`. */
function formFor(p: ProviderKey, patch: Record<string, string> = {}): SourceInput {
  const sim = sims.get(p);
  if (!sim) throw new Error(`no ${p} simulator`);
  const raw = SIMULATORS[p].soak.source(sim, ['T-1']);
  const fields: SourceInput['fields'] = {};
  for (const [k, v] of Object.entries({ ...raw, ...patch })) {
    if (['id', 'provider', 'label', 'enabled'].includes(k)) continue;
    fields[k] = v as string;
  }
  return { id: `test-${p}`, provider: p, fields };
}

async function test(input: SourceInput) {
  const started = Date.now();
  const answer = await host.invoke('testSource', input);
  return { answer, ms: Date.now() - started };
}

const WITH_SECRETS = PROVIDERS.filter((p) => SECRETS(p).length > 0);

describe('Test connection (bridge command, real engine, simulators)', () => {
  it.each(PROVIDERS.map((p) => [p]))('%s: good credentials → connected', async (p) => {
    const { answer, ms } = await test(formFor(p));
    expect(answer).toMatchObject({ ok: true, outcome: 'connected' });
    expect(ms).toBeLessThan(10_000);
  });

  it.each(WITH_SECRETS.map((p) => [p]))(
    '%s: a wrong credential → auth_failed with the reason, the secret never echoed',
    async (p) => {
      const wrong = `wrong-${p}-b7f3c9d1e5a2`;
      const patch = Object.fromEntries(SECRETS(p).map((name) => [name, wrong]));
      const { answer, ms } = await test(formFor(p, patch));
      expect(answer).toMatchObject({ ok: true, outcome: 'auth_failed' });
      expect(answer.ok && answer.detail).toBeTruthy();
      expect(JSON.stringify(answer)).not.toContain(wrong);
      expect(ms).toBeLessThan(10_000);
    },
  );

  it('an address nobody listens on → unreachable, with the reason', async () => {
    const port = await closedPort();
    const { answer, ms } = await test({
      id: 'gone',
      provider: 'nexchange',
      fields: { url: `ws://127.0.0.1:${port}/orders/` },
    });
    expect(answer).toMatchObject({ ok: true, outcome: 'unreachable' });
    expect(answer.ok && answer.detail).toMatch(/ECONNREFUSED/);
    expect(ms).toBeLessThan(5_000);
  });

  it('a form the config refuses is answered in the config words, nothing tried', async () => {
    const answer = await host.invoke('testSource', {
      id: 'my nx source!',
      provider: 'nexchange',
      fields: { url: 'wss://api.n.exchange/orders/', heartbeatIntervalMs: '50' },
    });
    expect(answer).toEqual({
      ok: false,
      field: 'id',
      error: 'may hold only letters, digits, ".", "_" and "-"',
    });
  });

  it('left nothing behind: no source, no event, no change, nothing in the state folder', async () => {
    expect(engine.sourceConfigs()).toEqual([]);
    expect(engine.snapshot().orders).toEqual([]);
    expect(events).toEqual([]);
    host.flush();
    expect(batches.flatMap((b) => b.changes)).toEqual([]);
    // The engine writes its state file only when something changed: nothing did.
    expect(readdirSync(stateDir).filter((f) => !f.endsWith('.lock'))).toEqual([]);
  });
});

describe('testConnection (engine helper)', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts TCP and never says a word: no upgrade, no verdict.
    silent = createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('a server that never answers → timeout, within the bound', async () => {
    const port = (silent.address() as { port: number }).port;
    const { config } = parseConfig({
      sources: [{ id: 'mute', provider: 'nexchange', url: `ws://127.0.0.1:${port}/` }],
    });
    const cfg = config.sources[0];
    if (!cfg) throw new Error('no source');
    const started = Date.now();
    const result = await testConnection(cfg, [], {
      log: silentLogger(),
      tuning: TEST_TUNING,
      timeoutMs: 300,
    });
    expect(result).toMatchObject({ outcome: 'timeout', detail: 'no answer within 0.3 s' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}
