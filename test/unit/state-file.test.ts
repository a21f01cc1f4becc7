// The order-state file is streamed in pieces (FilePersistence.writeParts), one per order record: it
// must stay byte for byte what JSON.stringify of the whole state gave, after changes, removals and
// restarts, and on disk exactly what the in-memory port holds.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';
import { Engine, STATE_FILE } from '../../src-main/engine/engine.js';
import { silentLogger } from '../../src-main/engine/log.js';
import {
  FilePersistence,
  MemoryPersistence,
  type PersistencePort,
} from '../../src-main/engine/persistence.js';
import { OrderStore } from '../../src-main/engine/store.js';
import { ScriptedSource } from '../support/scripted-source.js';

const btc = (amountIn: string) => ({ details: { amountIn, currencyIn: 'BTC' } });

const config = parseConfig({
  sources: [
    { id: 'hd', provider: 'houdini', url: 'ws://127.0.0.1:1', partnerId: 'p', secret: 's' },
  ],
}).config;

async function startEngine(persistence: PersistencePort) {
  let source: ScriptedSource | undefined;
  const engine = new Engine({
    config,
    persistence,
    log: silentLogger(),
    saveIntervalMs: 10,
    createSource: (cfg, ctx) => (source = new ScriptedSource(cfg.id, 'houdini', ctx)),
  });
  await engine.start();
  if (!source) throw new Error('no source');
  return { engine, hd: source };
}

/** What the engine wrote before the state was streamed: JSON.stringify of the whole state. */
function wholeState(engine: Engine, extra: { baselined: string[]; hidden: string[] }): string {
  return JSON.stringify({
    version: 1,
    orders: [...engine.store.all()],
    baselined: extra.baselined,
    watched: { hd: ['W1'] },
    hidden: extra.hidden,
  });
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('order-state file', () => {
  it('is JSON.stringify of the state, byte for byte, after changes and removals', async () => {
    const persistence = new MemoryPersistence();
    const { engine, hd } = await startEngine(persistence);
    engine.watch('hd', 'W1');
    for (let i = 0; i < 300; i += 1) hd.say(`O${i}`, 'pending', '0', btc(`${i}.5`));
    await engine.flush();
    expect(persistence.docs.get(STATE_FILE)).toBe(
      wholeState(engine, { baselined: [], hidden: [] }),
    );
    for (let i = 0; i < 300; i += 3) hd.say(`O${i}`, 'processing', '1');
    hd.say('O7', 'pending', '0', btc('99'));
    engine.unwatch('hd', 'O5');
    await engine.flush();
    const text = persistence.docs.get(STATE_FILE);
    expect(text).toBe(wholeState(engine, { baselined: [], hidden: ['hd\u0000O5'] }));
    const saved = JSON.parse(text ?? '{}') as { orders: { orderId: string; status: string }[] };
    expect(saved.orders).toHaveLength(299);
    expect(saved.orders.find((o) => o.orderId === 'O3')?.status).toBe('processing');
    await engine.stop();
  });

  it('FilePersistence streams the same bytes to disk, atomically, and counts one write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderbell-state-'));
    dirs.push(dir);
    const file = new FilePersistence(dir);
    const memory = new MemoryPersistence();
    // Non-ASCII and more than one chunk (64 K characters) of parts.
    const parts = Array.from({ length: 5_000 }, (_, i) => `{"n":${i},"t":"€ ${'x'.repeat(30)}"},`);
    await file.writeParts('doc.json', parts);
    await memory.writeParts('doc.json', parts);
    expect(readFileSync(join(dir, 'doc.json'), 'utf8')).toBe(memory.docs.get('doc.json'));
    expect(file.stats.writes).toBe(1);
    expect(file.stats.bytes).toBe(Buffer.byteLength(parts.join('')));
    await file.close();
  });

  it('a restart reads back the streamed file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderbell-state-'));
    dirs.push(dir);
    const first = await startEngine(new FilePersistence(dir));
    for (let i = 0; i < 50; i += 1) first.hd.say(`R${i}`, 'completed', '4', btc('1'));
    await first.engine.stop();
    const second = await startEngine(new FilePersistence(dir));
    expect(second.engine.store.size).toBe(50);
    expect(second.engine.store.get('hd', 'R9')?.details).toEqual({
      amountIn: '1',
      currencyIn: 'BTC',
    });
    await second.engine.stop();
  });

  it('the store serializes every record as it is now', () => {
    const store = new OrderStore();
    store.apply('s', 'houdini', { orderId: 'A', status: 'pending', providerStatus: '0' }, 't1');
    expect([...store.serialized()]).toEqual([JSON.stringify(store.get('s', 'A'))]);
    store.apply('s', 'houdini', { orderId: 'A', status: 'processing', providerStatus: '1' }, 't2');
    store.apply(
      's',
      'houdini',
      { orderId: 'A', status: 'processing', providerStatus: '1', details: { txHash: '0x1' } },
      't3',
    );
    expect([...store.serialized()]).toEqual([JSON.stringify(store.get('s', 'A'))]);
    store.remove('s', 'A');
    expect([...store.serialized()]).toEqual([]);
  });
});

describe('the alert ledger file', () => {
  it('recovers after a failed open: later appends reach the disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ob-ledger-'));
    const file = new FilePersistence(dir);
    // Something in the way of the log (as a full or broken disk would be): open() fails.
    mkdirSync(join(dir, 'alerts.ndjson'));
    await expect(file.appendDurable('alerts.ndjson', 'a\n')).rejects.toThrow();
    await expect(file.appendDurable('alerts.ndjson', 'b\n')).rejects.toThrow();
    // The disk recovers.
    rmSync(join(dir, 'alerts.ndjson'), { recursive: true });
    await file.appendDurable('alerts.ndjson', 'c\n');
    await file.appendDurable('alerts.ndjson', 'd\n');
    await file.close();
    expect(readFileSync(join(dir, 'alerts.ndjson'), 'utf8')).toBe('c\nd\n');
  });
});
