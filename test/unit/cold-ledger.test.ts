// The alert ledger's compact tier on its own: digests, sorted insertion, lookups, removal, and the
// facts it gives back.
import { describe, expect, it } from 'vitest';
import { ledgerKey } from '../../src-main/engine/alert-ledger.js';
import {
  ColdLedger,
  DIGEST_WORDS,
  keyDigest,
  type ColdFacts,
  type ColdRow,
} from '../../src-main/engine/cold-ledger.js';

const facts = (over: Partial<ColdFacts> = {}): ColdFacts => ({
  provider: 'orangepill',
  source: 'op',
  status: 'completed',
  atMs: Date.parse('2026-01-01T00:00:00.000Z'),
  silent: false,
  retired: true,
  ...over,
});
const row = (orderId: string, over: Partial<ColdFacts> = {}): ColdRow => {
  const f = facts(over);
  return { digest: keyDigest(ledgerKey(f.provider, orderId)), ...f };
};
const find = (cold: ColdLedger, provider: string, orderId: string) =>
  cold.find(keyDigest(ledgerKey(provider, orderId)));

describe('keyDigest', () => {
  it.each([
    { a: ledgerKey('orangepill', 'A'), b: ledgerKey('orangepill', 'A'), same: true },
    { a: ledgerKey('orangepill', 'A'), b: ledgerKey('orangepill', 'B'), same: false },
    { a: ledgerKey('orangepill', 'A'), b: ledgerKey('houdini', 'A'), same: false },
    // The key separates provider and id: ('a', 'bc') is not ('ab', 'c').
    { a: ledgerKey('a', 'bc'), b: ledgerKey('ab', 'c'), same: false },
    { a: ledgerKey('orangepill', 'ö-💥'), b: ledgerKey('orangepill', 'o-💥'), same: false },
  ])('$a vs $b: same digest $same', ({ a, b, same }) => {
    const da = keyDigest(a);
    expect(da).toHaveLength(DIGEST_WORDS);
    expect([...da].join() === [...keyDigest(b)].join()).toBe(same);
  });

  it('is the first 128 bits of SHA-256, big-endian words', () => {
    // sha256("") = e3b0c442 98fc1c14 9afbf4c8 996fb924 …
    expect([...keyDigest('')].map((w) => w.toString(16))).toEqual([
      'e3b0c442',
      '98fc1c14',
      '9afbf4c8',
      '996fb924',
    ]);
  });
});

describe('ColdLedger insert and find', () => {
  it.each([
    { name: 'one batch', batches: [['A', 'B', 'C']] },
    { name: 'several batches merged', batches: [['A', 'C'], ['B'], ['E', 'D']] },
    {
      // Past the first reservation (1,024), so the arrays grow while entries are merged in.
      name: 'three thousand, in batches of 100 and one of 1,000',
      batches: [
        ...Array.from({ length: 20 }, (_, b) =>
          Array.from({ length: 100 }, (_, i) => `g-${b}-${i}`),
        ),
        Array.from({ length: 1_000 }, (_, i) => `big-${i}`),
      ],
    },
    {
      name: 'a thousand, in ten batches',
      batches: Array.from({ length: 10 }, (_, b) =>
        Array.from({ length: 100 }, (_, i) => `o-${b}-${i}`),
      ),
    },
  ])('$name: every entry found, nothing else', ({ batches }) => {
    const cold = new ColdLedger();
    for (const batch of batches) cold.insert(batch.map((id) => row(id)));
    const all = batches.flat();
    expect(cold.size).toBe(all.length);
    for (const id of all) expect(find(cold, 'orangepill', id)).toBeGreaterThanOrEqual(0);
    for (const id of ['Z', 'o-99-0', 'A ']) expect(find(cold, 'orangepill', id)).toBe(-1);
    expect(find(cold, 'houdini', all[0] ?? '')).toBe(-1);
    // Sorted: positions follow digest order, so binary search is sound.
    const digests = Array.from({ length: cold.size }, (_, i) => [...cold.digestAt(i)]);
    const sorted = [...digests].sort((x, y) => {
      for (let w = 0; w < DIGEST_WORDS; w += 1)
        if ((x[w] ?? 0) !== (y[w] ?? 0)) return (x[w] ?? 0) - (y[w] ?? 0);
      return 0;
    });
    expect(digests).toEqual(sorted);
  });

  it('an empty tier finds nothing and an empty batch changes nothing', () => {
    const cold = new ColdLedger();
    cold.insert([]);
    expect(cold.size).toBe(0);
    expect(find(cold, 'orangepill', 'A')).toBe(-1);
  });
});

describe('ColdLedger facts', () => {
  it.each<{ name: string; over: Partial<ColdFacts> }>([
    { name: 'an alerted finish', over: {} },
    { name: 'a silent one', over: { silent: true, status: 'canceled' } },
    { name: 'no source, no status', over: { source: undefined, status: undefined } },
    { name: 'another provider', over: { provider: 'houdini', source: 'hd', status: 'deleted' } },
    { name: 'millisecond time', over: { atMs: Date.parse('2026-07-04T12:34:56.789Z') } },
  ])('$name: given back as inserted', ({ over }) => {
    const cold = new ColdLedger();
    cold.insert([row('X'), row('A', over), row('Z')]);
    const i = find(cold, over.provider ?? 'orangepill', 'A');
    expect(cold.facts(i)).toEqual(facts(over));
    const into = cold.factsInto(i, facts({ provider: 'x', silent: !over.silent }));
    expect(into).toEqual(facts(over));
  });
});

describe('ColdLedger retain', () => {
  it.each([
    { name: 'keep all', keep: [1, 1, 1, 1] },
    { name: 'drop some', keep: [1, 0, 1, 0] },
    { name: 'drop all', keep: [0, 0, 0, 0] },
  ])('$name', ({ keep }) => {
    const cold = new ColdLedger();
    cold.insert(['A', 'B', 'C', 'D'].map((id, n) => row(id, { atMs: n })));
    // Positions are by digest: name what each position holds before dropping.
    const byPos = Array.from({ length: cold.size }, (_, i) => cold.facts(i).atMs);
    cold.retain(Uint8Array.from(keep));
    const expected = byPos.filter((_, i) => keep[i] === 1);
    expect(Array.from({ length: cold.size }, (_, i) => cold.facts(i).atMs)).toEqual(expected);
    for (const [n, id] of ['A', 'B', 'C', 'D'].entries()) {
      expect(find(cold, 'orangepill', id) >= 0).toBe(expected.includes(n));
    }
  });
});

describe('ColdLedger across storage chunks (8,192 entries each)', () => {
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  it.each([
    { name: 'one batch filling two chunks and part of a third', batches: [ids('a', 20_000)] },
    {
      name: 'daily batches of 500 past two chunk boundaries',
      batches: Array.from({ length: 40 }, (_, b) => ids(`d${b}`, 500)),
    },
    { name: 'exactly one chunk, then one more entry', batches: [ids('x', 8_192), ['y']] },
  ])('$name: every entry found with its own facts, in digest order', ({ batches }) => {
    const cold = new ColdLedger();
    for (const batch of batches) {
      cold.insert(batch.map((id) => row(id, { atMs: Number(id.split('-')[1] ?? 0) })));
    }
    const all = batches.flat();
    expect(cold.size).toBe(all.length);
    for (const id of all) {
      const i = find(cold, 'orangepill', id);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(cold.facts(i).atMs).toBe(Number(id.split('-')[1] ?? 0));
    }
    const digests = Array.from({ length: cold.size }, (_, i) => cold.digestAt(i));
    for (let i = 1; i < digests.length; i += 1) {
      const [a, b] = [digests[i - 1], digests[i]].map((d) =>
        [...(d ?? [])].map((w) => w.toString(16).padStart(8, '0')).join(''),
      );
      expect((a ?? '') < (b ?? '')).toBe(true);
    }
  });

  it('shrinks below a chunk boundary and grows back past it, losing nothing', () => {
    const cold = new ColdLedger();
    cold.insert(ids('a', 20_000).map((id) => row(id)));
    const keep = new Uint8Array(cold.size);
    for (let i = 0; i < keep.length; i += 1) keep[i] = i % 10 === 0 ? 1 : 0;
    const kept = ids('a', 20_000).filter((id) => keep[find(cold, 'orangepill', id)] === 1);
    cold.retain(keep);
    expect(cold.size).toBe(2_000);
    cold.insert(ids('b', 18_000).map((id) => row(id, { source: 'op-2' })));
    expect(cold.size).toBe(20_000);
    for (const id of kept) expect(cold.facts(find(cold, 'orangepill', id)).source).toBe('op');
    for (const id of ids('b', 18_000)) {
      expect(cold.facts(find(cold, 'orangepill', id)).source).toBe('op-2');
    }
    for (const id of ids('a', 20_000)
      .filter((id) => !kept.includes(id))
      .slice(0, 100)) {
      expect(find(cold, 'orangepill', id)).toBe(-1);
    }
  });
});

describe('ColdLedger names', () => {
  it('fits while names are free, and reuses known ones', () => {
    const cold = new ColdLedger();
    expect(cold.fits({ provider: 'orangepill', source: 'op' })).toBe(true);
    cold.insert(Array.from({ length: 300 }, (_, i) => row(`o${i}`, { source: `src-${i % 3}` })));
    expect(cold.fits({ provider: 'orangepill', source: 'src-1' })).toBe(true);
    expect(cold.facts(find(cold, 'orangepill', 'o4')).source).toBe('src-1');
  });
});
