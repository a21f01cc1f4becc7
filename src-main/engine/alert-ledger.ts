// Exactly-once alerting. The ledger remembers every order that has been announced (or silently
// recorded as already finished) in an append-only log that is on disk before the alert is shown:
// a crash after the write loses at most the banner, never causes a second one.
//
// Entries are claimed synchronously (so two messages in one tick cannot both win) and committed in
// groups: one append + fsync for every alert of a burst, not one per alert.
import type { Logger } from './log.js';
import type { PersistencePort } from './persistence.js';
import type { NormalizedStatus, ProviderKey } from './types.js';

export const LEDGER_FILE = 'alerts.ndjson';

export interface LedgerEntry {
  provider: ProviderKey;
  orderId: string;
  source: string;
  status: NormalizedStatus;
  at: string;
  /** Recorded without an alert (first snapshot of an all-orders source). */
  silent?: boolean;
}

/** An order is the same order whichever config source watches it: key by provider and id. */
export function ledgerKey(provider: string, orderId: string): string {
  return `${provider}\u0000${orderId}`;
}

export class AlertLedger {
  private readonly keys = new Set<string>();
  private pending: LedgerEntry[] = [];
  private commitChain: Promise<void> = Promise.resolve();
  private scheduled: Promise<void> | undefined;

  constructor(
    private readonly port: PersistencePort,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.keys.size;
  }

  has(provider: string, orderId: string): boolean {
    return this.keys.has(ledgerKey(provider, orderId));
  }

  /**
   * Read the log. A torn last line (crash mid-write) or a damaged line is reported and skipped;
   * every readable entry is kept. Returns the problems found, for the user to see.
   */
  async load(): Promise<string[]> {
    const problems: string[] = [];
    let text: string | undefined;
    try {
      text = await this.port.read(LEDGER_FILE);
    } catch (err) {
      const aside = await this.port.setAside(LEDGER_FILE);
      problems.push(
        `alert ledger unreadable (${(err as Error).message}); moved to ${aside ?? '(could not move)'}`,
      );
      return problems;
    }
    if (text === undefined) return problems;
    let bad = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const e = JSON.parse(line) as Partial<LedgerEntry>;
        if (typeof e.provider !== 'string' || typeof e.orderId !== 'string')
          throw new Error('shape');
        this.keys.add(ledgerKey(e.provider, e.orderId));
      } catch {
        bad += 1;
      }
    }
    if (bad > 0) {
      problems.push(`alert ledger: ${bad} damaged line(s) skipped; ${this.keys.size} entries kept`);
    }
    // A torn last line must not glue itself to the next entry.
    if (!text.endsWith('\n') && text.length > 0) await this.port.appendDurable(LEDGER_FILE, '\n');
    for (const p of problems) this.log.error(p);
    return problems;
  }

  /** Mark an order as already known terminal from another record (e.g. the saved order state). */
  remember(provider: string, orderId: string): void {
    this.keys.add(ledgerKey(provider, orderId));
  }

  /** Take the order's one alert. False if it was already taken, ever. */
  claim(entry: LedgerEntry): boolean {
    const key = ledgerKey(entry.provider, entry.orderId);
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    this.pending.push(entry);
    return true;
  }

  /** Resolves once every entry claimed so far is durably on disk. */
  commit(): Promise<void> {
    if (!this.scheduled) {
      // Gather everything claimed in this turn of the event loop into one write.
      this.scheduled = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.scheduled = undefined;
        const batch = this.pending;
        this.pending = [];
        if (batch.length === 0) return this.commitChain;
        const text = batch.map((e) => JSON.stringify(e)).join('\n') + '\n';
        // One failed write must not poison every later commit, and what it carried is not lost:
        // the entries go back in front of the queue and ride along with the next commit.
        const write = this.commitChain
          .catch(() => undefined)
          .then(() => this.port.appendDurable(LEDGER_FILE, text))
          .catch((err: unknown) => {
            this.pending.unshift(...batch);
            throw err;
          });
        this.commitChain = write;
        return write;
      });
    }
    return this.scheduled;
  }
}
