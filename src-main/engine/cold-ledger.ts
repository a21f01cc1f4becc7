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

/**
 * Entries per chunk of storage (a power of two: an entry's chunk and place are a shift and a mask).
 * 8,192 entries are 240 KB, one block: above the allocator's threshold for mapping a block of its
 * own (128 KB in glibc), so a chunk let go is given back whole instead of leaving a hole.
 */
const CHUNK_BITS = 13;
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;
/** Bytes per entry: digest, time, provider, source, status, flags. */
const ENTRY_BYTES = DIGEST_WORDS * 4 + 8 + 2 + 2 + 1 + 1;

/**
 * One chunk of entries, field by field, in one block. Every chunk has the same size, so the tier
 * grows by adding one and shrinks by dropping the last: it never copies itself into a bigger block.
 * Growing one array per field by a quarter at a time freed a block of megabytes each time and left
 * the allocator fragmented: ~4 MB of a realm's year peak (npm run bench, figure 8).
 */
class Chunk {
  private readonly block = new ArrayBuffer(CHUNK * ENTRY_BYTES);
  // Widest fields first, so every view starts aligned to its element size.
  readonly digests = new Uint32Array(this.block, 0, CHUNK * DIGEST_WORDS);
  readonly at = new Float64Array(this.block, CHUNK * DIGEST_WORDS * 4, CHUNK);
  readonly providers = new Uint16Array(this.block, CHUNK * (DIGEST_WORDS * 4 + 8), CHUNK);
  readonly sources = new Uint16Array(this.block, CHUNK * (DIGEST_WORDS * 4 + 10), CHUNK);
  readonly statuses = new Uint8Array(this.block, CHUNK * (DIGEST_WORDS * 4 + 12), CHUNK);
  readonly flags = new Uint8Array(this.block, CHUNK * (DIGEST_WORDS * 4 + 13), CHUNK);
}

export class ColdLedger {
  private readonly chunks: Chunk[] = [];
  private readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();

  /** Entries held; the chunks have room for more (`reserve`). */
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
    const c = this.chunks[i >>> CHUNK_BITS];
    const o = i & IN_CHUNK;
    const status = c?.statuses[o] ?? NO_STATUS;
    const source = c?.sources[o] ?? NO_NAME;
    const flags = c?.flags[o] ?? 0;
    into.provider = this.names[c?.providers[o] ?? NO_NAME] ?? '';
    into.source = source === NO_NAME ? undefined : this.names[source];
    into.status = status === NO_STATUS ? undefined : STATUSES[status];
    into.atMs = c?.at[o] ?? Number.NaN;
    into.silent = (flags & SILENT) !== 0;
    into.retired = (flags & RETIRED) !== 0;
    return into;
  }

  /** The digest of the entry at `i`, as a copy. */
  digestAt(i: number): Uint32Array {
    const o = (i & IN_CHUNK) * DIGEST_WORDS;
    return (this.chunks[i >>> CHUNK_BITS]?.digests ?? new Uint32Array(DIGEST_WORDS)).slice(
      o,
      o + DIGEST_WORDS,
    );
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
   * sorted batch into the arrays, so a compaction that moves thousands costs one pass, not thousands.
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
        const c = this.chunks[k >>> CHUNK_BITS];
        if (!c) break;
        const o = k & IN_CHUNK;
        c.digests.set(row.digest, o * DIGEST_WORDS);
        c.at[o] = row.atMs;
        c.providers[o] = this.nameOf(row.provider);
        c.sources[o] = row.source === undefined ? NO_NAME : this.nameOf(row.source);
        c.statuses[o] =
          row.status === undefined ? NO_STATUS : (STATUS_INDEX.get(row.status) ?? NO_STATUS);
        c.flags[o] = (row.silent ? SILENT : 0) | (row.retired ? RETIRED : 0);
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
    // Chunks past the entries go, but one spare stays: a tier that shrinks and grows back across a
    // chunk boundary every day must not allocate and free a chunk every day.
    while (this.chunks.length > 1 && (this.chunks.length - 2) * CHUNK >= this.count) {
      this.chunks.pop();
    }
  }

  /** Room for `total` entries: chunks added at the end, the ones in use never moved. */
  private reserve(total: number): void {
    while (this.chunks.length * CHUNK < total) this.chunks.push(new Chunk());
  }

  private move(from: number, to: number): void {
    const a = this.chunks[from >>> CHUNK_BITS];
    const b = this.chunks[to >>> CHUNK_BITS];
    if (!a || !b) return;
    const f = from & IN_CHUNK;
    const t = to & IN_CHUNK;
    b.digests.set(a.digests.subarray(f * DIGEST_WORDS, (f + 1) * DIGEST_WORDS), t * DIGEST_WORDS);
    b.at[t] = a.at[f] ?? Number.NaN;
    b.providers[t] = a.providers[f] ?? NO_NAME;
    b.sources[t] = a.sources[f] ?? NO_NAME;
    b.statuses[t] = a.statuses[f] ?? NO_STATUS;
    b.flags[t] = a.flags[f] ?? 0;
  }

  private compareAt(i: number, digest: Uint32Array): number {
    const c = this.chunks[i >>> CHUNK_BITS];
    if (!c) return 1;
    return -compareDigests(digest, 0, c.digests, (i & IN_CHUNK) * DIGEST_WORDS);
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
