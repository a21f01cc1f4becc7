// The fault matrix every provider goes through against its own simulator: lifecycles to each
// terminal status, abrupt drop, half-open stall, server restart, malformed / unknown frames,
// duplicate and stale messages, wrong credentials, and changes made while disconnected. Each
// provider's test file supplies a spec and adds what is particular to its protocol.
import { afterEach, describe, expect, it } from 'vitest';
import { STATUSES, type NormalizedStatus, type ProviderKey } from '../../src-main/engine/types.js';
import type { Simulator, SimulatorOptions } from '../../src-main/simulator/types.js';
import { descriptorSuite, type DemoSpec, type DescriptorSpec } from './descriptor-suite.js';
import { sleep, stateOf, watch, type Watching } from './harness.js';

export interface Lifecycle {
  orderId: string;
  /** Provider-native statuses in order; the last one is terminal. */
  steps: Array<string | number>;
  final: NormalizedStatus;
  market?: string;
}

export interface ProviderSpec {
  provider: ProviderKey;
  startSim(options?: SimulatorOptions): Promise<Simulator>;
  /** The config source watching `sim`; `orders` are ids the test will use (for per-order protocols). */
  source(sim: Simulator, orders: string[]): Record<string, unknown>;
  /** Covers every terminal status the provider has. */
  lifecycles: Lifecycle[];
  /** An order that can be created and finished at any time in a test. */
  fresh(n: number): Lifecycle;
  /** True once the simulator has the client's subscription for this connection number `n` (1-based). */
  subscribed(sim: Simulator, n: number): boolean;
  /** Credentials the simulator refuses, or undefined when the provider has no auth. */
  wrongCredentials?: Record<string, string>;
  /**
   * How a change made while disconnected reaches the client: over its REST (`restUrl` in the
   * source), or not at all (then the order is marked unverified). Never by resubscribing: strict
   * simulators, like the real servers, do not replay on subscribe.
   */
  catchUp: 'rest' | 'none';
  /** Frames that are not JSON or not any known message, as this simulator would send them. */
  garbage: string[];
  /**
   * Frames that would move `orderId` to the provider word `word` (a status, an event name or a
   * message type), as the server would send them: used with words every JS object inherits.
   */
  wordFrames(orderId: string, word: string): string[];
  /** What its descriptors say (descriptor-suite.ts). */
  descriptor: DescriptorSpec;
  /** What its simulator's demo serves. */
  demo: DemoSpec;
}

/** Keys every plain object answers to: a table lookup must not read them as rows. */
export const PROTOTYPE_WORDS = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
] as const;

export const HEARTBEAT_MS = 150;

/** Frames of the n-th client connection (1-based, in order of first appearance). */
export function framesOf(sim: Simulator, n: number): string[] {
  const ids = [...new Set(sim.received.map((f) => f.connection))];
  const id = ids[n - 1];
  return id === undefined ? [] : sim.received.filter((f) => f.connection === id).map((f) => f.text);
}

export function providerSuite(spec: ProviderSpec): void {
  descriptorSuite(spec.provider, spec.descriptor, spec.demo);

  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setUp(
    opts: {
      credentials?: Record<string, string>;
      orders?: string[];
      sim?: SimulatorOptions;
    } = {},
  ) {
    const sim = await spec.startSim(opts.sim);
    cleanups.push(() => sim.close());
    const ids = opts.orders ?? [
      ...spec.lifecycles.map((l) => l.orderId),
      ...[1, 2, 3, 4].map((n) => spec.fresh(n).orderId),
    ];
    const source = { ...spec.source(sim, ids), ...opts.credentials };
    const w = await watch([source], { heartbeatMs: HEARTBEAT_MS });
    cleanups.push(() => w.stop());
    return { sim, w };
  }

  async function connected(sim: Simulator, w: Watching, n = 1) {
    await w.until(() => stateOf(w, 's') === 'connected', `source connected (#${n})`);
    await w.until(() => spec.subscribed(sim, n), `subscription #${n} at the simulator`);
  }

  async function walk(sim: Simulator, l: Lifecycle) {
    for (const step of l.steps) {
      sim.setStatus(l.orderId, step, l.market ? { market: l.market } : undefined);
      await sleep(5);
    }
  }

  describe(`${spec.provider} against its simulator`, () => {
    it('walks orders to every terminal status, one alert each, with the provider status kept', async () => {
      const { sim, w } = await setUp();
      await connected(sim, w);
      for (const l of spec.lifecycles) await walk(sim, l);
      await w.until(() => w.alerts().length >= spec.lifecycles.length, 'one alert per order');
      await sleep(200);
      const alerts = w.alerts();
      expect(alerts.map((a) => [a.orderId, a.status]).sort()).toEqual(
        spec.lifecycles.map((l) => [l.orderId, l.final]).sort(),
      );
      for (const l of spec.lifecycles) {
        const lines = w.orders(l.orderId);
        const last = String(l.steps.at(-1));
        expect(lines.some((o) => o.providerStatus === last && o.terminal)).toBe(true);
        // Every line is a change: no repeats of the state already known.
        const states = lines.map((o) => `${o.status}/${o.providerStatus}`);
        expect(new Set(states).size).toBe(states.length);
      }
      for (const e of w.events) {
        expect(e).toMatchObject({ source: 's', provider: spec.provider });
        expect(Number.isNaN(Date.parse(e.at))).toBe(false);
      }
    });

    it('abrupt drop: reconnects, resubscribes and keeps delivering', async () => {
      const { sim, w } = await setUp();
      await connected(sim, w);
      sim.drop();
      await w.until(() => w.states('s').includes('reconnecting'), 'reconnecting after the drop');
      await connected(sim, w, 2);
      const l = spec.fresh(1);
      await walk(sim, l);
      await w.until(() => w.alerts().some((a) => a.orderId === l.orderId), 'alert after reconnect');
    });

    it(`half-open link: detected within about two heartbeats (${HEARTBEAT_MS} ms), then recovered`, async () => {
      const { sim, w } = await setUp();
      await connected(sim, w);
      await sleep(HEARTBEAT_MS); // heartbeats are flowing
      const t0 = Date.now();
      sim.halfOpen(true);
      await w.until(() => stateOf(w, 's') !== 'connected', 'half-open detected', 10 * HEARTBEAT_MS);
      const detectedMs = Date.now() - t0;
      expect(detectedMs).toBeLessThanOrEqual(3 * HEARTBEAT_MS + 150);
      sim.halfOpen(false);
      await connected(sim, w, 2);
      const l = spec.fresh(2);
      await walk(sim, l);
      await w.until(() => w.alerts().some((a) => a.orderId === l.orderId), 'alert after recovery');
    });

    it('server restart: reconnects and resubscribes', async () => {
      const { sim, w } = await setUp();
      await connected(sim, w);
      await sim.restart();
      await connected(sim, w, 2);
      const l = spec.fresh(3);
      await walk(sim, l);
      await w.until(() => w.alerts().some((a) => a.orderId === l.orderId), 'alert after restart');
    });

    it('malformed and unknown frames are skipped; the connection and the stream go on', async () => {
      const { sim, w } = await setUp();
      await connected(sim, w);
      const before = w.states('s').length;
      for (const g of spec.garbage) sim.sendRaw(g);
      const l = spec.fresh(4);
      await walk(sim, l);
      await w.until(() => w.alerts().some((a) => a.orderId === l.orderId), 'alert after garbage');
      expect(w.states('s').length).toBe(before); // no reconnect
      expect(w.events.filter((e) => e.kind === 'order').every((e) => e.orderId === l.orderId)).toBe(
        true,
      );
    });

    it('prototype keys as statuses ("constructor", "__proto__", "toString"…) are unusable frames: no order line, no alert, a known order kept', async () => {
      const { sim, w } = await setUp();
      await connected(sim, w);
      const known = spec.lifecycles[0];
      if (!known) throw new Error('spec has no lifecycle');
      const first = known.steps[0] as string | number;
      sim.setStatus(known.orderId, first, known.market ? { market: known.market } : undefined);
      await w.until(() => w.orders(known.orderId).length === 1, 'known order seen');
      const before = structuredClone(w.engine.store.get('s', known.orderId));
      const lines = w.events.filter((e) => e.kind === 'order').length;
      for (const word of PROTOTYPE_WORDS) {
        for (const id of [known.orderId, `proto-${word}`]) {
          for (const frame of spec.wordFrames(id, word)) sim.sendRaw(frame);
        }
      }
      const marker = spec.fresh(3);
      await walk(sim, marker); // everything before it has been processed once this alerts
      await w.until(() => w.alerts().some((a) => a.orderId === marker.orderId), 'marker alert');
      const orderLines = w.events.filter((e) => e.kind === 'order');
      expect(orderLines.slice(lines).every((e) => e.orderId === marker.orderId)).toBe(true);
      for (const e of orderLines) {
        expect(STATUSES).toContain(e.status);
        expect(typeof e.terminal).toBe('boolean');
      }
      expect(w.alerts().map((a) => a.orderId)).toEqual([marker.orderId]);
      expect(w.engine.store.get('s', known.orderId)).toEqual(before);
      for (const word of PROTOTYPE_WORDS) {
        expect(w.engine.store.get('s', `proto-${word}`)).toBeUndefined();
      }
      expect(w.engine.store.size).toBe(2);
    });

    it('duplicate and stale messages neither repeat an alert nor move an order back', async () => {
      const { sim, w } = await setUp();
      await connected(sim, w);
      const l = spec.lifecycles[0];
      if (!l) throw new Error('spec has no lifecycle');
      await walk(sim, l);
      await w.until(() => w.alerts().length === 1, 'first alert');
      const lines = w.orders(l.orderId).length;
      const terminal = l.steps.at(-1) as string | number;
      sim.replay(l.orderId, terminal);
      sim.replay(l.orderId, terminal);
      for (const step of l.steps.slice(0, -1)) sim.replay(l.orderId, step);
      const marker = spec.fresh(1);
      await walk(sim, marker); // everything before it has been processed once this arrives
      await w.until(() => w.alerts().length === 2, 'marker alert');
      expect(w.alerts().filter((a) => a.orderId === l.orderId)).toHaveLength(1);
      expect(w.orders(l.orderId)).toHaveLength(lines);
      expect(w.engine.store.get('s', l.orderId)?.status).toBe(l.final);
    });

    if (spec.wrongCredentials) {
      const wrong = spec.wrongCredentials;
      it('wrong credentials: auth_failed with a reason, and no reconnect storm', async () => {
        const { sim, w } = await setUp({ credentials: wrong });
        await w.until(() => stateOf(w, 's') === 'auth_failed', 'auth_failed');
        const failed = w.events.find((e) => e.kind === 'connection' && e.state === 'auth_failed');
        expect(failed?.kind === 'connection' && failed.detail).toBeTruthy();
        await sleep(1_500);
        expect(sim.stats.authFailures).toBe(1);
        expect(stateOf(w, 's')).toBe('auth_failed');
        // The secret itself never shows up in what the engine emits.
        const secretValues = Object.values(wrong);
        for (const e of w.events)
          for (const v of secretValues) expect(JSON.stringify(e)).not.toContain(v);
      });
    }

    /** An order heard live, then finished while the client hears nothing, then the link is back. */
    async function finishDuringGap(sim: Simulator, w: Watching, l: Lifecycle) {
      await connected(sim, w);
      const first = l.steps[0] as string | number;
      sim.setStatus(l.orderId, first, l.market ? { market: l.market } : undefined);
      await w.until(() => w.orders(l.orderId).length === 1, 'order seen live');
      sim.halfOpen(true); // the client hears nothing from here on
      sim.setStatus(l.orderId, l.steps.at(-1) as string | number, {
        restOnly: true,
        ...(l.market ? { market: l.market } : {}),
      });
      await w.until(() => stateOf(w, 's') !== 'connected', 'gap detected', 2_000);
      sim.halfOpen(false);
    }

    if (spec.catchUp === 'rest') {
      it('a change made while disconnected is caught up over REST after reconnecting', async () => {
        const { sim, w } = await setUp();
        const l = spec.fresh(2);
        await finishDuringGap(sim, w, l);
        await w.until(() => w.alerts().some((a) => a.orderId === l.orderId), 'alert from catch-up');
        expect(w.alerts().find((a) => a.orderId === l.orderId)?.status).toBe(l.final);
      });

      // The page does not forbid a server from doing more than it says (here: answering a
      // subscribe with the order's current status, strict: false); both ways reach the client and
      // the finish still rings once.
      it('a server that also replays on resubscribe (not strict): the gap finish alerts exactly once', async () => {
        const { sim, w } = await setUp({ sim: { strict: false } });
        expect(sim.strict).toBe(false);
        const l = spec.fresh(2);
        await finishDuringGap(sim, w, l);
        await w.until(() => w.alerts().some((a) => a.orderId === l.orderId), 'alert from catch-up');
        await connected(sim, w, 2);
        await sleep(300); // a replay or a late lookup would be here by now
        expect(w.alerts().filter((a) => a.orderId === l.orderId)).toHaveLength(1);
        expect(w.engine.store.get('s', l.orderId)?.status).toBe(l.final);
      });
    } else {
      it('a change made while disconnected cannot be seen: no alert is invented, the order is marked unverified', async () => {
        const { sim, w } = await setUp();
        const l = spec.fresh(2);
        await finishDuringGap(sim, w, l);
        await w.until(() => stateOf(w, 's') === 'connected', 'reconnected');
        await w.until(
          () => w.engine.store.get('s', l.orderId)?.unverifiedReason === 'no_catch_up',
          'marked unverified',
        );
        const problem = w.events.findLast(
          (e) => e.kind === 'problem' && e.code === 'unverified_after_gap',
        );
        expect(problem?.kind === 'problem' && problem.orderIds).toContain(l.orderId);
        expect(w.alerts().filter((a) => a.orderId === l.orderId)).toEqual([]);
      });
    }
  });
}

/** Frames that are broken for every JSON protocol. */
export const COMMON_GARBAGE = ['{not json', '[]', 'null', '42', '{"type":"mystery_event"}', ''];
