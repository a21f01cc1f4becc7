// The alert ledger's two tiers: which entries move to the compact tier, that they still answer
// (no second alert), age out with the horizon, come back in full when pinned, survive a rewrite
// (copied from the old log) and a restart (read from the log).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AlertLedger,
  LEDGER_FILE,
  ledgerKey,
  type LedgerEntry,
  type RememberedEntry,
} from '../../src-main/engine/alert-ledger.js';
import { silentLogger } from '../../src-main/engine/log.js';
import {
  FilePersistence,
  MemoryPersistence,
  type PersistencePort,
} from '../../src-main/engine/persistence.js';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const HORIZON = 365 * DAY;
const finished = (orderId: string, day: number, over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  provider: 'orangepill',
  source: 'op',
  orderId,
  status: 'completed',
  at: new Date(T0 + day * DAY).toISOString(),
  ...over,
});
/** The engine's judge, without store or watch lists: the horizon alone (plus the pinned keys). */
const byHorizon =
  (nowDay: number, pinned: ReadonlySet<string> = new Set()) =>
  (e: Readonly<RememberedEntry>, key: string | undefined) =>
    (key !== undefined && pinned.has(key)) ||
    Number.isNaN(e.atMs) ||
    T0 + nowDay * DAY - e.atMs < HORIZON;
const lines = (text: string | undefined) => (text ?? '').split('\n').filter(Boolean);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('which entries move to the compact tier', () => {
  it.each<{ name: string; setup: (l: AlertLedger) => void; pinned?: boolean; cold: boolean }>([
    {
      name: 'retired, on disk, nobody holds it',
      setup: (l) => (l.claim(finished('A', 0)), l.retire(finished('A', 0))),
      cold: true,
    },
    {
      name: 'retired without a claim line (its retire line carries it)',
      setup: (l) => l.retire(finished('A', 0)),
      cold: true,
    },
    { name: 'not retired', setup: (l) => l.claim(finished('A', 0)), cold: false },
    {
      name: 'retired but pinned (in the store or watched)',
      setup: (l) => (l.claim(finished('A', 0)), l.retire(finished('A', 0))),
      pinned: true,
      cold: false,
    },
    {
      name: 'known only from the saved state (not on disk)',
      setup: (l) => l.remember(finished('A', 0)),
      cold: false,
    },
    {
      name: 'no readable time (nothing can age it)',
      setup: (l) => (l.claim(finished('A', 0, { at: 'soon' })), l.retire(finished('A', 0))),
      cold: false,
    },
  ])('$name: compact $cold', async ({ setup, pinned, cold }) => {
    const disk = new MemoryPersistence();
    const ledger = new AlertLedger(disk, silentLogger());
    setup(ledger);
    await ledger.commit();
    const pins = new Set(pinned ? [ledgerKey('orangepill', 'A')] : []);
    await ledger.compact(byHorizon(1, pins), { pinned: [pins] });
    expect(ledger.compactSize).toBe(cold ? 1 : 0);
    expect(ledger.size).toBe(1);
    // Either way, the order's one alert stays taken.
    expect(ledger.has('orangepill', 'A')).toBe(true);
    expect(ledger.claim(finished('A', 2))).toBe(false);
  });

  it('an entry whose retire line is still waiting to be written stays in full', async () => {
    let appending: () => void = () => undefined;
    class HookedDisk extends MemoryPersistence {
      override async appendDurable(name: string, text: string): Promise<void> {
        appending();
        return super.appendDurable(name, text);
      }
    }
    const disk = new HookedDisk();
    const ledger = new AlertLedger(disk, silentLogger());
    ledger.claim(finished('A', 0));
    // Retired while the compaction's own commit is being written: its line waits for the next one.
    appending = () => {
      appending = () => undefined;
      ledger.retire(finished('A', 0));
    };
    await ledger.compact(byHorizon(1), { pinned: [] });
    expect(ledger.get('orangepill', 'A')?.retired).toBe(true);
    expect(ledger.compactSize).toBe(0);
    await ledger.compact(byHorizon(1), { pinned: [] });
    expect(ledger.compactSize).toBe(1);
    expect(lines(disk.docs.get(LEDGER_FILE))).toHaveLength(2);
  });
});

describe('a compact entry answers like a full one', () => {
  it('has, get, claim, retire and remember', async () => {
    const disk = new MemoryPersistence();
    const ledger = new AlertLedger(disk, silentLogger());
    ledger.claim(finished('A', 3, { silent: true, status: 'canceled' }));
    ledger.retire(finished('A', 3));
    await ledger.commit();
    const before = ledger.get('orangepill', 'A');
    await ledger.compact(byHorizon(4), { pinned: [] });
    expect(ledger.compactSize).toBe(1);
    expect(ledger.get('orangepill', 'A')).toEqual(before);
    expect(ledger.get('orangepill', 'A')).toMatchObject({
      provider: 'orangepill',
      source: 'op',
      status: 'canceled',
      atMs: T0 + 3 * DAY,
      silent: true,
      retired: true,
      unwritten: false,
    });
    expect(ledger.get('orangepill', 'B')).toBeUndefined();
    expect(ledger.get('houdini', 'A')).toBeUndefined();
    expect(ledger.claim(finished('A', 5))).toBe(false);
    ledger.retire(finished('A', 5));
    ledger.remember(finished('A', 5));
    await ledger.commit();
    // Nothing new written: it was retired and known already.
    expect(lines(disk.docs.get(LEDGER_FILE))).toHaveLength(2);
    expect(ledger.size).toBe(1);
  });

  it('comes back in full once pinned, with its order id', async () => {
    const disk = new MemoryPersistence();
    const ledger = new AlertLedger(disk, silentLogger());
    ledger.claim(finished('A', 0));
    ledger.retire(finished('A', 0));
    await ledger.commit();
    await ledger.compact(byHorizon(1), { pinned: [] });
    expect(ledger.compactSize).toBe(1);
    // Another source shows the order again: the store holds it, so it is pinned. Past the horizon
    // it is still kept, and a rewrite writes it from memory.
    const pins = new Set([ledgerKey('orangepill', 'A')]);
    const result = await ledger.compact(byHorizon(400, pins), { pinned: [new Set(), pins] });
    expect(ledger.compactSize).toBe(0);
    expect(ledger.get('orangepill', 'A')).toMatchObject({ retired: true, source: 'op' });
    await ledger.compact(byHorizon(400, pins), { pinned: [pins], force: true });
    expect(result.kept).toBe(1);
    expect(disk.docs.get(LEDGER_FILE)).toBe(
      '{"provider":"orangepill","source":"op","orderId":"A","status":"completed","at":"2026-03-01T00:00:00.000Z","retired":true}\n',
    );
  });
});

describe('compact entries through rewrites and restarts', () => {
  const ports: [string, () => PersistencePort][] = [
    ['memory', () => new MemoryPersistence()],
    [
      'real files',
      () => {
        const dir = mkdtempSync(join(tmpdir(), 'orderbell-tiers-'));
        dirs.push(dir);
        return new FilePersistence(dir);
      },
    ],
  ];

  it.each(ports)(
    '%s: aged out past the horizon, copied (one folded line each) otherwise',
    async (_, makePort) => {
      const disk = makePort();
      const ledger = new AlertLedger(disk, silentLogger());
      // 0 and 10 will be past a year at day 380; 100 and 200 not; OPEN is not retired.
      for (const [id, day] of [
        ['D0', 0],
        ['D10', 10],
        ['D100', 100],
        ['D200', 200],
      ] as const) {
        ledger.claim(finished(id, day, day === 100 ? { silent: true } : {}));
        ledger.retire(finished(id, day + 30));
      }
      ledger.claim(finished('OPEN', 300));
      await ledger.commit();
      expect(ledger.lines).toBe(9);
      await ledger.compact(byHorizon(360), { pinned: [] });
      expect(ledger.compactSize).toBe(4);
      const result = await ledger.compact(byHorizon(380), { pinned: [], force: true });
      expect(result).toEqual({ kept: 3, removed: 6, rewritten: true });
      expect(ledger.size).toBe(3);
      expect(ledger.lines).toBe(3);
      expect(ledger.has('orangepill', 'D0')).toBe(false);
      expect(ledger.has('orangepill', 'D10')).toBe(false);
      // Appends after the rewrite go to the new log.
      ledger.claim(finished('NEW', 380));
      await ledger.commit();
      const text =
        disk instanceof MemoryPersistence
          ? disk.docs.get(LEDGER_FILE)
          : await disk.read(LEDGER_FILE);
      expect(lines(text).sort()).toEqual(
        [
          '{"provider":"orangepill","source":"op","orderId":"D100","status":"completed","at":"2026-06-09T00:00:00.000Z","silent":true,"retired":true}',
          '{"provider":"orangepill","source":"op","orderId":"D200","status":"completed","at":"2026-09-17T00:00:00.000Z","retired":true}',
          '{"provider":"orangepill","source":"op","orderId":"OPEN","status":"completed","at":"2026-12-26T00:00:00.000Z"}',
          '{"provider":"orangepill","source":"op","orderId":"NEW","status":"completed","at":"2027-03-16T00:00:00.000Z"}',
        ].sort(),
      );

      // A restart reads them back; the first compaction moves them to the compact tier again.
      await disk.close();
      const again = new AlertLedger(disk, silentLogger());
      expect(await again.load()).toEqual([]);
      expect(again.size).toBe(4);
      await again.compact(byHorizon(381), { pinned: [] });
      expect(again.compactSize).toBe(2);
      for (const id of ['D100', 'D200', 'OPEN', 'NEW']) {
        expect(again.claim(finished(id, 381))).toBe(false);
      }
      expect(again.get('orangepill', 'D100')).toMatchObject({ silent: true, retired: true });
      expect(again.claim(finished('D0', 381))).toBe(true);
    },
  );

  it('a compact entry missing from the log: the rewrite fails and nothing is forgotten', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderbell-tiers-'));
    dirs.push(dir);
    const disk = new FilePersistence(dir);
    const ledger = new AlertLedger(disk, silentLogger());
    ledger.claim(finished('A', 0));
    ledger.retire(finished('A', 0));
    ledger.claim(finished('B', 0));
    ledger.retire(finished('B', 0));
    await ledger.commit();
    await ledger.compact(byHorizon(1), { pinned: [] });
    expect(ledger.compactSize).toBe(2);
    // Something outside the ledger loses B's lines.
    await disk.close();
    const kept = lines(readFileSync(join(dir, LEDGER_FILE), 'utf8')).filter(
      (l) => !l.includes('"B"'),
    );
    writeFileSync(join(dir, LEDGER_FILE), kept.join('\n') + '\n');
    await expect(ledger.compact(byHorizon(1), { pinned: [], force: true })).rejects.toThrow(
      /missing from the log/,
    );
    expect(lines(readFileSync(join(dir, LEDGER_FILE), 'utf8'))).toEqual(kept);
    expect(ledger.compactSize).toBe(2);
    expect(ledger.claim(finished('B', 1))).toBe(false);
  });
});
