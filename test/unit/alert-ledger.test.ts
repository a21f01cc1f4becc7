// The alert ledger's durability: a failed append does not lose the entries it carried, and does
// not stop later commits from reaching the disk.
import { describe, expect, it } from 'vitest';
import { AlertLedger, LEDGER_FILE, ledgerKey } from '../../src-main/engine/alert-ledger.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { MemoryPersistence } from '../../src-main/engine/persistence.js';

class FlakyDisk extends MemoryPersistence {
  failures = 0;
  override async appendDurable(name: string, text: string): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('ENOSPC: no space left on device');
    }
    return super.appendDurable(name, text);
  }
}

const entry = (orderId: string) =>
  ({ provider: 'houdini', orderId, source: 'hd', status: 'completed', at: 't' }) as const;

function ids(disk: MemoryPersistence): string[] {
  return (disk.docs.get(LEDGER_FILE) ?? '')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { orderId: string }).orderId);
}

describe('AlertLedger commits', () => {
  it('a failed write keeps its entries for the next commit, in order', async () => {
    const disk = new FlakyDisk();
    const ledger = new AlertLedger(disk, silentLogger());
    disk.failures = 1;
    expect(ledger.claim(entry('A'))).toBe(true);
    await expect(ledger.commit()).rejects.toThrow(/ENOSPC/);
    expect(ids(disk)).toEqual([]);
    expect(ledger.claim(entry('B'))).toBe(true);
    await ledger.commit();
    expect(ids(disk)).toEqual(['A', 'B']);
    // Still one alert per order: the failed write did not release the claim.
    expect(ledger.claim(entry('A'))).toBe(false);
  });

  it('after repeated failures, the first commit that succeeds writes everything once', async () => {
    const disk = new FlakyDisk();
    const ledger = new AlertLedger(disk, silentLogger());
    disk.failures = 3;
    for (const id of ['A', 'B', 'C']) {
      ledger.claim(entry(id));
      await expect(ledger.commit()).rejects.toThrow();
    }
    ledger.claim(entry('D'));
    await ledger.commit();
    expect(ids(disk)).toEqual(['A', 'B', 'C', 'D']);
  });
});

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const at = (day: number) => new Date(T0 + day * DAY).toISOString();
const finished = (orderId: string, day: number) =>
  ({ provider: 'houdini', orderId, source: 'hd', status: 'completed', at: at(day) }) as const;

describe('AlertLedger compaction', () => {
  it.each([
    { name: 'nothing old: no rewrite', keepAll: true, force: false, rewritten: false, left: 4 },
    {
      name: 'too little to gain: no rewrite',
      keepAll: false,
      force: false,
      rewritten: false,
      left: 4,
    },
    { name: 'forced: old entries go', keepAll: false, force: true, rewritten: true, left: 2 },
  ])('$name', async ({ keepAll, force, rewritten, left }) => {
    const disk = new MemoryPersistence();
    const ledger = new AlertLedger(disk, silentLogger());
    for (const [id, day] of [
      ['A', 0],
      ['B', 1],
      ['C', 10],
      ['D', 11],
    ] as const) {
      ledger.claim(finished(id, day));
    }
    await ledger.commit();
    const result = await ledger.compact((e) => keepAll || e.atMs >= T0 + 5 * DAY, { force });
    expect(result.rewritten).toBe(rewritten);
    expect(ledger.size).toBe(left);
    expect(ids(disk)).toHaveLength(left);
    expect(ledger.lines).toBe(left);
  });

  it('rewrites once enough lines would go (repeats and damaged lines count), keeping every field', async () => {
    const disk = new MemoryPersistence();
    const lines = [
      JSON.stringify({ ...finished('KEEP', 9), silent: true }),
      JSON.stringify(finished('KEEP', 9)), // a repeat
      'garbage',
      ...Array.from({ length: 6 }, (_, i) => JSON.stringify(finished(`OLD${i}`, 0))),
    ];
    disk.docs.set(LEDGER_FILE, lines.join('\n') + '\n');
    const ledger = new AlertLedger(disk, silentLogger());
    await ledger.load();
    expect(ledger.lines).toBe(9);
    const result = await ledger.compact((_, key) => key === ledgerKey('houdini', 'KEEP'), {
      minWaste: 8,
    });
    expect(result).toEqual({ kept: 1, removed: 8, rewritten: true });
    expect(disk.docs.get(LEDGER_FILE)).toBe(
      '{"provider":"houdini","source":"hd","orderId":"KEEP","status":"completed","at":"2026-03-10T00:00:00.000Z","silent":true}\n',
    );
    expect(ledger.has('houdini', 'OLD0')).toBe(false);
    expect(ledger.claim(finished('KEEP', 20))).toBe(false);
  });

  it('a failed rewrite keeps the old log and every entry in memory', async () => {
    class BrokenRewrite extends MemoryPersistence {
      override async rewriteLog(): Promise<void> {
        throw new Error('EIO');
      }
    }
    const disk = new BrokenRewrite();
    const ledger = new AlertLedger(disk, silentLogger());
    ledger.claim(finished('A', 0));
    ledger.claim(finished('B', 0));
    await ledger.commit();
    await expect(ledger.compact(() => false, { force: true })).rejects.toThrow('EIO');
    expect(ids(disk)).toEqual(['A', 'B']);
    expect(ledger.has('houdini', 'A')).toBe(true);
    // and later commits still work
    ledger.claim(finished('C', 0));
    await ledger.commit();
    expect(ids(disk)).toEqual(['A', 'B', 'C']);
  });

  it('an entry claimed while the rewrite runs is neither lost nor judged', async () => {
    let rewriting: () => void = () => undefined;
    class SlowRewrite extends MemoryPersistence {
      override async rewriteLog(name: string, parts: Iterable<string>): Promise<void> {
        rewriting();
        await new Promise((r) => setTimeout(r, 20));
        return super.rewriteLog(name, parts);
      }
    }
    const disk = new SlowRewrite();
    const ledger = new AlertLedger(disk, silentLogger());
    ledger.claim(finished('OLD', 0));
    await ledger.commit();
    let committed: Promise<void> | undefined;
    rewriting = () => {
      expect(ledger.claim(finished('NEW', 30))).toBe(true);
      committed = ledger.commit();
    };
    await ledger.compact(() => false, { force: true });
    await committed;
    expect(ids(disk)).toEqual(['NEW']);
    expect(ledger.has('houdini', 'NEW')).toBe(true);
    expect(ledger.has('houdini', 'OLD')).toBe(false);
  });

  it('remember is memory only; retire writes the entry (silently, marked retired) once', async () => {
    const disk = new MemoryPersistence();
    const ledger = new AlertLedger(disk, silentLogger());
    ledger.remember(finished('R', 0));
    ledger.claim(finished('C', 0));
    await ledger.commit();
    expect(ids(disk)).toEqual(['C']);
    expect(ledger.claim(finished('R', 1))).toBe(false);
    ledger.retire(finished('R', 0));
    ledger.retire(finished('R', 0));
    ledger.retire(finished('S', 0));
    ledger.retire(finished('C', 0));
    await ledger.commit();
    expect(ids(disk)).toEqual(['C', 'R', 'S', 'C']);
    expect(['R', 'S', 'C'].map((id) => ledger.get('houdini', id)?.retired)).toEqual([
      true,
      true,
      true,
    ]);
    // A new run reads the mark from the later line; a rewrite folds it into one line.
    const again = new AlertLedger(disk, silentLogger());
    await again.load();
    expect(again.get('houdini', 'C')).toMatchObject({ retired: true, source: 'hd' });
    await again.compact(() => true, { force: true });
    expect(disk.docs.get(LEDGER_FILE)?.split('\n').filter(Boolean)).toHaveLength(3);
    expect(disk.docs.get(LEDGER_FILE)).toMatch(/"orderId":"C"[^\n]*"retired":true/);
  });
});

describe('AlertLedger compaction on real files', () => {
  it('swaps the file atomically; appends after it land in the new file; a stale temp is harmless', async () => {
    const { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } =
      await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { FilePersistence } = await import('../../src-main/engine/persistence.js');
    const dir = mkdtempSync(join(tmpdir(), 'orderbell-ledger-'));
    try {
      // A crash mid-compaction before the rename leaves only a temp file beside the old log.
      writeFileSync(join(dir, `${LEDGER_FILE}.99999.tmp`), '{"provider":"houdini","orderI');
      const disk = new FilePersistence(dir);
      const ledger = new AlertLedger(disk, silentLogger());
      await ledger.load();
      for (const id of ['A', 'B', 'C']) ledger.claim(finished(id, 0));
      await ledger.commit();
      await ledger.compact((_, key) => key !== ledgerKey('houdini', 'B'), { force: true });
      ledger.claim(finished('D', 1));
      await ledger.commit();
      const onDisk = readFileSync(join(dir, LEDGER_FILE), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { orderId: string }).orderId);
      expect(onDisk).toEqual(['A', 'C', 'D']);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') && !f.includes('99999'))).toEqual(
        [],
      );
      await disk.close();
      // A new run reads the compacted log.
      const again = new AlertLedger(new FilePersistence(dir), silentLogger());
      expect(await again.load()).toEqual([]);
      expect(['A', 'B', 'C', 'D'].map((id) => again.has('houdini', id))).toEqual([
        true,
        false,
        true,
        true,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
