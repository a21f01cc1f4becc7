// The engine's promises to every face: one alert per order, ever; no regression; records kept
// across restarts and damaged files; writes coalesced. Driven by scripted sources, no sockets.
import { describe, expect, it } from 'vitest';
import { LEDGER_FILE } from '../../src-main/engine/alert-ledger.js';
import { parseConfig } from '../../src-main/engine/config.js';
import { Engine, STATE_FILE } from '../../src-main/engine/engine.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { MemoryPersistence } from '../../src-main/engine/persistence.js';
import type { EngineEvent } from '../../src-main/engine/types.js';
import { ScriptedSource } from '../support/scripted-source.js';

/** As the first REST snapshot of an all-orders source reports: recorded, not announced. */
const SILENT = { options: { origin: 'rest', silent: true } } as const;

const config = parseConfig({
  sources: [
    { id: 'hd', provider: 'houdini', url: 'ws://127.0.0.1:1', partnerId: 'p', secret: 's' },
    { id: 'hd2', provider: 'houdini', url: 'ws://127.0.0.1:1', partnerId: 'p', secret: 's' },
  ],
}).config;

async function startEngine(persistence = new MemoryPersistence()) {
  const sources = new Map<string, ScriptedSource>();
  const events: EngineEvent[] = [];
  const engine = new Engine({
    config,
    persistence,
    log: silentLogger(),
    saveIntervalMs: 50,
    createSource: (cfg, ctx) => {
      const s = new ScriptedSource(cfg.id, 'houdini', ctx);
      sources.set(cfg.id, s);
      return s;
    },
  });
  engine.on((e) => events.push(e));
  await engine.start();
  const src = (id: string) => {
    const s = sources.get(id);
    if (!s) throw new Error(id);
    return s;
  };
  return { engine, events, persistence, hd: src('hd'), hd2: src('hd2') };
}

const settle = () => new Promise((r) => setTimeout(r, 20));
const kinds = (events: EngineEvent[], kind: EngineEvent['kind']) =>
  events.filter((e) => e.kind === kind);

describe('engine', () => {
  it('announces an order once, on its first terminal status, after the ledger is on disk', async () => {
    const { engine, events, hd, persistence } = await startEngine();
    let ledgerAtAlert: string | undefined;
    engine.on((e) => {
      if (e.kind === 'alert') ledgerAtAlert = persistence.docs.get(LEDGER_FILE);
    });
    hd.say('H1', 'pending', '0');
    hd.say('H1', 'processing', '2');
    hd.say('H1', 'processing', '2');
    hd.say('H1', 'completed', '4');
    hd.say('H1', 'completed', '4');
    hd.say('H1', 'processing', '3');
    await settle();
    const orders = kinds(events, 'order');
    expect(orders.map((e) => e.kind === 'order' && e.providerStatus)).toEqual(['0', '2', '4']);
    const alerts = kinds(events, 'alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      source: 'hd',
      provider: 'houdini',
      orderId: 'H1',
      status: 'completed',
    });
    expect(alerts[0]?.kind === 'alert' && alerts[0].title).toBe('Houdini Swap: order completed');
    expect(ledgerAtAlert).toContain('"orderId":"H1"');
    expect(engine.store.get('hd', 'H1')?.status).toBe('completed');
    await engine.stop();
  });

  it('one order seen by two sources of the same provider alerts once', async () => {
    const { engine, events, hd, hd2 } = await startEngine();
    hd.say('X', 'failed', '6');
    hd2.say('X', 'failed', '6');
    await settle();
    expect(kinds(events, 'alert')).toHaveLength(1);
    await engine.stop();
  });

  it('a burst of terminal orders is committed in few durable writes, each alerted once', async () => {
    const { engine, events, hd, persistence } = await startEngine();
    for (let i = 0; i < 500; i += 1) hd.say(`B${i}`, 'completed', '4');
    await settle();
    expect(kinds(events, 'alert')).toHaveLength(500);
    expect(persistence.stats.appends).toBeLessThanOrEqual(3);
    await engine.stop();
  });

  it('the first snapshot of an all-orders source records history without ringing', async () => {
    const { engine, events, hd } = await startEngine();
    hd.say('OLD', 'completed', '4', SILENT);
    hd.say('OLD', 'completed', '4');
    hd.say('NEW', 'pending', '0', SILENT);
    hd.say('NEW', 'completed', '4');
    await settle();
    expect(kinds(events, 'order')).toHaveLength(3);
    expect(kinds(events, 'alert').map((e) => e.kind === 'alert' && e.orderId)).toEqual(['NEW']);
    await engine.stop();
  });

  it('after a restart on the same state, a finished order never alerts again', async () => {
    const first = await startEngine();
    first.hd.say('R1', 'completed', '4');
    first.hd.say('R2', 'processing', '1');
    await settle();
    await first.engine.stop();
    const second = await startEngine(first.persistence);
    second.hd.say('R1', 'completed', '4');
    second.hd.say('R2', 'refunded', '7');
    await settle();
    expect(kinds(second.events, 'order').map((e) => e.kind === 'order' && e.orderId)).toEqual([
      'R2',
    ]);
    expect(kinds(second.events, 'alert').map((e) => e.kind === 'alert' && e.orderId)).toEqual([
      'R2',
    ]);
    await second.engine.stop();
  });

  it('a damaged state file is set aside and reported; the ledger still prevents repeats', async () => {
    const first = await startEngine();
    first.hd.say('C1', 'completed', '4');
    await settle();
    await first.engine.stop();
    first.persistence.docs.set(STATE_FILE, '{"version":1,"orders":[{"sourc');
    const second = await startEngine(first.persistence);
    expect(second.engine.problems.join('\n')).toMatch(/orders\.json is damaged.*kept aside/);
    expect(first.persistence.asides).toHaveLength(1);
    second.hd.say('C1', 'completed', '4');
    await settle();
    expect(kinds(second.events, 'alert')).toHaveLength(0);
    await second.engine.stop();
  });

  it('damaged ledger lines are skipped and reported; the saved order state still prevents repeats', async () => {
    const first = await startEngine();
    first.hd.say('L1', 'completed', '4');
    first.hd.say('L2', 'completed', '4');
    await settle();
    await first.engine.stop();
    const ledger = first.persistence.docs.get(LEDGER_FILE) ?? '';
    // Tear the first entry, as a crash mid-write or a disk error would.
    first.persistence.docs.set(
      LEDGER_FILE,
      '\u0000garbage\n' + ledger.split('\n').slice(1).join('\n') + '{"provi',
    );
    const second = await startEngine(first.persistence);
    expect(second.engine.problems.join('\n')).toMatch(
      /2 damaged line\(s\) skipped; 1 entries kept/,
    );
    second.hd.say('L1', 'completed', '4');
    second.hd.say('L2', 'completed', '4');
    second.hd.say('L3', 'completed', '4');
    await settle();
    expect(kinds(second.events, 'alert').map((e) => e.kind === 'alert' && e.orderId)).toEqual([
      'L3',
    ]);
    // New entries start on a fresh line after the torn one.
    expect(first.persistence.docs.get(LEDGER_FILE)).toMatch(
      /\{"provi\n\{"provider":"houdini","source":"hd","orderId":"L3"/,
    );
    await second.engine.stop();
  });

  it('coalesces order-state writes under a flood', async () => {
    const { engine, hd, persistence } = await startEngine();
    const t0 = Date.now();
    for (let i = 0; i < 2_000; i += 1) hd.say(`F${i % 200}`, 'processing', String(i));
    await new Promise((r) => setTimeout(r, 200));
    const elapsed = Date.now() - t0;
    await engine.flush();
    // saveIntervalMs is 50 here: never more than one write per interval plus the final flush.
    expect(persistence.stats.writes).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 2);
    const saved = JSON.parse(persistence.docs.get(STATE_FILE) ?? '{}') as { orders: unknown[] };
    expect(saved.orders).toHaveLength(200);
    await engine.stop();
  });

  it('watching and unwatching orders at run time is kept across restarts', async () => {
    const first = await startEngine();
    first.engine.watch('hd', 'W1');
    first.engine.watch('hd', 'W2');
    first.hd.say('W2', 'processing', '1');
    first.engine.unwatch('hd', 'W2');
    first.hd.say('W2', 'completed', '4');
    await settle();
    expect(kinds(first.events, 'alert')).toHaveLength(0);
    await first.engine.stop();
    const second = await startEngine(first.persistence);
    expect(second.engine.sourceStatus('hd')?.watched).toEqual(['W1']);
    await second.engine.stop();
  });
});
