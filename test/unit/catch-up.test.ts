// The catch-up runner (engine/catch-up.ts) with a scripted port and fake timers: one pass per ready
// attempt, a bounded hydration gate, no older REST answer over a newer push, one deadline, retries
// that honour Retry-After, and "unverified" reports for what could not be seen.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CatchUp,
  type CatchUpPort,
  type LookupResult,
  type UnverifiedOrder,
} from '../../src-main/engine/catch-up.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { RestError } from '../../src-main/engine/rest.js';
import type { OrderReportOptions, SourceContext } from '../../src-main/engine/source.js';
import type { NormalizedStatus, OrderUpdate } from '../../src-main/engine/types.js';
import { UndoList } from '../../src-main/engine/undo-list.js';

const upd = (
  orderId: string,
  status: NormalizedStatus,
  providerStatus: string = status,
): OrderUpdate => ({
  orderId,
  status,
  providerStatus,
});

interface Fake {
  ctx: SourceContext;
  applied: Array<[string, string, 'stream' | 'rest', boolean]>;
  reports: Array<{ since: string; orders: readonly UnverifiedOrder[] }>;
  verified: string[];
  open: Set<string>;
}

function fakeContext(open: string[] = []): Fake {
  const f: Fake = {
    applied: [],
    reports: [],
    verified: [],
    open: new Set(open),
    ctx: undefined as unknown as SourceContext,
  };
  let baselined = false;
  f.ctx = {
    sourceId: 's',
    provider: 'houdini',
    log: silentLogger(),
    connection: () => {},
    order: (u: OrderUpdate, o?: OrderReportOptions) => {
      f.applied.push([u.orderId, u.providerStatus, o?.origin ?? 'stream', o?.silent ?? false]);
      if (['completed', 'failed', 'canceled', 'expired', 'refunded', 'deleted'].includes(u.status))
        f.open.delete(u.orderId);
    },
    activity: () => {},
    heard: () => {},
    rtt: () => {},
    protocolError: () => {},
    watched: () => [],
    baselined: () => baselined,
    markBaselined: () => (baselined = true),
    openOrders: () => [...f.open],
    unverified: (since, orders) => f.reports.push({ since, orders }),
    verified: (id) => f.verified.push(id),
  };
  return f;
}

/** A promise settled from the test, and the signal its request got. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const SETTINGS = {
  holdMs: 3_000,
  passDeadlineMs: 20_000,
  concurrency: 4,
  retryBaseMs: 1_000,
  retryCapMs: 8_000,
  retries: 3,
  random: () => 1,
  now: () => Date.parse('2026-01-01T00:00:00.000Z'),
};

function setUp(port: CatchUpPort | undefined, open: string[] = [], available = true) {
  const fake = fakeContext(open);
  const catchUp = new CatchUp(fake.ctx, { available, settings: SETTINGS });
  if (port) catchUp.use(port);
  const undo = new UndoList();
  catchUp.ready(undo);
  return { fake, catchUp, undo, stream: catchUp.context };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('hydration gate of one attempt', () => {
  it('a push heard while the list is loading lands after the snapshot, in arrival order', async () => {
    const page = deferred<OrderUpdate[]>();
    const port: CatchUpPort = {
      async *list() {
        yield await page.promise;
      },
    };
    const { fake, stream } = setUp(port);
    stream.order(upd('X', 'completed', 'filled'));
    stream.order(upd('Y', 'processing', 'open'));
    expect(fake.applied).toEqual([]);
    page.resolve([upd('X', 'processing', 'open')]);
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.applied).toEqual([
      ['X', 'open', 'rest', true],
      ['X', 'filled', 'stream', false],
      ['Y', 'open', 'stream', false],
    ]);
  });

  it('REST that never answers holds the stream at most holdMs, and drops nothing', async () => {
    const port: CatchUpPort = { lookup: () => new Promise<LookupResult>(() => {}) };
    const open = Array.from({ length: 16 }, (_, i) => `W${i}`);
    const { fake, stream } = setUp(port, open);
    const pushed = 150_001; // more than the old gate's cap of 100,000
    for (let i = 0; i < pushed; i += 1) stream.order(upd(`P${i}`, 'processing'));
    await vi.advanceTimersByTimeAsync(SETTINGS.holdMs - 1);
    expect(fake.applied).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.applied).toHaveLength(pushed);
    stream.order(upd('late', 'completed'));
    expect(fake.applied.at(-1)?.[0]).toBe('late');
  });
});

describe('no older REST answer over a newer push (1 → 2 → 1)', () => {
  it.each([
    // [REST answer, pushed after the request left, expected applied in order]
    ['older non-terminal skipped', 'processing', 'on_hold', [['A', 'on_hold', 'stream']]],
    [
      'terminal REST still applied',
      'completed',
      'processing',
      [
        ['A', 'completed', 'rest'],
        ['A', 'processing', 'stream'],
      ],
    ],
  ] as const)('%s', async (_name, restStatus, pushedStatus, expected) => {
    const answer = deferred<LookupResult>();
    const { fake, stream } = setUp({ lookup: () => answer.promise }, ['A']);
    await vi.advanceTimersByTimeAsync(0); // the request has left
    stream.order(upd('A', pushedStatus));
    answer.resolve(upd('A', restStatus));
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.applied.map(([id, s, o]) => [id, s, o])).toEqual(expected);
  });

  it('after the gate opened, a late REST answer does not overwrite a newer push', async () => {
    const answer = deferred<LookupResult>();
    const { fake, stream } = setUp({ lookup: () => answer.promise }, ['A']);
    await vi.advanceTimersByTimeAsync(SETTINGS.holdMs);
    stream.order(upd('A', 'processing', '2'));
    answer.resolve(upd('A', 'pending', '1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.applied.map(([, s]) => s)).toEqual(['2']);
  });

  it('a new attempt never sees an old attempt’s answer: teardown aborts and discards', async () => {
    const answer = deferred<LookupResult>();
    let signal: AbortSignal | undefined;
    const { fake, undo } = setUp(
      {
        lookup: (_id, s) => {
          signal = s;
          return answer.promise;
        },
      },
      ['A'],
    );
    await vi.advanceTimersByTimeAsync(0);
    undo.run();
    expect(signal?.aborted).toBe(true);
    answer.resolve(upd('A', 'pending', '1'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.applied).toEqual([]);
    expect(fake.reports).toEqual([]);
  });
});

describe('what cannot be verified is said so', () => {
  const since = '2026-01-01T00:00:00.000Z';
  it.each([
    ['no catch-up for this source', undefined, false, 'no_catch_up'],
    [
      'provider does not know it',
      { lookup: (): Promise<LookupResult> => Promise.resolve('unknown') },
      true,
      'unknown_to_provider',
    ],
    [
      'Houdini: older than its REST window',
      {
        lookup: (): Promise<LookupResult> => Promise.resolve('unknown'),
        unknownMeans: 'beyond_rest_window' as const,
      },
      true,
      'beyond_rest_window',
    ],
    [
      'listing does not name it',
      {
        list: async function* () {
          yield [];
        },
      },
      true,
      'not_listed',
    ],
  ] as const)('%s', async (_name, port, available, reason) => {
    const { fake } = setUp(port as CatchUpPort | undefined, ['A', 'B'], available);
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.reports).toEqual([
      {
        since,
        orders: [
          { orderId: 'A', reason },
          { orderId: 'B', reason },
        ],
      },
    ]);
  });

  it('all lookups share one deadline; what it cuts off is reported, then retried', async () => {
    let calls = 0;
    const port: CatchUpPort = {
      lookup: (id, signal) => {
        calls += 1;
        if (calls > 2) return Promise.resolve(upd(id, 'completed'));
        return new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      },
    };
    const { fake } = setUp(port, ['A', 'B']);
    await vi.advanceTimersByTimeAsync(SETTINGS.passDeadlineMs - 1);
    expect(fake.reports).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.reports[0]?.orders.map((o) => [o.orderId, o.reason])).toEqual([
      ['A', 'lookup_failed'],
      ['B', 'lookup_failed'],
    ]);
    await vi.advanceTimersByTimeAsync(SETTINGS.retryBaseMs);
    expect(fake.applied.map(([id, s, o]) => [id, s, o])).toEqual([
      ['A', 'completed', 'rest'],
      ['B', 'completed', 'rest'],
    ]);
    expect(fake.verified).toEqual(['A', 'B']);
  });

  it('HTTP 429: the retry waits for Retry-After, not the shorter backoff', async () => {
    let calls = 0;
    const at: number[] = [];
    const port: CatchUpPort = {
      lookup: async (id) => {
        calls += 1;
        at.push(Date.now());
        if (calls === 1) throw new RestError('GET answered HTTP 429', 429, 7_000);
        return upd(id, 'completed');
      },
    };
    const start = Date.now();
    const { fake } = setUp(port, ['A']);
    await vi.advanceTimersByTimeAsync(6_999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    expect((at[1] ?? 0) - start).toBe(7_000);
    expect(fake.applied).toEqual([['A', 'completed', 'rest', false]]);
  });

  it('retries are bounded', async () => {
    let calls = 0;
    const port: CatchUpPort = {
      lookup: async () => {
        calls += 1;
        throw new RestError('GET answered HTTP 503', 503);
      },
    };
    setUp(port, ['A']);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(calls).toBe(1 + SETTINGS.retries);
  });

  it('lookups run concurrently, at most `concurrency` at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const port: CatchUpPort = {
      lookup: async (id) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 100));
        inFlight -= 1;
        return upd(id, 'processing');
      },
    };
    const open = Array.from({ length: 16 }, (_, i) => `W${i}`);
    const { fake } = setUp(port, open);
    await vi.advanceTimersByTimeAsync(400);
    expect(peak).toBe(SETTINGS.concurrency);
    expect(fake.applied).toHaveLength(16);
  });
});
