// Issue 10 item 6: an orders.json that parses with wrong types must not crash start-up or be taken
// at its word. Against real files in a temp folder: start succeeds, every good record is kept, one
// `problem` line names the damage, the original is kept aside byte for byte, the kept state is
// written back (the next start is clean), and a finished order that was kept never alerts again.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEDGER_FILE } from '../../src-main/engine/alert-ledger.js';
import { parseConfig } from '../../src-main/engine/config.js';
import {
  Engine,
  LEDGER_DAMAGED_CODE,
  STATE_DAMAGED_CODE,
  STATE_FILE,
} from '../../src-main/engine/engine.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { FilePersistence } from '../../src-main/engine/persistence.js';
import type { EngineEvent, ProblemLine } from '../../src-main/engine/types.js';
import { ScriptedSource } from '../support/scripted-source.js';

const config = parseConfig({
  sources: [
    { id: 'hd', provider: 'houdini', url: 'ws://127.0.0.1:1', partnerId: 'p', secret: 's' },
    { id: '__proto__', provider: 'houdini', url: 'ws://127.0.0.1:1', partnerId: 'p', secret: 's' },
  ],
}).config;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function startEngine(dir: string) {
  const sources = new Map<string, ScriptedSource>();
  const events: EngineEvent[] = [];
  const engine = new Engine({
    config,
    persistence: new FilePersistence(dir),
    log: silentLogger(),
    saveIntervalMs: 10,
    createSource: (cfg, ctx) => {
      const s = new ScriptedSource(cfg.id, 'houdini', ctx);
      sources.set(cfg.id, s);
      return s;
    },
  });
  engine.on((e) => events.push(e));
  await engine.start();
  const problems = () => events.filter((e): e is ProblemLine => e.kind === 'problem');
  return { engine, events, problems, hd: sources.get('hd')! };
}

const settle = () => new Promise((r) => setTimeout(r, 30));
/** An alert waits for the ledger's fsync: on a loaded machine that can take a while. */
async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const alerts = (events: EngineEvent[]) =>
  events.flatMap((e) => (e.kind === 'alert' ? [e.orderId] : []));

const record = (orderId: unknown, extra: Record<string, unknown> = {}) => ({
  source: 'hd',
  provider: 'houdini',
  orderId,
  status: 'completed',
  providerStatus: '4',
  terminal: true,
  firstSeenAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:01:00.000Z',
  history: [{ status: 'completed', providerStatus: '4', at: '2030-01-01T00:01:00.000Z' }],
  ...extra,
});

const state = (top: Record<string, unknown>) =>
  JSON.stringify({ version: 1, orders: [record('KEPT')], ...top });

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ob-state-damage-'));
  dirs.push(dir);
  return dir;
}

const asides = (dir: string) =>
  readdirSync(dir).filter((f) => f.startsWith(`${STATE_FILE}.corrupt-`));

describe('a damaged orders.json (real files)', () => {
  // Each row: the file, the field the problem line must name. Every file holds the finished order
  // KEPT, which must survive, and must not alert again although the ledger is gone.
  const rows: [string, string, string][] = [
    ['"baselined":5', state({ baselined: 5 }), 'baselined: a number, not a list'],
    ['"hidden":{}', state({ hidden: {} }), 'hidden: an object, not a list'],
    ['"watched":{"hd":"ab"}', state({ watched: { hd: 'ab' } }), 'watched["hd"]: a string'],
    ['"watched" a list', state({ watched: ['hd'] }), 'watched: a list, not an object'],
    [
      'a record with a numeric id',
      state({ orders: [record('KEPT'), record(5)] }),
      'orders[].orderId:',
    ],
    [
      'a record with a 1 MB id',
      state({ orders: [record('x'.repeat(1_000_000)), record('KEPT')] }),
      'orders[].orderId: longer than 128 characters',
    ],
    ['a record that is a list', state({ orders: [[], record('KEPT'), null] }), 'orders[]: '],
    [
      'terminal as a string',
      state({ orders: [record('KEPT'), record('T', { terminal: 'true' })] }),
      'orders[].terminal:',
    ],
    [
      'an unknown status',
      state({ orders: [record('KEPT'), record('S', { status: 'won' })] }),
      'orders[].status:',
    ],
    [
      'history an object',
      state({ orders: [record('KEPT'), record('H', { history: { 0: 1 } })] }),
      'orders[].history:',
    ],
  ];

  it.each(rows)(
    '%s: start succeeds, good records kept, one problem line, original kept aside',
    async (_name, text, named) => {
      const dir = tempDir();
      writeFileSync(join(dir, STATE_FILE), text);
      const first = await startEngine(dir);

      expect(first.engine.store.get('hd', 'KEPT')?.status).toBe('completed');
      const lines = first.problems();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ kind: 'problem', code: STATE_DAMAGED_CODE });
      expect(lines[0]?.detail).toContain('orders.json is partly damaged');
      expect(lines[0]?.detail).toContain(named);
      expect(lines[0]?.detail.length).toBeLessThan(400);
      expect(first.engine.problems).toEqual([lines[0]?.detail]);
      // Nothing stored is lost: the original, byte for byte, beside the state.
      const aside = asides(dir);
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(text);
      expect(lines[0]?.detail).toContain(aside[0]);
      // What was kept is on disk already, before anything changes.
      const written = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as {
        orders: { orderId: string }[];
      };
      expect(written.orders.map((o) => o.orderId)).toEqual(['KEPT']);

      // The saved state is the only witness left of KEPT's finish.
      first.hd.say('NEW', 'completed', '4');
      await until(() => alerts(first.events).length > 0, 'the alert');
      await settle();
      expect(alerts(first.events)).toEqual(['NEW']);
      await first.engine.stop();
      rmSync(join(dir, LEDGER_FILE));

      const second = await startEngine(dir);
      expect(second.problems()).toEqual([]);
      expect(asides(dir)).toHaveLength(1);
      second.hd.say('KEPT', 'completed', '4');
      second.hd.say('NEW', 'completed', '4');
      await settle();
      expect(alerts(second.events)).toEqual([]);
      await second.engine.stop();
    },
  );

  it.each([
    ['not JSON', '{"version":1,"orders":[{"sourc'],
    ['a list', '[{"orderId":"KEPT"}]'],
    ['orders an object', '{"version":1,"orders":{"KEPT":{}}}'],
    ['a future version', '{"version":2,"orders":[]}'],
  ])('unreadable (%s): set aside whole, reported, start succeeds', async (_name, text) => {
    const dir = tempDir();
    writeFileSync(join(dir, STATE_FILE), text);
    const { engine, problems, hd, events } = await startEngine(dir);
    expect(problems()).toHaveLength(1);
    expect(problems()[0]).toMatchObject({ code: STATE_DAMAGED_CODE });
    expect(problems()[0]?.detail).toMatch(/orders\.json is damaged \(.+\); kept aside as /);
    expect(readFileSync(join(dir, asides(dir)[0]!), 'utf8')).toBe(text);
    expect(existsSync(join(dir, STATE_FILE))).toBe(false);
    hd.say('NEW', 'completed', '4');
    await until(() => alerts(events).length > 0, 'the alert');
    await settle();
    expect(alerts(events)).toEqual(['NEW']);
    await engine.stop();
  });

  it('"__proto__" as a source id round-trips through the state and pollutes nothing', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, STATE_FILE),
      '{"version":1,"orders":[],"baselined":["__proto__"],"watched":{"__proto__":["P1"]},"hidden":[]}',
    );
    const { engine, problems } = await startEngine(dir);
    expect(problems()).toEqual([]);
    expect(engine.sourceStatus('__proto__')?.watched).toEqual(['P1']);
    expect(({} as Record<string, unknown>)['0']).toBeUndefined();
    engine.watch('hd', 'W1'); // forces a save
    await engine.stop();
    const saved = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as {
      watched: Record<string, string[]>;
    };
    expect(Object.getOwnPropertyDescriptor(saved.watched, '__proto__')?.value).toEqual(['P1']);
    expect(saved.watched.hd).toEqual(['W1']);
  });

  it('damaged ledger lines: one alert_ledger_damaged problem line, the good entries still hold', async () => {
    const dir = tempDir();
    const first = await startEngine(dir);
    first.hd.say('L1', 'completed', '4');
    await until(() => alerts(first.events).length > 0, 'the alert');
    await first.engine.stop();
    rmSync(join(dir, STATE_FILE));
    writeFileSync(
      join(dir, LEDGER_FILE),
      `${readFileSync(join(dir, LEDGER_FILE), 'utf8')}{"provi\n[]\n`,
    );
    const second = await startEngine(dir);
    expect(second.problems()).toEqual([
      expect.objectContaining({
        kind: 'problem',
        code: LEDGER_DAMAGED_CODE,
        detail: 'alert ledger: 2 damaged line(s) skipped; 1 entries kept',
      }),
    ]);
    second.hd.say('L1', 'completed', '4');
    await settle();
    expect(alerts(second.events)).toEqual([]);
    await second.engine.stop();
  });
});
