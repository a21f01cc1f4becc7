// Whose order a SatoriEx market event is: the user's when /me/orders listed it or the user channel
// named it; unknown ids wait for one refresh, strangers are dropped and not remembered.
import { describe, expect, it } from 'vitest';
import { SatoriexOwnership } from '../../src-main/engine/providers/satoriex-ownership.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function setUp(listing: string[] | 'fails', opts: { rest?: boolean; maxPending?: number } = {}) {
  const applied: string[] = [];
  const strangers: string[] = [];
  let refreshes = 0;
  const ownership: SatoriexOwnership = new SatoriexOwnership({
    minRefreshIntervalMs: 0,
    maxPending: opts.maxPending ?? 100,
    stranger: (id) => strangers.push(id),
    ...(opts.rest === false
      ? {}
      : {
          refresh: async () => {
            refreshes += 1;
            if (listing === 'fails') throw new Error('down');
            ownership.listed(listing);
          },
        }),
  });
  const offer = (id: string, what: string) => ownership.offer(id, () => applied.push(what));
  return { ownership, applied, strangers, offer, refreshes: () => refreshes };
}

describe('SatoriexOwnership', () => {
  it.each([
    // [name, listing, offers, applied, strangers]
    ['listed: applied in arrival order', ['a'], ['a:open', 'a:filled'], ['a:open', 'a:filled'], []],
    ['not listed: a stranger, dropped', [], ['x:open', 'x:filled'], [], ['x']],
    ['mixed', ['a'], ['x:open', 'a:open', 'x:filled'], ['a:open'], ['x']],
  ] as const)('%s', async (_n, listing, offers, applied, strangers) => {
    const t = setUp([...listing]);
    for (const o of offers) t.offer(o.split(':')[0] ?? '', o);
    await tick();
    expect(t.applied).toEqual(applied);
    expect(t.strangers).toEqual(strangers);
    expect(t.refreshes()).toBe(1); // one refresh for the whole burst
  });

  it('a claimed id (user channel) applies at once, and its waiting events first', async () => {
    const t = setUp([]);
    t.offer('a', 'a:open');
    t.ownership.claim('a');
    t.offer('a', 'a:filled');
    expect(t.applied).toEqual(['a:open', 'a:filled']);
    await tick();
    expect(t.strangers).toEqual([]);
  });

  it('without REST an unnamed id is a stranger at once', () => {
    const t = setUp([], { rest: false });
    t.offer('x', 'x:open');
    expect(t.applied).toEqual([]);
    expect(t.strangers).toEqual(['x']);
    expect(t.ownership.isMine('x')).toBe(false);
  });

  it('a failed refresh decides nothing: the ids wait for the next one', async () => {
    const t = setUp('fails');
    t.offer('a', 'a:open');
    await tick();
    expect(t.strangers).toEqual([]);
    expect(t.refreshes()).toBeGreaterThanOrEqual(1);
    t.ownership.dispose();
  });

  it('waiting ids are bounded: the oldest is dropped beyond maxPending', async () => {
    const t = setUp([], { maxPending: 2 });
    t.offer('x1', 'x1');
    t.offer('x2', 'x2');
    t.offer('x3', 'x3');
    expect(t.strangers).toEqual(['x1']);
    await tick();
    expect(t.strangers).toEqual(['x1', 'x2', 'x3']);
  });

  it('strangers are not remembered', async () => {
    const t = setUp([]);
    t.offer('x', 'x');
    await tick();
    expect(t.ownership.isMine('x')).toBe(false);
  });
});
