// The alert ledger's durability: a failed append does not lose the entries it carried, and does
// not stop later commits from reaching the disk.
import { describe, expect, it } from 'vitest';
import { AlertLedger, LEDGER_FILE } from '../../src-main/engine/alert-ledger.js';
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
