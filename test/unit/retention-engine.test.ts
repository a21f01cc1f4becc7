// Bounded growth through the engine, on real files and a fake clock: a finished order leaves the
// store and orders.json after the retention, is not resubscribed or looked up, never alerts or
// reappears when re-sent, and its ledger key outlives it for the provider's resend horizon.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEDGER_FILE } from '../../src-main/engine/alert-ledger.js';
import { parseConfig } from '../../src-main/engine/config.js';
import { Engine, STATE_FILE } from '../../src-main/engine/engine.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { FilePersistence } from '../../src-main/engine/persistence.js';
import type { EngineEvent } from '../../src-main/engine/types.js';
import { ScriptedSource } from '../support/scripted-source.js';

const DAY = 24 * 60 * 60 * 1000;
// Midnight-adjacent on purpose: nothing may depend on the hour or the time zone.
const T0 = Date.parse('2026-03-01T23:59:30.000Z');

const dirs: string[] = [];
afterEach(() => {
  engines.length = 0;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function newDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orderbell-retention-'));
  dirs.push(dir);
  return dir;
}

async function run(dir: string, nowMs: number, retentionDays?: number) {
  const { config } = parseConfig({
    ...(retentionDays === undefined ? {} : { retentionDays }),
    sources: [
      { id: 'hd', provider: 'houdini', url: 'ws://127.0.0.1:1', partnerId: 'p', secret: 's' },
      { id: 'op', provider: 'orangepill', url: 'ws://127.0.0.1:1', realmKey: 'k' },
      { id: 'nx', provider: 'nexchange', url: 'ws://127.0.0.1:1', orders: ['NX-W'] },
    ],
  });
  const clock = { now: nowMs };
  const sources = new Map<string, ScriptedSource>();
  const events: EngineEvent[] = [];
  const engine = new Engine({
    config,
    persistence: new FilePersistence(dir),
    log: silentLogger(),
    saveIntervalMs: 10,
    now: () => new Date(clock.now),
    createSource: (cfg, ctx) => {
      const s = new ScriptedSource(cfg.id, cfg.provider, ctx);
      sources.set(cfg.id, s);
      return s;
    },
  });
  engine.on((e) => events.push(e));
  engines.push(engine);
  await engine.start();
  const src = (id: string) => sources.get(id) as ScriptedSource;
  return { engine, events, clock, hd: src('hd'), op: src('op'), nx: src('nx') };
}

const engines: Engine[] = [];
/** Every claim of every engine on disk and announced (the alert follows the ledger's commit). */
const settle = async () => {
  await Promise.all(engines.map((e) => e.ledger.commit().catch(() => undefined)));
  await new Promise((r) => setTimeout(r, 30));
};
const of = (events: EngineEvent[], kind: 'order' | 'alert') =>
  events.flatMap((e) => (e.kind === kind ? [e.orderId] : []));
const ledgerIds = (dir: string) =>
  readFileSync(join(dir, LEDGER_FILE), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { orderId: string }).orderId);
const stateIds = (dir: string) =>
  (
    JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as { orders: { orderId: string }[] }
  ).orders
    .map((o) => o.orderId)
    .sort();

describe('retention across restarts (real files, fake clock)', () => {
  it('a finished order leaves after 30 days and never comes back as news', async () => {
    const dir = newDir();
    const first = await run(dir, T0);
    first.op.say('OP-DONE', 'completed', 'succeeded');
    first.op.say('OP-OPEN', 'processing', 'pending');
    first.hd.say('HD-DONE', 'completed', '4');
    first.nx.say('NX-W', 'completed', 'COMPLETED');
    await settle();
    expect(of(first.events, 'alert').sort()).toEqual(['HD-DONE', 'NX-W', 'OP-DONE']);
    await first.engine.stop();

    // Day 29: nothing retires yet.
    const early = await run(dir, T0 + 29 * DAY);
    expect(early.engine.store.size).toBe(4);
    await early.engine.stop();

    // Day 31: the finished ones leave the store and orders.json; the open one stays.
    const later = await run(dir, T0 + 31 * DAY);
    expect([...later.engine.store.all()].map((r) => r.orderId)).toEqual(['OP-OPEN']);
    await later.engine.flush();
    expect(stateIds(dir)).toEqual(['OP-OPEN']);
    // Not resubscribed (the watched id is still listed for the window) and not looked up.
    expect(later.nx.ctx.watched()).toEqual([]);
    expect(later.engine.sourceStatus('nx')?.watched).toEqual(['NX-W']);
    expect(later.nx.ctx.openOrders()).toEqual([]);
    // Re-sent, as a realm stream or a replaying server would: no alert, no order line, no record.
    later.op.say('OP-DONE', 'completed', 'succeeded');
    later.op.say('OP-DONE', 'processing', 'pending');
    later.hd.say('HD-DONE', 'completed', '4');
    later.nx.say('NX-W', 'completed', 'COMPLETED');
    later.op.say('OP-NEW', 'completed', 'succeeded');
    await settle();
    expect(of(later.events, 'order')).toEqual(['OP-NEW']);
    expect(of(later.events, 'alert')).toEqual(['OP-NEW']);
    expect(later.engine.store.size).toBe(2);
    await later.engine.stop();
    // Each finish once, and each retirement marked by a second line (folded by a rewrite).
    expect(ledgerIds(dir).sort()).toEqual([
      'HD-DONE',
      'HD-DONE',
      'NX-W',
      'NX-W',
      'OP-DONE',
      'OP-DONE',
      'OP-NEW',
    ]);
    expect(readFileSync(join(dir, LEDGER_FILE), 'utf8').match(/"retired":true/g)).toHaveLength(3);
  });

  it("the ledger forgets Houdini keys 7 days after the finish, the others' after a year, watched ones never", async () => {
    const dir = newDir();
    const first = await run(dir, T0, 1);
    first.hd.say('HD-DONE', 'completed', '4');
    first.op.say('OP-DONE', 'failed', 'failed');
    first.nx.say('NX-W', 'completed', 'COMPLETED');
    await settle();
    await first.engine.stop();

    const week = await run(dir, T0 + 8 * DAY, 1);
    await week.engine.housekeep({ forceCompaction: true });
    await week.engine.stop();
    expect(ledgerIds(dir).sort()).toEqual(['NX-W', 'OP-DONE']);

    const year = await run(dir, T0 + 366 * DAY, 1);
    await year.engine.housekeep({ forceCompaction: true });
    await year.engine.stop();
    expect(ledgerIds(dir)).toEqual(['NX-W']);
  });

  it('a damaged ledger does not lose an order when the store retires it', async () => {
    const dir = newDir();
    const first = await run(dir, T0);
    first.op.say('OP-DONE', 'completed', 'succeeded');
    await settle();
    await first.engine.stop();
    // The ledger is lost; orders.json alone remembers the finish.
    rmSync(join(dir, LEDGER_FILE));
    const later = await run(dir, T0 + 31 * DAY);
    expect(later.engine.store.size).toBe(0);
    later.op.say('OP-DONE', 'completed', 'succeeded');
    await settle();
    await later.engine.stop();
    expect(of(later.events, 'alert')).toEqual([]);
    expect(ledgerIds(dir)).toEqual(['OP-DONE']);
    const third = await run(dir, T0 + 32 * DAY);
    third.op.say('OP-DONE', 'completed', 'succeeded');
    await settle();
    await third.engine.stop();
    expect(of(third.events, 'alert')).toEqual([]);
    expect(of(third.events, 'order')).toEqual([]);
  });

  it('a lost state file is not retirement: the finished order is shown again, without an alert', async () => {
    const dir = newDir();
    const first = await run(dir, T0);
    first.op.say('OP-DONE', 'completed', 'succeeded');
    await settle();
    await first.engine.stop();
    rmSync(join(dir, STATE_FILE));
    const later = await run(dir, T0 + DAY);
    later.op.say('OP-DONE', 'completed', 'succeeded');
    await settle();
    await later.engine.stop();
    expect(of(later.events, 'order')).toEqual(['OP-DONE']);
    expect(of(later.events, 'alert')).toEqual([]);
  });

  it('retention is a setting: 7 days retires a 10-day-old order', async () => {
    const dir = newDir();
    const first = await run(dir, T0, 7);
    first.hd.say('H', 'completed', '4');
    await settle();
    await first.engine.stop();
    const later = await run(dir, T0 + 10 * DAY, 7);
    expect(later.engine.store.size).toBe(0);
    await later.engine.stop();
    const withDefault = await run(newDir(), T0);
    withDefault.hd.say('H', 'completed', '4');
    await settle();
    withDefault.clock.now = T0 + 10 * DAY;
    expect((await withDefault.engine.housekeep()).retired).toBe(0);
    withDefault.clock.now = T0 + 30 * DAY;
    expect((await withDefault.engine.housekeep()).retired).toBe(1);
    await withDefault.engine.stop();
  });
});

describe("the ledger's compact tier through the engine (real files, fake clock)", () => {
  it('a retired order re-sent after restarts and a rewrite does not alert; a pinned one is kept past the horizon', async () => {
    const dir = newDir();
    const first = await run(dir, T0);
    first.op.say('OP-OLD', 'completed', 'succeeded');
    first.op.say('OP-SILENT', 'canceled', 'canceled');
    first.nx.say('NX-W', 'completed', 'COMPLETED');
    await settle();
    expect(of(first.events, 'alert').sort()).toEqual(['NX-W', 'OP-OLD', 'OP-SILENT']);
    await first.engine.stop();

    // Day 31: retired at start; the two realm orders nobody holds go to the compact tier, the
    // watched one stays in full.
    const retired = await run(dir, T0 + 31 * DAY);
    expect(retired.engine.store.size).toBe(0);
    expect(retired.engine.ledger.compactSize).toBe(2);
    expect(retired.engine.ledger.get('nexchange', 'NX-W')?.retired).toBe(true);
    // A rewrite copies the compact entries from the old log (one folded line each).
    await retired.engine.housekeep({ forceCompaction: true });
    await retired.engine.stop();
    expect(ledgerIds(dir).sort()).toEqual(['NX-W', 'OP-OLD', 'OP-SILENT']);
    expect(readFileSync(join(dir, LEDGER_FILE), 'utf8').match(/"retired":true/g)).toHaveLength(3);

    // Another run, another day: read back from the file, compact again, and a re-send is nothing.
    const later = await run(dir, T0 + 60 * DAY);
    expect(later.engine.ledger.compactSize).toBe(2);
    later.op.say('OP-OLD', 'completed', 'succeeded');
    later.op.say('OP-SILENT', 'processing', 'pending');
    later.op.say('OP-SILENT', 'canceled', 'canceled');
    later.nx.say('NX-W', 'completed', 'COMPLETED');
    later.op.say('OP-NEW', 'completed', 'succeeded');
    await settle();
    expect(of(later.events, 'order')).toEqual(['OP-NEW']);
    expect(of(later.events, 'alert')).toEqual(['OP-NEW']);
    await later.engine.stop();

    // Past the year: the realm keys go, the watched one stays (it is judged in full, pinned).
    const year = await run(dir, T0 + 400 * DAY);
    await year.engine.housekeep({ forceCompaction: true });
    await year.engine.stop();
    expect(ledgerIds(dir).sort()).toEqual(['NX-W', 'OP-NEW']);
  });
});
