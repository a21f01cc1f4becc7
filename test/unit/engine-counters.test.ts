// The engine's per-source counters behind GET /metrics and the state times behind /healthz:
// each counts what it names, once; a source replaced by a reload keeps counting; a removed one
// leaves. Scripted sources, an injected clock.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';
import { Engine } from '../../src-main/engine/engine.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { MemoryPersistence } from '../../src-main/engine/persistence.js';
import { ScriptedSource } from '../support/scripted-source.js';

const hd = (id: string, url = 'ws://127.0.0.1:1') => ({
  id,
  provider: 'houdini',
  url,
  partnerId: 'p',
  secret: 's',
});

async function start() {
  let nowMs = 1_800_000_000_000;
  const sources = new Map<string, ScriptedSource>();
  const engine = new Engine({
    config: parseConfig({ sources: [hd('a'), hd('b')] }).config,
    persistence: new MemoryPersistence(),
    log: silentLogger(),
    now: () => new Date(nowMs),
    createSource: (cfg, ctx) => {
      const s = new ScriptedSource(cfg.id, 'houdini', ctx);
      sources.set(cfg.id, s);
      return s;
    },
  });
  await engine.start();
  const src = (id: string) => sources.get(id) as ScriptedSource;
  const metrics = (id: string) => engine.sourceMetrics().find((m) => m.id === id);
  const tick = (ms: number) => (nowMs += ms);
  return { engine, src, metrics, tick, now: () => nowMs };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('engine source counters', () => {
  it('counts frames, order changes, alerts, reconnects and catch-up requests per source', async () => {
    const { engine, src, metrics } = await start();
    const a = src('a');
    for (let i = 0; i < 5; i++) a.ctx.heard();
    a.say('H1', 'processing', '2');
    a.say('H1', 'processing', '2'); // a repeat: no order line, not counted
    a.say('H1', 'completed', '4');
    a.say('H1', 'completed', '4'); // no second alert
    a.ctx.lookedUp?.();
    a.ctx.lookedUp?.();
    a.ctx.connection('reconnecting', 'closed');
    a.ctx.connection('reconnecting', 'closed again'); // still the same gap
    a.ctx.connection('connected');
    a.ctx.connection('reconnecting');
    await settle();
    expect(metrics('a')?.counters).toEqual({
      frames: 5,
      orderUpdates: 2,
      alerts: 1,
      reconnects: 2,
      catchUpLookups: 2,
    });
    expect(metrics('b')?.counters).toEqual({
      frames: 0,
      orderUpdates: 0,
      alerts: 0,
      reconnects: 0,
      catchUpLookups: 0,
    });
    await engine.stop();
  });

  it('knows since when each source is in its state, and when it last heard a frame', async () => {
    const { engine, src, metrics, tick, now } = await start();
    const connectedAt = now();
    tick(1_000);
    src('a').ctx.heard();
    expect(metrics('a')).toMatchObject({ state: 'connected', stateSinceMs: connectedAt });
    expect(metrics('a')?.heardAtMs).toBe(now());
    expect(metrics('b')?.heardAtMs).toBeUndefined();
    tick(1_000);
    src('a').ctx.connection('auth_failed', 'bad key');
    const failedAt = now();
    tick(60_000);
    src('a').ctx.connection('auth_failed', 'bad key'); // the same state again: the time stays
    expect(metrics('a')).toMatchObject({ state: 'auth_failed', stateSinceMs: failedAt });
    await engine.stop();
  });

  it('keeps a source counting across a replacement (reload) and forgets a removed one', async () => {
    const { engine, src, metrics } = await start();
    src('a').ctx.heard();
    src('a').say('H1', 'processing', '2');
    await engine.upsertSource(
      parseConfig({ sources: [hd('a', 'ws://127.0.0.1:2')] }).config.sources[0]!,
    );
    src('a').ctx.heard(); // the new connection's source
    expect(metrics('a')?.counters).toMatchObject({ frames: 2, orderUpdates: 1 });
    await engine.removeSource('b');
    expect(engine.sourceMetrics().map((m) => m.id)).toEqual(['a']);
    await engine.stop();
  });
});
