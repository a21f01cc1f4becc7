// Exactly-once alerting. The ledger remembers every order that has been announced (or silently
// recorded as already finished) in an append-only log that is on disk before the alert is shown:
// a crash after the write loses at most the banner, never causes a second one.
//
// Entries are claimed synchronously (so two messages in one tick cannot both win) and committed in
// groups: one append + fsync for every alert of a burst, not one per alert.
//
// The log does not grow forever: `compact` rewrites it (temp file, fsync, rename) into the entries
// still needed, which the engine decides (engine/retention.ts). Each entry's finish time, source and
// status are kept in memory so the rewrite needs no second read of the file.
import { STATUSES } from '../shared/statuses.js';
import type { Logger } from './log.js';
import type { PersistencePort } from './persistence.js';
import type { NormalizedStatus, ProviderKey } from './types.js';

export const LEDGER_FILE = 'alerts.ndjson';
/**
 * A rewrite pays for itself once it removes at least this many lines, or a quarter of what it
 * keeps (whichever is more): at 500 finishes a day the log is rewritten every few days, not hourly.
 */
export const COMPACT_MIN_WASTE = 1_000;

export interface LedgerEntry {
  provider: ProviderKey;
  orderId: string;
  source: string;
  status: NormalizedStatus;
  at: string;
  /** Recorded without an alert (first snapshot of an all-orders source). */
  silent?: boolean;
  /**
   * The live store let the order go after the retention (a second line for the same order): a
   * re-send is then ignored, while an order whose saved record was merely lost is shown again.
   */
  retired?: boolean;
}

/**
 * What the ledger remembers of an entry: enough to judge it and to write it again. One fixed shape
 * and no copy of the order id (the map key holds it): a year of a busy realm is ~180,000 of these,
 * and object literals built by spreading cost 250 bytes each where this costs about 100 (npm run
 * bench, figure 8).
 */
export class RememberedEntry {
  constructor(
    readonly provider: string,
    /** When the finish was recorded (ms); NaN when the line had no readable time. */
    readonly atMs: number,
    readonly source: string | undefined,
    readonly status: NormalizedStatus | undefined,
    readonly silent: boolean,
    /** Known from another witness (the saved order state) and not yet written to the log. */
    public unwritten: boolean,
    /** The store let it go after the retention (`LedgerEntry.retired`). */
    public retired: boolean,
  ) {}
}

export interface CompactResult {
  /** Entries written (or that would have been, when the rewrite was not worth it). */
  kept: number;
  /** Lines the rewrite removed: dropped entries, repeats and damaged lines. 0 when not rewritten. */
  removed: number;
  rewritten: boolean;
}

/** An order is the same order whichever config source watches it: key by provider and id. */
export function ledgerKey(provider: string, orderId: string): string {
  return `${provider}\u0000${orderId}`;
}

const KNOWN_STATUSES: ReadonlySet<string> = new Set(STATUSES);

export class AlertLedger {
  private readonly entries = new Map<string, RememberedEntry>();
  /** One string per source id, shared by every entry (a year of entries, one copy of each name). */
  private readonly names = new Map<string, string>();
  /** Non-empty lines in the file, including repeats and damaged ones: what a rewrite would shrink. */
  private fileLines = 0;
  private pending: LedgerEntry[] = [];
  private commitChain: Promise<void> = Promise.resolve();
  private scheduled: Promise<void> | undefined;

  constructor(
    private readonly port: PersistencePort,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Lines the log holds now (after load, appends and rewrites). */
  get lines(): number {
    return this.fileLines;
  }

  has(provider: string, orderId: string): boolean {
    return this.entries.has(ledgerKey(provider, orderId));
  }

  /** What the ledger knows of the order, if anything. */
  get(provider: string, orderId: string): Readonly<RememberedEntry> | undefined {
    return this.entries.get(ledgerKey(provider, orderId));
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
      this.fileLines += 1;
      try {
        const e = JSON.parse(line) as Partial<Record<keyof LedgerEntry, unknown>>;
        if (typeof e.provider !== 'string' || typeof e.orderId !== 'string')
          throw new Error('shape');
        this.add(e.provider, e.orderId, {
          atMs: typeof e.at === 'string' ? Date.parse(e.at) : Number.NaN,
          source: typeof e.source === 'string' ? e.source : undefined,
          status:
            typeof e.status === 'string' && KNOWN_STATUSES.has(e.status)
              ? (e.status as NormalizedStatus)
              : undefined,
          silent: e.silent === true,
          unwritten: false,
          retired: e.retired === true,
        });
      } catch {
        bad += 1;
      }
    }
    if (bad > 0) {
      problems.push(
        `alert ledger: ${bad} damaged line(s) skipped; ${this.entries.size} entries kept`,
      );
    }
    // A torn last line must not glue itself to the next entry.
    if (!text.endsWith('\n') && text.length > 0) await this.port.appendDurable(LEDGER_FILE, '\n');
    for (const p of problems) this.log.error(p);
    return problems;
  }

  /**
   * Know an order as finished from another witness (the saved order state, when the log was
   * damaged), in memory only: while that witness lasts, the log need not repeat it.
   */
  remember(entry: LedgerEntry): void {
    if (this.has(entry.provider, entry.orderId)) return;
    this.add(entry.provider, entry.orderId, { ...facts(entry), silent: true, unwritten: true });
  }

  /**
   * The store lets the order go after the retention: the log records that, written with the next
   * commit (and so the entry itself, if the saved state was its only witness), without an alert.
   */
  retire(entry: LedgerEntry): void {
    const known = this.entries.get(ledgerKey(entry.provider, entry.orderId));
    if (known?.retired) return;
    if (known) {
      known.unwritten = false;
      known.retired = true;
    } else {
      this.add(entry.provider, entry.orderId, { ...facts(entry), silent: true, retired: true });
    }
    this.pending.push({ ...entry, silent: true, retired: true });
  }

  /** Take the order's one alert. False if it was already taken, ever. */
  claim(entry: LedgerEntry): boolean {
    if (this.has(entry.provider, entry.orderId)) return false;
    this.add(entry.provider, entry.orderId, facts(entry));
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
          .then(() => {
            this.fileLines += batch.length;
          })
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

  /**
   * Forget the entries `needed` rejects and rewrite the log with the rest, when that removes enough
   * lines to be worth a rewrite (or always, with `force`). Runs between commits, never beside one:
   * every entry claimed before it is committed first, so nothing pending is lost or reordered, and
   * the rewrite goes to a temporary file that replaces the log only once it is on disk.
   */
  async compact(
    /** Judges one entry; `key` is its `ledgerKey`, passed so the judge need not build it. */
    needed: (entry: Readonly<RememberedEntry>, key: string) => boolean,
    options: { force?: boolean; minWaste?: number } = {},
  ): Promise<CompactResult> {
    await this.commit();
    const run = this.commitChain
      .catch(() => undefined)
      .then(async (): Promise<CompactResult> => {
        // Counted first without building anything: most runs end here (nothing worth a rewrite),
        // and a year of entries judged every hour must not churn memory (npm run bench, figure 8).
        let keeping = 0;
        for (const [key, e] of this.entries) if (needed(e, key)) keeping += 1;
        const removed = this.fileLines - keeping;
        const worth = Math.max(options.minWaste ?? COMPACT_MIN_WASTE, keeping / 4);
        if (!options.force && removed < worth) {
          return { kept: keeping, removed: 0, rewritten: false };
        }
        const keep: string[] = [];
        const drop: string[] = [];
        for (const [key, e] of this.entries) (needed(e, key) ? keep : drop).push(key);
        await this.port.rewriteLog(LEDGER_FILE, serialize(this.entries, keep));
        // Only once the new log is in place does memory forget: a failed rewrite keeps everything.
        // (Entries claimed while it ran were not judged and stay; their commit appends them.)
        for (const key of drop) this.entries.delete(key);
        for (const key of keep) {
          const e = this.entries.get(key);
          if (e) e.unwritten = false;
        }
        this.fileLines = keep.length;
        return { kept: keep.length, removed, rewritten: true };
      });
    // A failed rewrite is the caller's to report; later commits go on as before.
    this.commitChain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private add(provider: string, orderId: string, facts: Facts): void {
    const key = ledgerKey(provider, orderId);
    const known = this.entries.get(key);
    if (known) {
      // A repeated line: the first one stands, and a later `retired` line marks it.
      if (facts.retired) known.retired = true;
      return;
    }
    this.entries.set(
      key,
      new RememberedEntry(
        this.name(provider),
        facts.atMs,
        facts.source === undefined ? undefined : this.name(facts.source),
        facts.status,
        facts.silent,
        facts.unwritten,
        facts.retired,
      ),
    );
  }

  private name(text: string): string {
    const known = this.names.get(text);
    if (known !== undefined) return known;
    this.names.set(text, text);
    return text;
  }
}

type Facts = Pick<
  RememberedEntry,
  'atMs' | 'source' | 'status' | 'silent' | 'unwritten' | 'retired'
>;

function facts(entry: LedgerEntry): Facts {
  return {
    atMs: Date.parse(entry.at),
    source: entry.source,
    status: entry.status,
    silent: entry.silent === true,
    unwritten: false,
    retired: entry.retired === true,
  };
}

/** Each kept entry as one log line, in the field order `claim` writes. */
function* serialize(
  entries: ReadonlyMap<string, RememberedEntry>,
  keys: readonly string[],
): Generator<string> {
  for (const key of keys) {
    const e = entries.get(key);
    if (!e) continue;
    const line: Partial<LedgerEntry> = {
      provider: e.provider as ProviderKey,
      ...(e.source === undefined ? {} : { source: e.source }),
      orderId: key.slice(e.provider.length + 1),
      ...(e.status === undefined ? {} : { status: e.status }),
      ...(Number.isNaN(e.atMs) ? {} : { at: new Date(e.atMs).toISOString() }),
      ...(e.silent ? { silent: true } : {}),
      ...(e.retired ? { retired: true } : {}),
    };
    yield JSON.stringify(line) + '\n';
  }
}
