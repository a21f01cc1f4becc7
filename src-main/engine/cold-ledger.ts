// The alert ledger's compact tier. A busy realm finishes ~180,000 orders a year and the ledger must
// remember each for the provider's resend horizon (a year when the page promises nothing), yet
// almost all of them are retired: the store let them go, no source watches them, and all the
// ledger still has to answer is "was this one announced, and by which source?". Kept as objects in
// a Map they cost ~200 bytes each (npm run bench, figure 8); here they cost 30, in typed arrays
// sorted by a digest of the ledger key and found by binary search.
//
// The digest is the first 128 bits of SHA-256 of the ledger key. Two different orders sharing one
// would make the later one look already announced (its alert suppressed), so it is long enough for
// that never to happen in practice: with n = 10^6 remembered keys, a new key falsely matches with
// probability n / 2^128 ≈ 3×10^-33, and any two of them collide with probability
// n² / 2^129 ≈ 1.5×10^-27; far below the odds of the disk or memory silently flipping a bit. (64
// bits would give ~5×10^-14 and ~3×10^-8; the 8 extra bytes per entry are cheap insurance.)
//
// The tier holds no order id, so it cannot write its entries itself: a log rewrite copies them from
// the old log, where every one of them has a line (see alert-ledger.ts `compact`).
import { createHash, hash } from 'node:crypto';
import { STATUSES } from '../shared/statuses.js';
import type { NormalizedStatus } from './types.js';

/** 32-bit words per digest (128 bits). */
export const DIGEST_WORDS = 4;
/** Names (providers, source ids) the tier can index; an entry whose name does not fit stays hot. */
const MAX_NAMES = 0xffff;
const NO_NAME = 0xffff;
const NO_STATUS = 0xff;
const SILENT = 1;
const RETIRED = 2;

/**
 * SHA-256 as hex. The one-shot `crypto.hash` (Node ≥ 20.12) makes no Hash object and no Buffer: a
 * rewrite digests every line of the log, and a native allocation per line fragmented the process's
 * memory (npm run bench, figure 8). `createHash` where it is missing.
 */
const sha256Hex: (text: string) => string =
  typeof hash === 'function'
    ? (text) => hash('sha256', text, 'hex')
    : (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The digest of a ledger key: four big-endian words of its SHA-256, most significant first. */
export function keyDigest(key: string): Uint32Array {
  const hex = sha256Hex(key);
  const words = new Uint32Array(DIGEST_WORDS);
  for (let w = 0; w < DIGEST_WORDS; w += 1) words[w] = parseInt(hex.slice(w * 8, w * 8 + 8), 16);
  return words;
}

/** What the tier keeps of one entry (the ledger's `RememberedEntry` less its order id). */
export interface ColdFacts {
  provider: string;
  source: string | undefined;
  status: NormalizedStatus | undefined;
  /** When the finish was recorded (ms). */
  atMs: number;
  silent: boolean;
  retired: boolean;
}

export interface ColdRow extends ColdFacts {
  digest: Uint32Array;
}

const STATUS_INDEX: ReadonlyMap<string, number> = new Map(STATUSES.map((s, i) => [s, i]));

export class ColdLedger {
  private digests: Uint32Array = new Uint32Array(0);
  private at: Float64Array = new Float64Array(0);
  private providers: Uint16Array = new Uint16Array(0);
  private sources: Uint16Array = new Uint16Array(0);
  private statuses: Uint8Array = new Uint8Array(0);
  private flags: Uint8Array = new Uint8Array(0);
  private readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();

  /** Entries held; the arrays have room for more (`reserve`). */
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The entry's position, or -1. */
  find(digest: Uint32Array): number {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compareAt(mid, digest);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The facts of the entry at `i` (0 ≤ i < size). */
  facts(i: number): ColdFacts {
    return this.factsInto(i, {
      provider: '',
      source: undefined,
      status: undefined,
      atMs: Number.NaN,
      silent: false,
      retired: false,
    });
  }

  /** The same, written into `into` (no allocation: a judge walks every entry every hour). */
  factsInto<T extends ColdFacts>(i: number, into: T): T {
    const status = this.statuses[i] ?? NO_STATUS;
    const source = this.sources[i] ?? NO_NAME;
    const flags = this.flags[i] ?? 0;
    into.provider = this.names[this.providers[i] ?? NO_NAME] ?? '';
    into.source = source === NO_NAME ? undefined : this.names[source];
    into.status = status === NO_STATUS ? undefined : STATUSES[status];
    into.atMs = this.at[i] ?? Number.NaN;
    into.silent = (flags & SILENT) !== 0;
    into.retired = (flags & RETIRED) !== 0;
    return into;
  }

  /** The digest of the entry at `i`, as a copy. */
  digestAt(i: number): Uint32Array {
    return this.digests.slice(i * DIGEST_WORDS, (i + 1) * DIGEST_WORDS);
  }

  /** Whether the tier can index the entry's names (it can, unless 65,535 names are taken). */
  fits(facts: Pick<ColdFacts, 'provider' | 'source'>): boolean {
    const fresh = [facts.provider, facts.source].filter(
      (n) => n !== undefined && !this.nameIndex.has(n),
    );
    return this.names.length + fresh.length <= MAX_NAMES - 1;
  }

  /**
   * Add entries (their digests must be new to the tier, and `fits` true for each): one merge of the
   * sorted batch into the arrays, so a compaction that moves thousands costs one copy, not thousands.
   */
  insert(rows: readonly ColdRow[]): void {
    if (rows.length === 0) return;
    const batch = [...rows].sort((a, b) => compareDigests(a.digest, 0, b.digest));
    const n = this.count;
    const total = n + batch.length;
    this.reserve(total);
    // Merged in place from the back (an entry only ever moves up): no second copy of the tier.
    let i = n - 1;
    let j = batch.length - 1;
    for (let k = total - 1; j >= 0; k -= 1) {
      const row = batch[j];
      if (!row) break;
      if (i >= 0 && this.compareAt(i, row.digest) > 0) {
        this.move(i, k);
        i -= 1;
      } else {
        this.digests.set(row.digest, k * DIGEST_WORDS);
        this.at[k] = row.atMs;
        this.providers[k] = this.nameOf(row.provider);
        this.sources[k] = row.source === undefined ? NO_NAME : this.nameOf(row.source);
        this.statuses[k] =
          row.status === undefined ? NO_STATUS : (STATUS_INDEX.get(row.status) ?? NO_STATUS);
        this.flags[k] = (row.silent ? SILENT : 0) | (row.retired ? RETIRED : 0);
        j -= 1;
      }
    }
    this.count = total;
  }

  /** Keep only the entries whose flag in `keep` is set (one pass in place, order preserved). */
  retain(keep: Uint8Array): void {
    let k = 0;
    for (let i = 0; i < this.count; i += 1) {
      if (!keep[i]) continue;
      if (k !== i) this.move(i, k);
      k += 1;
    }
    this.count = k;
  }

  /**
   * Room for `total` entries. Grown by a quarter at a time, not per insert: a daily merge that
   * reallocated megabytes every time left the allocator fragmented (npm run bench, figure 8).
   */
  private reserve(total: number): void {
    if (total <= this.at.length) return;
    const capacity = Math.max(total, Math.ceil(this.at.length * 1.25), 1024);
    const grow = <T extends Uint32Array | Float64Array | Uint16Array | Uint8Array>(
      old: T,
      make: (n: number) => T,
      width = 1,
    ): T => {
      const next = make(capacity * width);
      next.set(old.subarray(0, this.count * width));
      return next;
    };
    this.digests = grow(this.digests, (n) => new Uint32Array(n), DIGEST_WORDS);
    this.at = grow(this.at, (n) => new Float64Array(n));
    this.providers = grow(this.providers, (n) => new Uint16Array(n));
    this.sources = grow(this.sources, (n) => new Uint16Array(n));
    this.statuses = grow(this.statuses, (n) => new Uint8Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
  }

  private move(from: number, to: number): void {
    this.digests.copyWithin(to * DIGEST_WORDS, from * DIGEST_WORDS, (from + 1) * DIGEST_WORDS);
    this.at[to] = this.at[from] ?? Number.NaN;
    this.providers[to] = this.providers[from] ?? NO_NAME;
    this.sources[to] = this.sources[from] ?? NO_NAME;
    this.statuses[to] = this.statuses[from] ?? NO_STATUS;
    this.flags[to] = this.flags[from] ?? 0;
  }

  private compareAt(i: number, digest: Uint32Array): number {
    return -compareDigests(digest, 0, this.digests, i * DIGEST_WORDS);
  }

  private nameOf(name: string): number {
    const known = this.nameIndex.get(name);
    if (known !== undefined) return known;
    this.names.push(name);
    this.nameIndex.set(name, this.names.length - 1);
    return this.names.length - 1;
  }
}

/** Compare `a` with the digest stored at word `bAt` of `b` (or `b` itself, at 0). */
function compareDigests(a: Uint32Array, aAt: number, b: Uint32Array, bAt = 0): number {
  for (let w = 0; w < DIGEST_WORDS; w += 1) {
    const x = a[aAt + w] ?? 0;
    const y = b[bAt + w] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
