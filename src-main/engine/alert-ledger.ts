// Exactly-once alerting. The ledger remembers every order that has been announced (or silently
// recorded as already finished) in an append-only log that is on disk before the alert is shown:
// a crash after the write loses at most the banner, never causes a second one.
//
// Entries are claimed synchronously (so two messages in one tick cannot both win) and committed in
// groups: one append + fsync for every alert of a burst, not one per alert.
//
// The log does not grow forever: `compact` rewrites it (temp file, fsync, rename) into the entries
// still needed, which the engine decides (engine/retention.ts). Each entry's finish time, source and
// status are kept in memory.
//
// Two tiers in memory: entries the engine still holds (in the store, watched, or not yet retired)
// are objects in a Map, and retired ones nobody holds move to a compact tier (engine/cold-ledger.ts,
// ~30 bytes each instead of ~200) that keeps no order id. A rewrite therefore streams the old log
// and copies the compact entries from their lines; memory never holds the log's text.
import { STATUSES } from '../shared/statuses.js';
import { ColdLedger, keyDigest, type ColdRow } from './cold-ledger.js';
import type { Logger } from './log.js';
import type { PersistencePort } from './persistence.js';
import type { NormalizedStatus, ProviderKey } from './types.js';

export const LEDGER_FILE = 'alerts.ndjson';
/**
 * A rewrite pays for itself once it removes at least this many lines, or a quarter of what it
 * keeps (whichever is more): at 500 finishes a day the log is rewritten every few days, not hourly.
 */
export const COMPACT_MIN_WASTE = 1_000;
/** Lines read between moves of retired entries to the compact tier while the log loads. */
const LOAD_BATCH = 10_000;

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
 * and no copy of the order id (the map key holds it): the entries the engine still holds are kept
 * as these, and object literals built by spreading cost 250 bytes each where this costs about 100
 * (npm run bench, figure 8). Retired ones move to the compact tier and are rebuilt on demand.
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

export interface CompactOptions {
  force?: boolean;
  minWaste?: number;
  /**
   * The keys the engine still holds (its store and its watched orders). Given, the compaction also
   * moves retired entries outside them to the compact tier, and brings a compact entry back in full
   * once one of them names it. The judge then sees compact entries with `key` undefined: they are
   * none of these keys, so only the entry's own facts (provider, time) may decide.
   */
  pinned?: readonly ReadonlySet<string>[];
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
  /** Retired entries nobody holds, without their order ids (`CompactOptions.pinned`). */
  private readonly cold = new ColdLedger();
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
    return this.entries.size + this.cold.size;
  }

  /** Entries in the compact tier (part of `size`). */
  get compactSize(): number {
    return this.cold.size;
  }

  /** Lines the log holds now (after load, appends and rewrites). */
  get lines(): number {
    return this.fileLines;
  }

  has(provider: string, orderId: string): boolean {
    const key = ledgerKey(provider, orderId);
    return this.entries.has(key) || this.coldIndex(key) >= 0;
  }

  /** What the ledger knows of the order, if anything. */
  get(provider: string, orderId: string): Readonly<RememberedEntry> | undefined {
    const key = ledgerKey(provider, orderId);
    const hot = this.entries.get(key);
    if (hot) return hot;
    const i = this.coldIndex(key);
    return i < 0 ? undefined : this.fromCold(i);
  }

  /**
   * Read the log. A torn last line (crash mid-write) or a damaged line is reported and skipped;
   * every readable entry is kept. Returns the problems found, for the user to see.
   */
  async load(): Promise<string[]> {
    const problems: string[] = [];
    let bad = 0;
    let last: string | undefined;
    // Streamed, and retired entries go to the compact tier as the log is read: a year of a realm
    // never exists in memory as text or as a year of objects (the housekeeping at start brings back
    // the few the store or a watch list still holds).
    let sinceMove = 0;
    try {
      for await (const line of readLines(this.port, LEDGER_FILE)) {
        last = line;
        if (!line.trim()) continue;
        this.fileLines += 1;
        if (!this.addLine(line)) bad += 1;
        if (++sinceMove >= LOAD_BATCH) {
          sinceMove = 0;
          this.moveRetired([]);
        }
      }
    } catch (err) {
      const aside = await this.port.setAside(LEDGER_FILE);
      problems.push(
        `alert ledger unreadable (${(err as Error).message}); moved to ${aside ?? '(could not move)'}`,
      );
      return problems;
    }
    this.moveRetired([]);
    if (bad > 0) {
      problems.push(`alert ledger: ${bad} damaged line(s) skipped; ${this.size} entries kept`);
    }
    // A torn last line must not glue itself to the next entry.
    if (last !== undefined && last !== '') await this.port.appendDurable(LEDGER_FILE, '\n');
    for (const p of problems) this.log.error(p);
    return problems;
  }

  /** One line of the log into memory; false when it is damaged. */
  private addLine(line: string): boolean {
    try {
      const e = JSON.parse(line) as Partial<Record<keyof LedgerEntry, unknown>>;
      if (typeof e.provider !== 'string' || typeof e.orderId !== 'string') return false;
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
      return true;
    } catch {
      return false;
    }
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
    const key = ledgerKey(entry.provider, entry.orderId);
    const known = this.entries.get(key);
    if (known?.retired) return;
    // Every compact entry is retired already.
    if (!known && this.coldIndex(key) >= 0) return;
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
    /**
     * Judges one entry; `key` is its `ledgerKey`, passed so the judge need not build it (undefined
     * for a compact entry: see `CompactOptions.pinned`).
     */
    needed: (entry: Readonly<RememberedEntry>, key: string | undefined) => boolean,
    options: CompactOptions = {},
  ): Promise<CompactResult> {
    await this.commit();
    const run = this.commitChain
      .catch(() => undefined)
      .then(async (): Promise<CompactResult> => {
        if (options.pinned) this.retier(options.pinned);
        // Counted first without building anything: most runs end here (nothing worth a rewrite),
        // and a year of entries judged every hour must not churn memory (npm run bench, figure 8).
        let keeping = 0;
        for (const [key, e] of this.entries) if (needed(e, key)) keeping += 1;
        const coldKeep = new Uint8Array(this.cold.size);
        const view = new ColdView();
        for (let i = 0; i < coldKeep.length; i += 1) {
          if (needed(view.of(this.cold, i), undefined)) {
            coldKeep[i] = 1;
            keeping += 1;
          }
        }
        const removed = this.fileLines - keeping;
        const worth = Math.max(options.minWaste ?? COMPACT_MIN_WASTE, keeping / 4);
        if (!options.force && removed < worth) {
          return { kept: keeping, removed: 0, rewritten: false };
        }
        const keep: string[] = [];
        const drop: string[] = [];
        for (const [key, e] of this.entries) (needed(e, key) ? keep : drop).push(key);
        await this.port.rewriteLog(
          LEDGER_FILE,
          concat(this.copyCold(coldKeep), serialize(this.entries, keep)),
        );
        // Only once the new log is in place does memory forget: a failed rewrite keeps everything.
        // (Entries claimed while it ran were not judged and stay; their commit appends them.)
        for (const key of drop) this.entries.delete(key);
        for (const key of keep) {
          const e = this.entries.get(key);
          if (e) e.unwritten = false;
        }
        this.cold.retain(coldKeep);
        this.fileLines = keeping;
        return { kept: keeping, removed, rewritten: true };
      });
    // A failed rewrite is the caller's to report; later commits go on as before.
    this.commitChain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * Move entries between the tiers: a compact entry that a pinned key names comes back in full (the
   * key gives its order id back), and a retired entry nobody pins moves to the compact tier, once
   * its lines are on disk (a rewrite copies it from there) and its time is readable (the judge must
   * be able to age it).
   */
  private retier(pinned: readonly ReadonlySet<string>[]): void {
    if (this.cold.size > 0) {
      const keep = new Uint8Array(this.cold.size).fill(1);
      let back = 0;
      for (const set of pinned) {
        for (const key of set) {
          if (this.entries.has(key)) continue;
          const i = this.cold.find(keyDigest(key));
          if (i < 0 || !keep[i]) continue;
          keep[i] = 0;
          back += 1;
          const e = this.fromCold(i);
          this.entries.set(key, e);
        }
      }
      if (back > 0) this.cold.retain(keep);
    }
    this.moveRetired(pinned);
  }

  /** Retired entries on disk, with a readable time and outside `pinned`, to the compact tier. */
  private moveRetired(pinned: readonly ReadonlySet<string>[]): void {
    const waiting = new Set(this.pending.map((e) => ledgerKey(e.provider, e.orderId)));
    const moving: ColdRow[] = [];
    const moved: string[] = [];
    for (const [key, e] of this.entries) {
      if (!e.retired || e.unwritten || Number.isNaN(e.atMs) || waiting.has(key)) continue;
      if (pinned.some((set) => set.has(key)) || !this.cold.fits(e)) continue;
      moving.push({ digest: keyDigest(key), ...e });
      moved.push(key);
    }
    this.cold.insert(moving);
    for (const key of moved) this.entries.delete(key);
  }

  /**
   * The kept compact entries, one line each, found in the old log (their first line there, written
   * from what memory holds, so a later `retired` line is folded in). A kept entry the log does not
   * have cannot be written without its order id: the rewrite then fails and nothing is lost.
   */
  private async *copyCold(keep: Uint8Array): AsyncGenerator<string> {
    if (this.cold.size === 0) return;
    const written = new Uint8Array(keep.length);
    let left = 0;
    for (const k of keep) left += k;
    if (left === 0) return;
    for await (const line of readLines(this.port, LEDGER_FILE)) {
      const id = ledgerLineId(line);
      if (!id) continue;
      const key = ledgerKey(id.provider, id.orderId);
      if (this.entries.has(key)) continue;
      const i = this.cold.find(keyDigest(key));
      if (i < 0 || !keep[i] || written[i]) continue;
      written[i] = 1;
      left -= 1;
      yield lineOf(this.fromCold(i), id.orderId);
      if (left === 0) return;
    }
    throw new Error(`alert ledger: ${left} remembered entries missing from the log; not rewritten`);
  }

  private coldIndex(key: string): number {
    return this.cold.size === 0 ? -1 : this.cold.find(keyDigest(key));
  }

  private fromCold(i: number): RememberedEntry {
    const f = this.cold.facts(i);
    return new RememberedEntry(
      this.name(f.provider),
      f.atMs,
      f.source === undefined ? undefined : this.name(f.source),
      f.status,
      f.silent,
      false,
      f.retired,
    );
  }

  private add(provider: string, orderId: string, facts: Facts): void {
    const key = ledgerKey(provider, orderId);
    const known = this.entries.get(key);
    if (known) {
      // A repeated line: the first one stands, and a later `retired` line marks it.
      if (facts.retired) known.retired = true;
      return;
    }
    // A compact entry is retired already, and the first line stands.
    if (this.coldIndex(key) >= 0) return;
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

/** Each kept entry as one log line. */
function* serialize(
  entries: ReadonlyMap<string, RememberedEntry>,
  keys: readonly string[],
): Generator<string> {
  for (const key of keys) {
    const e = entries.get(key);
    if (e) yield lineOf(e, key.slice(e.provider.length + 1));
  }
}

/** One entry as a log line, in the field order `claim` writes. */
function lineOf(e: Readonly<RememberedEntry>, orderId: string): string {
  const line: Partial<LedgerEntry> = {
    provider: e.provider as ProviderKey,
    ...(e.source === undefined ? {} : { source: e.source }),
    orderId,
    ...(e.status === undefined ? {} : { status: e.status }),
    ...(Number.isNaN(e.atMs) ? {} : { at: new Date(e.atMs).toISOString() }),
    ...(e.silent ? { silent: true } : {}),
    ...(e.retired ? { retired: true } : {}),
  };
  return JSON.stringify(line) + '\n';
}

/**
 * The provider and order id of a log line, or undefined for a damaged one. A rewrite reads every
 * line of a year's log for these two fields alone, so they are cut out of the text when they are
 * plain strings (no escapes) in a line shaped like an object, and the line is parsed only
 * otherwise: a parse per line made a year of throwaway objects per rewrite (npm run bench, figure
 * 8). In JSON a bare `"orderId":"` can only be a key, never inside a string (a quote there is
 * escaped). The id only names which compact entry to write: the line written comes from memory.
 */
export function ledgerLineId(line: string): { provider: string; orderId: string } | undefined {
  if (line.startsWith('{') && line.endsWith('}')) {
    const provider = plainString(line, '"provider":"');
    const orderId = plainString(line, '"orderId":"');
    if (provider !== undefined && orderId !== undefined) return { provider, orderId };
  }
  if (!line.trim()) return undefined;
  try {
    const e = JSON.parse(line) as Partial<Record<keyof LedgerEntry, unknown>>;
    return typeof e.provider === 'string' && typeof e.orderId === 'string'
      ? { provider: e.provider, orderId: e.orderId }
      : undefined;
  } catch {
    return undefined;
  }
}

/** The string after `marker` up to the next quote, if it has no escapes (else undefined). */
function plainString(line: string, marker: string): string | undefined {
  const at = line.indexOf(marker);
  if (at < 0) return undefined;
  const from = at + marker.length;
  const end = line.indexOf('"', from);
  if (end < 0) return undefined;
  const value = line.slice(from, end);
  return value.includes('\\') ? undefined : value;
}

/** The log's lines, streamed when the port can (a year of a realm is tens of MB of text). */
async function* readLines(port: PersistencePort, name: string): AsyncGenerator<string> {
  if (port.readLines) {
    yield* port.readLines(name);
    return;
  }
  const text = await port.read(name);
  if (text !== undefined) yield* text.split('\n');
}

async function* concat(
  ...parts: (Iterable<string> | AsyncIterable<string>)[]
): AsyncGenerator<string> {
  for (const p of parts) yield* p;
}

/**
 * One reusable stand-in for a compact entry while the judge runs: a year of them judged every hour
 * must not allocate a year of objects every hour.
 */
class ColdView {
  provider = '';
  atMs = Number.NaN;
  source: string | undefined;
  status: NormalizedStatus | undefined;
  silent = false;
  unwritten = false;
  retired = true;

  of(cold: ColdLedger, i: number): this {
    cold.factsInto(i, this);
    return this;
  }
}
