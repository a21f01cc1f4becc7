// The REST plumbing every simulator with REST shares: path templates (pure, table-driven), the fault
// decisions (pure, table-driven over request sequences), and the faults carried out on a real
// loopback origin, driven by fetch.
import { afterEach, describe, expect, test } from 'vitest';
import { startHoudiniSimulator } from '../../../src-main/simulator/houdini.js';
import { startNexchangeSimulator } from '../../../src-main/simulator/nexchange.js';
import { startOrangepillSimulator } from '../../../src-main/simulator/orangepill.js';
import { RestFaults, type RestFault } from '../../../src-main/simulator/rest-faults.js';
import { matchPath } from '../../../src-main/simulator/rest-routes.js';
import { QUIET_MS, getRaw, runCleanups, track, until } from './raw-clients.js';

afterEach(runCleanups);

describe('matchPath', () => {
  test.each([
    ['/v2/orders', '/v2/orders', {}],
    ['/v2/orders', '/v2/orders/', undefined],
    ['/v2/orders/{id}', '/v2/orders/H1', { id: 'H1' }],
    ['/v2/orders/{id}', '/v2/orders/', { id: '' }],
    ['/v2/orders/{id}', '/v2/orders/a/b', undefined],
    ['/v2/orders/{id}', '/v2/orders/a%2Fb', { id: 'a/b' }],
    ['/v2/orders/{id}', '/v2/orders/%E0%A4%A', { id: '' }],
    ['/en/api/v1/orders/{ref}/', '/en/api/v1/orders/R1/', { ref: 'R1' }],
    ['/en/api/v1/orders/{ref}/', '/en/api/v1/orders/R1', undefined],
    ['/x/{a}/{b}', '/x/1/2', { a: '1', b: '2' }],
    // A param named like a prototype key is an own property like any other.
    ['/x/{__proto__}', '/x/1', JSON.parse('{"__proto__":"1"}') as Record<string, string>],
  ])('%s ~ %s', (template, path, want) => {
    const got = matchPath(template, path);
    expect(got && Object.entries(got)).toEqual(want && Object.entries(want));
  });
});

describe('RestFaults decisions', () => {
  const s = (delayMs = 0) => ({ kind: 'serve', delayMs });
  const e500 = { kind: 'answer', status: 500 };
  const r429 = (seconds: number) => ({
    kind: 'answer',
    status: 429,
    headers: { 'retry-after': String(seconds) },
  });
  // Each row: the fault, then [time of the request in ms, what it gets] for successive requests.
  const rows: [string, RestFault | undefined, [number, object][]][] = [
    [
      'none',
      undefined,
      [
        [0, s()],
        [1, s()],
      ],
    ],
    [
      'slow',
      { kind: 'slow', ms: 250 },
      [
        [0, s(250)],
        [1, s(250)],
      ],
    ],
    [
      'late',
      { kind: 'late', ms: 250 },
      [
        [0, { kind: 'serveLate', ms: 250 }],
        [1, { kind: 'serveLate', ms: 250 }],
      ],
    ],
    [
      'down 503',
      { kind: 'down' },
      [
        [0, { kind: 'answer', status: 503 }],
        [9, { status: 503 }],
      ],
    ],
    [
      'down reset',
      { kind: 'down', answer: 'reset' },
      [
        [0, { kind: 'reset' }],
        [1, { kind: 'reset' }],
      ],
    ],
    [
      'endless',
      { kind: 'endless' },
      [
        [0, { kind: 'endless', status: 200 }],
        [1, { kind: 'endless', status: 200 }],
      ],
    ],
    ['endless 500', { kind: 'endless', status: 500 }, [[0, { kind: 'endless', status: 500 }]]],
    [
      'hang',
      { kind: 'hang' },
      [
        [0, { kind: 'hang' }],
        [1, { kind: 'hang' }],
      ],
    ],
    [
      'flapping',
      { kind: 'flapping' },
      [
        [0, e500],
        [1, s()],
        [2, e500],
        [3, s()],
      ],
    ],
    [
      'failFirst 2',
      { kind: 'failFirst', count: 2 },
      [
        [0, e500],
        [1, e500],
        [2, s()],
        [3, s()],
      ],
    ],
    ['failFirst 0', { kind: 'failFirst', count: 0 }, [[0, s()]]],
    [
      'rateLimited 2 s, one window',
      { kind: 'rateLimited', retryAfterSeconds: 2 },
      [
        [0, r429(2)],
        [500, r429(2)],
        [1_001, r429(1)],
        [2_000, s()],
        [2_001, s()],
      ],
    ],
    [
      'rateLimited 1 s, two windows',
      { kind: 'rateLimited', retryAfterSeconds: 1, windows: 2 },
      [
        [0, r429(1)],
        [1_000, r429(1)],
        [1_500, r429(1)],
        [2_000, s()],
      ],
    ],
  ];
  test.each(rows)('%s', (_name, fault, requests) => {
    const faults = new RestFaults();
    faults.set(fault);
    expect(faults.current).toEqual(fault);
    for (const [at, want] of requests) expect(faults.verdict(at)).toMatchObject(want);
  });

  test('setting a fault again starts its count again; clearing it serves', () => {
    const faults = new RestFaults();
    faults.set({ kind: 'flapping' });
    expect(faults.verdict(0)).toMatchObject(e500);
    faults.set({ kind: 'flapping' });
    expect(faults.verdict(0)).toMatchObject(e500);
    faults.set(undefined);
    expect(faults.verdict(0)).toEqual(s());
  });

  test.each<RestFault>([
    { kind: 'slow', ms: -1 },
    { kind: 'slow', ms: Number.NaN },
    { kind: 'late', ms: -1 },
    { kind: 'late', ms: Number.POSITIVE_INFINITY },
    { kind: 'failFirst', count: 1.5 },
    { kind: 'rateLimited', retryAfterSeconds: 0 },
    { kind: 'rateLimited', retryAfterSeconds: 1, windows: -1 },
  ])('rejects %j', (fault) => {
    expect(() => new RestFaults().set(fault)).toThrow(RangeError);
  });
});

describe('REST faults on a running simulator', () => {
  async function origin() {
    const sim = track(await startNexchangeSimulator());
    sim.setStatus('R1', 13);
    const url = `${sim.restUrl ?? ''}/en/api/v1/orders/R1/`;
    return { sim, url };
  }

  test('slow: every answer waits; clearing it answers at once', async () => {
    const { sim, url } = await origin();
    sim.setRestFault({ kind: 'slow', ms: 300 });
    let started = Date.now();
    expect((await getRaw(url)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    sim.setRestFault(undefined);
    started = Date.now();
    expect((await getRaw(url)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(250);
  });

  // The two delays differ in WHEN the answer is taken: slow builds it as it leaves, late as the
  // request arrives. A change made in between shows in the first and not in the second.
  test.each([
    { kind: 'slow', answered: 16 },
    { kind: 'late', answered: 13 },
  ] as const)(
    '$kind: a change made while the answer is delayed reads $answered',
    async ({ kind, answered }) => {
      const { sim, url } = await origin();
      sim.setRestFault({ kind, ms: 300 });
      const started = Date.now();
      const pending = getRaw(url);
      await until(() => sim.stats.restCalls === 1, 'the request to arrive');
      sim.setStatus('R1', 16);
      const answer = await pending;
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ status: answered });
    },
  );

  test('late: an answer whose client gave up is dropped; close() still finishes', async () => {
    const { sim, url } = await origin();
    sim.setRestFault({ kind: 'late', ms: 400 });
    await expect(getRaw(url, {}, 100)).rejects.toThrow(/timeout|aborted/i);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the release met a gone client
    sim.setRestFault(undefined);
    expect((await getRaw(url)).status).toBe(200);
    sim.setRestFault({ kind: 'late', ms: 5_000 });
    const pending = getRaw(url, {}, 8_000).catch((err: unknown) => err);
    await until(() => sim.stats.restCalls === 3, 'the third request to arrive');
    const closing = Date.now();
    await sim.close();
    expect(Date.now() - closing).toBeLessThan(2_000);
    expect(await pending).toBeInstanceOf(Error);
  });

  test('down: 503, or the connection cut without an answer', async () => {
    const { sim, url } = await origin();
    sim.setRestFault({ kind: 'down' });
    expect((await getRaw(url)).status).toBe(503);
    sim.setRestFault({ kind: 'down', answer: 'reset' });
    await expect(getRaw(url)).rejects.toThrow(/fetch failed/);
    sim.setRestFault(undefined);
    expect((await getRaw(url)).status).toBe(200);
    expect(sim.stats.restCalls).toBe(3);
  });

  test('hang: no answer at all until the client gives up; close() still finishes', async () => {
    const { sim, url } = await origin();
    sim.setRestFault({ kind: 'hang' });
    await expect(getRaw(url, {}, QUIET_MS)).rejects.toThrow(/timeout|aborted/i);
    const pending = getRaw(url, {}, 5_000).catch((err: unknown) => err);
    await until(() => sim.stats.restCalls === 2, 'the second request to arrive');
    const closing = Date.now();
    await sim.close();
    expect(Date.now() - closing).toBeLessThan(2_000);
    expect(await pending).toBeInstanceOf(Error);
  });

  test('flapping and failFirst answer 500 in their pattern', async () => {
    const { sim, url } = await origin();
    sim.setRestFault({ kind: 'flapping' });
    const flaps = [];
    for (let i = 0; i < 4; i++) flaps.push((await getRaw(url)).status);
    expect(flaps).toEqual([500, 200, 500, 200]);
    sim.setRestFault({ kind: 'failFirst', count: 3 });
    const first = [];
    for (let i = 0; i < 5; i++) first.push((await getRaw(url)).status);
    expect(first).toEqual([500, 500, 500, 200, 200]);
  });

  test('rateLimited: 429 with Retry-After until the window has passed', async () => {
    const { sim, url } = await origin();
    sim.setRestFault({ kind: 'rateLimited', retryAfterSeconds: 1 });
    const limited = await getRaw(url);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await getRaw(url)).status).toBe(429); // too early
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect((await getRaw(url)).status).toBe(200);
  });

  test('faults meet every endpoint of a simulator, not the stream', async () => {
    const sim = track(
      await startHoudiniSimulator({ credentials: { partnerId: 'p', secret: 's' } }),
    );
    sim.setRestFault({ kind: 'down' });
    const auth = { authorization: 'p:s' };
    expect((await getRaw(`${sim.restUrl ?? ''}/v2/orders`, auth)).status).toBe(503);
    expect((await getRaw(`${sim.restUrl ?? ''}/v2/orders/H1`, auth)).status).toBe(503);
    expect((await getRaw(`${sim.restUrl ?? ''}/elsewhere`, auth)).status).toBe(404);
    expect(sim.stats.restByEndpoint).toEqual({ '/v2/orders': 1, '/v2/orders/{houdiniId}': 1 });
  });

  test('a provider without REST has no restUrl and accepts (and ignores) faults', async () => {
    const sim = track(await startOrangepillSimulator());
    expect(sim.restUrl).toBeUndefined();
    sim.setRestFault({ kind: 'hang' });
    expect(sim.stats).toMatchObject({ restCalls: 0, restByEndpoint: {} });
  });
});
