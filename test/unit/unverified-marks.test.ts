// Blindness made visible, main side: a real Engine behind a real BridgeHost, driven by a scripted
// source. An unverified mark set or cleared reaches the window as an `order-mark` change, while the
// NDJSON stream (the engine's events) gets no order line for it: only the one `problem` line per gap.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';
import { Engine } from '../../src-main/engine/engine.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { MemoryPersistence } from '../../src-main/engine/persistence.js';
import type { EngineEvent } from '../../src-main/engine/types.js';
import type { BridgeChange, ChangeBatch } from '../../src-main/shared/bridge.js';
import { BridgeHost } from '../../src-main/shared/bridge-host.js';
import { MemorySettings } from '../../src-main/shared/settings-port.js';
import type { OrderMark } from '../../src-main/shared/unverified.js';
import { ScriptedSource } from '../support/scripted-source.js';

const config = parseConfig({
  sources: [{ id: 'nx', provider: 'nexchange', url: 'ws://127.0.0.1:1/', orders: ['N1', 'N2'] }],
}).config;

const SINCE = '2025-06-01T14:02:00.000Z';

async function setup() {
  let source: ScriptedSource | undefined;
  const engine = new Engine({
    config,
    persistence: new MemoryPersistence(),
    log: silentLogger(),
    createSource: (_cfg, ctx) => (source = new ScriptedSource('nx', 'nexchange', ctx)),
  });
  const lines: EngineEvent[] = [];
  engine.on((e) => lines.push(e));
  await engine.start();
  const host = new BridgeHost({
    engine,
    settings: new MemorySettings({ sources: config.sources }),
    platform: { notificationsSupported: false, secretsProtected: true, kind: 'web' },
    demo: false,
    log: silentLogger(),
  });
  const batches: ChangeBatch[] = [];
  const client = { send: (b: ChangeBatch) => batches.push(b) };
  host.attach(client);
  await host.invoke('snapshot', undefined, client);
  if (!source) throw new Error('no source');
  const nx = source;
  /** What the window received since the last call, and the NDJSON lines since then. */
  const drain = () => {
    host.flush();
    const got = batches.splice(0).flatMap((b) => b.changes);
    const written = lines.splice(0);
    return { got, written };
  };
  return { engine, host, nx, drain };
}

const marks = (got: BridgeChange[]): OrderMark[] =>
  got.flatMap((c) => (c.type === 'order-mark' ? [c.mark] : []));
const kinds = (written: EngineEvent[]) => written.map((e) => e.kind);

describe('unverified marks reach the window, not the NDJSON stream', () => {
  it('a gap marks a known order: one order-mark change, one problem line, no order line', async () => {
    const { engine, host, nx, drain } = await setup();
    nx.say('N1', 'pending', '11');
    drain();
    nx.ctx.unverified(SINCE, [
      { orderId: 'N1', reason: 'no_catch_up' },
      // Watched but never reported: the store has no record to mark; the problem line names it.
      { orderId: 'N2', reason: 'no_catch_up' },
    ]);
    const { got, written } = drain();
    expect(marks(got)).toEqual([
      { source: 'nx', orderId: 'N1', unverifiedSince: SINCE, unverifiedReason: 'no_catch_up' },
    ]);
    expect(kinds(written)).toEqual(['problem']);
    expect(written[0]).toMatchObject({ orderIds: ['N1', 'N2'], count: 2, since: SINCE });
    // The problem line reaches the window as it is (an event); the snapshot carries the mark.
    expect(
      got.filter((c) => c.type === 'event').map((c) => c.type === 'event' && c.event.kind),
    ).toEqual(['problem']);
    expect((await host.invoke('snapshot', undefined)).orders[0]).toMatchObject({
      unverifiedSince: SINCE,
      unverifiedReason: 'no_catch_up',
    });
    await engine.stop();
  });

  it('the same mark again sends nothing new', async () => {
    const { engine, nx, drain } = await setup();
    nx.say('N1', 'pending', '11');
    nx.ctx.unverified(SINCE, [{ orderId: 'N1', reason: 'lookup_failed' }]);
    drain();
    nx.ctx.unverified(SINCE, [{ orderId: 'N1', reason: 'lookup_failed' }]);
    expect(marks(drain().got)).toEqual([]);
    await engine.stop();
  });

  // How the mark clears → the NDJSON lines that the clearing writes (none but a real change's).
  const CLEARS: [string, (nx: ScriptedSource) => void, EngineEvent['kind'][]][] = [
    ['a live repeat of the same status', (nx) => nx.say('N1', 'pending', '11'), []],
    ['a REST lookup that confirms it', (nx) => nx.ctx.verified('N1'), []],
    [
      'a REST answer with the same status',
      (nx) => nx.say('N1', 'pending', '11', { options: { origin: 'rest' } }),
      [],
    ],
    ['a live status change', (nx) => nx.say('N1', 'processing', '13'), ['order']],
  ];
  it.each(CLEARS)('%s clears the mark in the window', async (_name, clear, lines) => {
    const { engine, nx, drain } = await setup();
    nx.say('N1', 'pending', '11');
    nx.ctx.unverified(SINCE, [{ orderId: 'N1', reason: 'no_catch_up' }]);
    drain();
    clear(nx);
    const { got, written } = drain();
    expect(marks(got)).toEqual([{ source: 'nx', orderId: 'N1' }]);
    expect(kinds(written)).toEqual(lines);
    expect(engine.store.get('nx', 'N1')?.unverifiedSince).toBeUndefined();
    await engine.stop();
  });

  it('an update to an unmarked order sends no mark change', async () => {
    const { engine, nx, drain } = await setup();
    nx.say('N1', 'pending', '11');
    nx.say('N1', 'processing', '13');
    nx.say('N1', 'processing', '13');
    nx.ctx.verified('N1');
    expect(marks(drain().got)).toEqual([]);
    await engine.stop();
  });

  it('a late regression leaves the mark of a finished order alone', async () => {
    const { engine, nx, drain } = await setup();
    nx.say('N1', 'completed', '16');
    nx.ctx.unverified(SINCE, [{ orderId: 'N1', reason: 'lookup_failed' }]);
    drain();
    nx.say('N1', 'pending', '11');
    expect(marks(drain().got)).toEqual([]);
    expect(engine.store.get('nx', 'N1')?.unverifiedSince).toBe(SINCE);
    await engine.stop();
  });
});
