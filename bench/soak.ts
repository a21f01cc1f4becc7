// npm run soak [-- --minutes N] [--seed S]: a bounded fault soak of the engine against every
// provider's simulator, each run strict (doing only what its provider's page says: no replay on
// subscribe). A few hundred orders walk to terminal statuses while faults are injected at random
// (seeded): abrupt drops, half-open stalls, server restarts, malformed frames, duplicate and stale
// frames, prototype keys ("constructor", "__proto__"…) where a status goes, the providers' own faults
// from their simulator descriptors (OZZOBiT kicking every socket or never answering the namespace
// handshake, Orangepill errors after the realm was accepted), REST origins that are slow, down,
// hanging, flapping or rate-limiting, SatoriEx strangers' orders on the market channel, and status
// changes made only at the provider while the client is away. Those come back through catch-up
// (REST, every provider but Orangepill); Orangepill's are lost to the client by design, and the
// engine must say so (the order marked unverified) rather than stay silent. Each provider's
// lifecycles, source, frames, faults and retry wait come from its simulator's descriptor
// (src-main/simulator/index.ts). At the end it asserts, and exits 1 if any fails:
//   - every order that reached a terminal status at the simulator alerted exactly once (providers
//     without catch-up: those whose terminal event was pushed while the link was up; the rest at
//     most once);
//   - none lost, duplicated or invented: every terminal order alerted once, or (no catch-up) the
//     engine marked it unverified, or (no catch-up) no line of it ever reached the engine because
//     it was pushed into a fault; no alert for a stranger's order or one that never finished;
//   - strangers' orders and prototype-key frames never became order lines;
//   - no order line moved a terminal order back to a non-terminal status;
//   - no unhandled rejection (nor uncaught exception);
//   - RSS grew less than 10 % between minute 2 (a third of the run, for runs under 3 minutes) and the
//     end;
//   - every reconnect came within the backoff bounds: fault over → `connected` within the backoff
//     cap + the handshake deadline + slack; no reconnect storm (a server that kicks every socket
//     meets a growing delay: connects per kick burst bounded).
//
// The engine runs in this process (the simulators too) with fast test tunings: reconnect backoff
// capped at 2 s and 1 s heartbeats, so a one-minute run sees dozens of fault cycles instead of the
// two or three that production timings (30 s cap, 20 s heartbeats) would allow; the tunings are not
// reachable through the headless CLI's config. Its events go through the real NdjsonWriter into a
// line reader, so the assertions read the same NDJSON lines a headless consumer would.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { NdjsonWriter } from '../src-main/cli/ndjson-writer.js';
import { parseConfig } from '../src-main/engine/config.js';
import { Engine, UNVERIFIED_CODE } from '../src-main/engine/engine.js';
import { createLogger, silentLogger } from '../src-main/engine/log.js';
import { FilePersistence } from '../src-main/engine/persistence.js';
import {
  ENGINE_PROVIDERS,
  STATUS_TABLES,
  type AdapterTuning,
} from '../src-main/engine/providers/index.js';
import { mapProviders, PROVIDER_NAMES, PROVIDERS } from '../src-main/shared/providers.js';
import { isTerminal } from '../src-main/engine/status.js';
import type { EngineEvent, ProviderKey } from '../src-main/engine/types.js';
import type { NativeStatus } from '../src-main/simulator/descriptor.js';
import { SIMULATORS } from '../src-main/simulator/index.js';
import type { RestFault, Simulator } from '../src-main/simulator/types.js';
import { ROOT, sleep } from './lib/proc.js';
import { Rng } from './lib/rng.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    seed: { type: 'string' },
    orders: { type: 'string', default: '60' },
    verbose: { type: 'boolean', default: false },
  },
  strict: true,
});
const minutes = Number(args.minutes);
if (!(minutes > 0) || minutes > 24 * 60)
  throw new RangeError(`--minutes must be > 0, got ${args.minutes}`);
const seed = args.seed !== undefined ? Number(args.seed) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
const perProvider = Math.max(1, Math.floor(Number(args.orders)));
const rng = new Rng(seed);
const DURATION = minutes * 60_000;
/** Faults and new lifecycle steps stop here; the rest of the run is for catching up. */
const CALM_AT = 0.85 * DURATION;
/** After the planned duration, at most this long to let every expected alert arrive. */
const FINAL_WAIT_MS = 45_000;
const HEARTBEAT_MS = 1_000;
const BACKOFF_CAP_MS = 2_000;
const HANDSHAKE_MS = 2_000;
const TUNING: AdapterTuning = {
  supervisor: {
    backoff: { baseMs: 100, capMs: BACKOFF_CAP_MS, factor: 2 },
    handshakeTimeoutMs: HANDSHAKE_MS,
    stableAfterMs: 1_000,
  },
  ozzobit: {
    reconnectionDelay: 100,
    reconnectionDelayMax: 1_000,
    handshakeTimeoutMs: 2_000,
    slowRetryMs: 3_000,
    retryBackoff: { baseMs: 100, capMs: BACKOFF_CAP_MS, factor: 2 },
    stableAfterMs: 1_000,
  },
  satoriexPollMs: 5_000,
  houdiniPageSize: 50,
  // Failed lookups retried within seconds, not minutes, so the calm at the end is long enough for
  // the last REST fault's victims; a pass keeps retrying while its connection lives.
  catchUp: { passDeadlineMs: 8_000, retryBaseMs: 500, retryCapMs: 4_000, retries: 1_000 },
};
/** A kick burst of `ms` may see at most this many connects (the bug: 648 in 2 s). */
const KICK_CONNECT_BOUND = (ms: number) => 8 + Math.floor(ms / 500);
/** Words every plain object answers to: statuses the soak sends that must match no table row. */
const PROTOTYPE_WORDS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
/** Slack for a loaded two-core machine (CI runs the whole suite before this). */
const SLACK_MS = 3_000;
/** The longest wait between two attempts: the backoff cap, unless the simulator's descriptor says. */
const RETRY_WAIT: Record<ProviderKey, number> = mapProviders(
  (_, p) => SIMULATORS[p].soak.retryWaitMs?.(TUNING) ?? BACKOFF_CAP_MS,
);
const RECONNECT_BOUND: Record<ProviderKey, number> = mapProviders(
  (_, p) => RETRY_WAIT[p] + HANDSHAKE_MS + SLACK_MS,
);
const SOURCE_ID: Record<ProviderKey, string> = mapProviders((_, p) => SIMULATORS[p].sourceId);
/**
 * Providers whose missed changes come back after a gap (REST or resubscribe), as their descriptors
 * claim: the soak holds each claim to account (every soak source sets what catch-up requires).
 */
const CATCHES_UP: Record<ProviderKey, boolean> = mapProviders(
  (_, p) => ENGINE_PROVIDERS[p].catchUp.mode !== 'none',
);
/** Providers whose events wait for the link instead (today Orangepill), by display name. */
const WITHOUT_CATCH_UP = PROVIDERS.filter((p) => !CATCHES_UP[p]);
const namesOf = (ps: readonly ProviderKey[]) => ps.map((p) => PROVIDER_NAMES[p]).join(', ');
/** `setStatus` options every soak step carries for this provider (SatoriEx: its market). */
const statusOptions = (p: ProviderKey) => SIMULATORS[p].soak.statusOptions ?? {};
/** Providers with a REST origin: their REST gets faults of its own. */
const WITH_REST = PROVIDERS.filter((p) => ENGINE_PROVIDERS[p].catchUp.mode !== 'none');
/** REST faults by weight, and how long one lasts (a hang only briefly: lookups wait it out). */
const REST_FAULTS = { slow: 2, down: 2, hang: 1, flapping: 2, rateLimited: 1 } as const;
type RestFaultKind = keyof typeof REST_FAULTS;
const restFault = (kind: RestFaultKind): RestFault =>
  ({
    slow: { kind: 'slow', ms: Math.round(rng.between(300, 3_000)) },
    down: { kind: 'down', answer: rng.pick([503, 'reset'] as const) },
    hang: { kind: 'hang' },
    flapping: { kind: 'flapping' },
    rateLimited: { kind: 'rateLimited', retryAfterSeconds: rng.int(1, 3), windows: rng.int(1, 2) },
  })[kind] as RestFault;

const say = (msg: string) => process.stderr.write(`soak: ${msg}\n`);
const now = () => performance.now();

// ---- problems that must fail the run wherever they happen --------------------------------------
const crashes: string[] = [];
process.on('unhandledRejection', (reason) => {
  crashes.push(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`);
});
process.on('uncaughtException', (err) => {
  crashes.push(`uncaught exception: ${err.stack ?? String(err)}`);
});

// ---- statuses (each simulator descriptor draws its own lifecycles) -------------------------------
const terminalAt = (p: ProviderKey, native: NativeStatus): boolean => {
  const mapped = STATUS_TABLES[p][String(native)];
  return mapped !== undefined && isTerminal(mapped.status);
};

interface Order {
  provider: ProviderKey;
  id: string;
  steps: NativeStatus[];
  at: number[];
  next: number;
  /** Providers without catch-up: when the terminal event was pushed. */
  terminalPushedAt?: number;
}

/** A stranger's order (another user's, on a shared channel): played, never the user's. */
interface Stranger {
  provider: ProviderKey;
  id: string;
  steps: NativeStatus[];
  at: number[];
  next: number;
}

interface Episode {
  provider: ProviderKey;
  /** drop, half-open, restart, or a provider's own gap fault (kick, held-handshake…). */
  kind: string;
  startAt: number;
  endAt?: number;
  recoveredAt?: number;
  /** A provider's own gap fault: times the source read `connected` while it lasted (kicks). */
  connects?: number;
}

async function main(): Promise<number> {
  say(
    `seed ${seed}, ${minutes} min, ${perProvider} orders per provider (replay: npm run soak -- --minutes ${minutes} --seed ${seed})`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'orderbell-soak-'));
  const started = await Promise.all(PROVIDERS.map((p) => SIMULATORS[p].start({ strict: true })));
  const sims = Object.fromEntries(PROVIDERS.map((p, i) => [p, started[i]])) as Record<
    ProviderKey,
    Simulator
  >;
  const tag = seed.toString(16);
  const orders: Order[] = [];
  for (const p of PROVIDERS) {
    for (let i = 0; i < perProvider; i += 1) {
      const steps = SIMULATORS[p].soak.lifecycle(rng);
      // Start somewhere in the first 70 %, finish by CALM_AT, steps unevenly spaced.
      const start = rng.between(3_000, Math.max(3_500, 0.7 * DURATION));
      const room = Math.max(500, CALM_AT - start);
      const at: number[] = [];
      let t = start;
      for (let s = 0; s < steps.length; s += 1) {
        at.push(t);
        t += (room / steps.length) * rng.between(0.2, 1);
      }
      orders.push({ provider: p, id: `${SOURCE_ID[p]}-${tag}-${i}`, steps, at, next: 0 });
    }
  }
  // Strangers' orders where a provider's stream carries them, half as many as the user's, same pace.
  const strangers: Stranger[] = [];
  for (const p of PROVIDERS) {
    const kind = SIMULATORS[p].soak.strangers;
    if (!kind) continue;
    for (let i = 0; i < Math.ceil(perProvider / 2); i += 1) {
      const steps = kind.lifecycle(rng);
      const start = rng.between(3_000, Math.max(3_500, 0.7 * DURATION));
      const at = steps.map((_, s) => start + ((CALM_AT - start) * s) / steps.length);
      strangers.push({ provider: p, id: `stranger-${tag}-${i}`, steps, at, next: 0 });
    }
  }
  const idsOf = (p: ProviderKey) => orders.filter((o) => o.provider === p).map((o) => o.id);
  const mine = new Set(orders.map((o) => `${SOURCE_ID[o.provider]}\u0000${o.id}`));
  const hb = { heartbeatIntervalMs: HEARTBEAT_MS };
  const sources = PROVIDERS.map((p) => ({
    ...SIMULATORS[p].soak.source(sims[p], idsOf(p)),
    ...hb,
  }));

  // ---- the engine and what its NDJSON stream says ------------------------------------------------
  const state: Record<string, string> = {};
  const transitions: Record<string, { at: number; state: string }[]> = {};
  const alerts = new Map<string, number>();
  const terminalSeen = new Set<string>();
  const regressions: string[] = [];
  const authFailures: string[] = [];
  /** Order lines the engine wrote, by key: the orders it has seen. */
  const seenLines = new Set<string>();
  /** Order lines that must not exist: strangers', unknown ids', prototype keys', shapeless ones. */
  const inventedLines: string[] = [];
  const unverifiedProblems: Record<string, number> = {};
  let lines = 0;
  const onLine = (line: string) => {
    lines += 1;
    const e = JSON.parse(line) as EngineEvent;
    const key = 'orderId' in e ? `${e.source}\u0000${e.orderId}` : '';
    if (e.kind === 'connection') {
      state[e.source] = e.state;
      (transitions[e.source] ??= []).push({ at: now(), state: e.state });
      if (e.state === 'auth_failed') authFailures.push(`${e.source}: ${e.detail ?? ''}`);
    } else if (e.kind === 'order') {
      seenLines.add(key);
      if (
        !mine.has(key) ||
        PROTOTYPE_WORDS.includes(e.providerStatus) ||
        typeof e.status !== 'string' ||
        typeof e.terminal !== 'boolean'
      )
        inventedLines.push(`${e.source} ${e.orderId} ${String(e.status)} (${e.providerStatus})`);
      if (terminalSeen.has(key) && !e.terminal) {
        regressions.push(`${e.source} ${e.orderId} → ${e.status} (${e.providerStatus})`);
      }
      if (e.terminal) terminalSeen.add(key);
    } else if (e.kind === 'alert') {
      alerts.set(key, (alerts.get(key) ?? 0) + 1);
    } else if (e.kind === 'problem' && e.code === UNVERIFIED_CODE && e.source !== undefined) {
      unverifiedProblems[e.source] = (unverifiedProblems[e.source] ?? 0) + 1;
    }
  };
  let partial = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      const text = partial + chunk.toString();
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      for (const l of parts) if (l) onLine(l);
      done();
    },
  });
  const writer = new NdjsonWriter(sink);
  const engine = new Engine({
    config: parseConfig({ sources }).config,
    persistence: new FilePersistence(join(dir, 'state')),
    log: args.verbose ? createLogger('warn') : silentLogger(),
    tuning: TUNING,
  });
  engine.on((e) => writer.write(e));
  await engine.start();

  const t0 = now();
  const elapsed = () => now() - t0;
  const deadline = (ms: number, what: string) => {
    const end = now() + ms;
    return async (cond: () => boolean) => {
      while (!cond()) {
        if (now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
        await sleep(20);
      }
    };
  };
  await deadline(
    20_000,
    `all ${PROVIDERS.length} sources connected`,
  )(() => PROVIDERS.every((p) => state[SOURCE_ID[p]] === 'connected'));
  // A provider that catches up by listing its orders reads the list on every connect.
  const listing = PROVIDERS.filter((p) => ENGINE_PROVIDERS[p].catchUp.mode === 'list');
  await deadline(
    10_000,
    'first REST snapshots',
  )(() => listing.every((p) => sims[p].stats.restCalls > 0));
  await sleep(500);
  say(`all sources connected after ${Math.round(elapsed())} ms; running`);

  // ---- the run -------------------------------------------------------------------------------------
  const active = new Map<ProviderKey, Episode>();
  const episodes: Episode[] = [];
  const counts: Record<string, number> = {};
  const bump = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
  let restOnly = 0;
  let pushed = 0;
  let strangerSteps = 0;
  /** Orangepill's changes while away: lost to the client, to be marked unverified. */
  let unseenChanges = 0;
  const healthy = (p: ProviderKey) =>
    !active.has(p) && state[SOURCE_ID[p]] === 'connected' && sims[p].connections() > 0;
  const recovering = (p: ProviderKey) =>
    episodes.some((e) => e.provider === p && e.recoveredAt === undefined);

  const rss: { at: number; mb: number; heapMB: number }[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  const sampleRss = () => {
    for (const p of PROVIDERS) sims[p].received.length = 0; // the frame log is for tests, not here
    gc?.();
    const m = process.memoryUsage();
    rss.push({ at: elapsed(), mb: m.rss / 1048576, heapMB: m.heapUsed / 1048576 });
  };

  const stepOrders = () => {
    for (const o of orders) {
      while (o.next < o.steps.length && (o.at[o.next] as number) <= elapsed()) {
        const status = o.steps[o.next] as NativeStatus;
        const sim = sims[o.provider];
        const market = statusOptions(o.provider);
        if (!healthy(o.provider)) {
          // A provider without catch-up: its events wait for the link (else they would be lost).
          if (!CATCHES_UP[o.provider]) break;
          sim.setStatus(o.id, status, { restOnly: true, ...market });
          restOnly += 1;
        } else {
          sim.setStatus(o.id, status, market);
          pushed += 1;
          if (!CATCHES_UP[o.provider] && terminalAt(o.provider, status)) {
            o.terminalPushedAt = now();
          }
        }
        o.next += 1;
      }
    }
  };

  const stepStrangers = () => {
    for (const o of strangers) {
      const kind = SIMULATORS[o.provider].soak.strangers;
      while (kind && o.next < o.steps.length && (o.at[o.next] as number) <= elapsed()) {
        // Pushed whether or not the user is connected: a stranger's order is no business of ours.
        kind.set(sims[o.provider], o.id, o.steps[o.next] as NativeStatus);
        o.next += 1;
        strangerSteps += 1;
      }
    }
  };

  const garbage = () =>
    rng.pick([
      '{"garbage',
      'not json at all',
      '[]',
      '{}',
      '42',
      '{"type":"order_update","data":{"houdiniId":7}}',
      '{"message_type":"order_status_update","status":"x"}',
      '{"type":"notification","event":"deposit.unknown","data":"x"}',
      '{"type":"order","order_id":"","status":"filled"}',
      `{"pad":"${'x'.repeat(rng.int(1, 20_000))}"}`,
    ]);

  /** Provider faults that keep the link up (Orangepill's error after accept), while they last. */
  const liveFaults = new Set<ProviderKey>();
  const injectFault = async () => {
    const candidates = PROVIDERS.filter((p) => healthy(p) && !recovering(p));
    if (candidates.length === 0) return;
    const p = rng.pick(candidates);
    const sim = sims[p];
    const own = SIMULATORS[p].soak.faults ?? {};
    const kind = rng.weighted({
      drop: 3,
      'half-open': 2,
      restart: 2,
      malformed: 2,
      duplicate: 3,
      prototype: 2,
      ...Object.fromEntries(Object.entries(own).map(([k, f]) => [k, f.weight])),
    });
    bump(`${kind} ${p}`);
    if (kind === 'malformed') {
      sim.sendRaw(garbage());
      return;
    }
    if (kind === 'duplicate') {
      const started = orders.filter((o) => o.provider === p && o.next > 0);
      if (started.length === 0) return;
      const o = rng.pick(started);
      // The current status again, or an older one arriving late (must never move an order back).
      const status = rng.next() < 0.5 ? o.steps[o.next - 1] : o.steps[rng.int(0, o.next - 1)];
      sim.replay(o.id, status as NativeStatus);
      return;
    }
    if (kind === 'prototype') {
      // A prototype key where the status goes, for an order the user has (which must stay as it
      // is) or for one nobody has (which must not appear).
      const started = orders.filter((o) => o.provider === p && o.next > 0);
      const id =
        started.length > 0 && rng.next() < 0.7
          ? rng.pick(started).id
          : `proto-${tag}-${counts[`${kind} ${p}`]}`;
      sim.sendRaw(SIMULATORS[p].soak.frame(id, rng.pick(PROTOTYPE_WORDS)));
      return;
    }
    const fault = own[kind];
    if (fault && !fault.gap) {
      if (liveFaults.has(p)) return;
      liveFaults.add(p);
      const end = fault.begin(sim);
      await sleep(rng.between(2_000, 8_000));
      end();
      liveFaults.delete(p);
      return;
    }
    const episode: Episode = { provider: p, kind, startAt: now() };
    episodes.push(episode);
    active.set(p, episode);
    // Changes made at the provider while the client is away: only a catch-up can bring them.
    // Without one (Orangepill) they are lost to the client, which must then say it could not see:
    // only orders it has seen, since it cannot name one it never heard of.
    const gapChanges = () => {
      const source = SOURCE_ID[p];
      const pending = orders.filter(
        (o) =>
          o.provider === p &&
          o.next > 0 &&
          o.next < o.steps.length &&
          (CATCHES_UP[p] || seenLines.has(`${source}\u0000${o.id}`)),
      );
      for (let n = rng.int(0, 3); n > 0 && pending.length > 0; n -= 1) {
        const o = pending.splice(rng.int(0, pending.length - 1), 1)[0] as Order;
        sim.setStatus(o.id, o.steps[o.next] as NativeStatus, {
          restOnly: true,
          ...statusOptions(p),
        });
        o.next += 1;
        if (CATCHES_UP[p]) restOnly += 1;
        else unseenChanges += 1;
      }
    };
    if (kind === 'drop') {
      sim.drop();
      gapChanges();
    } else if (kind === 'restart') {
      const restarting = sim.restart();
      gapChanges();
      await restarting;
    } else if (kind === 'half-open') {
      sim.halfOpen(true);
      await sleep(rng.between(500, 3_500));
      gapChanges();
      sim.halfOpen(false);
    } else if (fault) {
      // The provider's own: on for a while, the link down meanwhile (OZZOBiT kicks every socket).
      const end = fault.begin(sim);
      await sleep(rng.between(1_000, 5_000));
      gapChanges();
      end();
      // Connects the client made while it lasted: each kicked socket was `connected` for a moment
      // (the proxy's accept count would mix in the catch-up's REST connections).
      const from = episode.startAt;
      episode.connects = (transitions[SOURCE_ID[p]] ?? []).filter(
        (t) => t.at >= from && t.state === 'connected',
      ).length;
    }
    episode.endAt = now();
    active.delete(p);
  };

  /** REST faults on their own clock, overlapping connection faults as they will. */
  const restFaulted = new Set<ProviderKey>();
  const injectRestFault = async () => {
    const candidates = WITH_REST.filter((p) => !restFaulted.has(p));
    if (candidates.length === 0) return;
    const p = rng.pick(candidates);
    const kind = rng.weighted(REST_FAULTS);
    bump(`rest-${kind} ${p}`);
    restFaulted.add(p);
    sims[p].setRestFault(restFault(kind));
    await sleep(kind === 'hang' ? rng.between(500, 3_000) : rng.between(1_000, 6_000));
    sims[p].setRestFault(undefined);
    restFaulted.delete(p);
  };

  let nextFault = 3_000 + rng.between(0, 2_000);
  let nextRestFault = 4_000 + rng.between(0, 2_000);
  let nextSample = 0;
  const faults: Promise<void>[] = [];
  while (elapsed() < DURATION) {
    stepOrders();
    stepStrangers();
    if (elapsed() >= nextSample) {
      sampleRss();
      nextSample += 5_000;
    }
    if (elapsed() < CALM_AT && elapsed() >= nextFault) {
      faults.push(injectFault());
      nextFault = elapsed() + rng.between(800, 3_000);
    }
    if (elapsed() < CALM_AT && elapsed() >= nextRestFault) {
      faults.push(injectRestFault());
      nextRestFault = elapsed() + rng.between(1_500, 5_000);
    }
    for (const e of episodes) {
      if (e.recoveredAt !== undefined || e.endAt === undefined) continue;
      const end = e.endAt;
      const back = (transitions[SOURCE_ID[e.provider]] ?? []).find(
        (t) => t.at >= end && t.state === 'connected',
      );
      if (back) e.recoveredAt = back.at;
    }
    await sleep(50);
  }
  await Promise.all(faults);
  const rssEnd = rss.filter((s) => s.at <= DURATION);

  // ---- catch up: the last lifecycle steps, then every expected alert -------------------------------
  const finalEnd = now() + FINAL_WAIT_MS;
  while (orders.some((o) => o.next < o.steps.length) && now() < finalEnd) {
    stepOrders();
    await sleep(50);
  }
  const expected = (o: Order): boolean => {
    const final = o.steps[o.next - 1];
    if (o.next < o.steps.length || final === undefined || !terminalAt(o.provider, final))
      return false;
    if (CATCHES_UP[o.provider]) return true;
    // No catch-up: pushed while the link was up, and it stayed up for a second after.
    const at = o.terminalPushedAt;
    if (at === undefined) return false;
    const broke = (transitions[SOURCE_ID[o.provider]] ?? []).some(
      (t) => t.at >= at - 50 && t.at <= at + 1_000 && t.state !== 'connected',
    );
    return (
      !broke &&
      !episodes.some(
        (e) =>
          e.provider === o.provider && e.startAt <= at + 1_000 && (e.endAt ?? Infinity) >= at - 50,
      )
    );
  };
  const keyOf = (o: Order) => `${SOURCE_ID[o.provider]}\u0000${o.id}`;
  while (now() < finalEnd) {
    for (const e of episodes) {
      if (e.recoveredAt !== undefined || e.endAt === undefined) continue;
      const end = e.endAt;
      const back = (transitions[SOURCE_ID[e.provider]] ?? []).find(
        (t) => t.at >= end && t.state === 'connected',
      );
      if (back) e.recoveredAt = back.at;
    }
    if (orders.filter(expected).every((o) => alerts.get(keyOf(o)) === 1)) break;
    await sleep(100);
  }
  // Late duplicates would show up now.
  await sleep(1_500);
  // What the engine marked "unverified since": the window and the tray show exactly this.
  const unverified = new Set(
    engine
      .snapshot()
      .orders.filter((r) => r.unverifiedSince !== undefined && !r.terminal)
      .map((r) => `${r.source}\u0000${r.orderId}`),
  );
  writer.flush();
  await engine.stop();
  await Promise.all(PROVIDERS.map((p) => sims[p].close()));
  rmSync(dir, { recursive: true, force: true });

  // ---- verdicts -------------------------------------------------------------------------------------
  const results: { name: string; ok: boolean; detail: string }[] = [];
  const check = (name: string, ok: boolean, detail: string) => results.push({ name, ok, detail });

  const missing: string[] = [];
  const repeated: string[] = [];
  let expectedCount = 0;
  let notExpectedAlerted = 0;
  for (const o of orders) {
    const n = alerts.get(keyOf(o)) ?? 0;
    if (n > 1) repeated.push(`${o.provider} ${o.id} ×${n}`);
    if (expected(o)) {
      expectedCount += 1;
      if (n !== 1) missing.push(`${o.provider} ${o.id} (${o.steps.join(' → ')}): ${n} alerts`);
    } else if (n === 1) notExpectedAlerted += 1;
  }
  const unknownAlerts = [...alerts.keys()].filter((k) => !orders.some((o) => keyOf(o) === k));
  const pushedWhileConnected = WITHOUT_CATCH_UP.map((p) => {
    const mine = orders.filter((o) => o.provider === p);
    return `${PROVIDER_NAMES[p]} ${mine.filter(expected).length}/${mine.length}`;
  });
  check(
    'every terminal order alerted exactly once',
    missing.length === 0 && repeated.length === 0 && unknownAlerts.length === 0,
    `${expectedCount} expected` +
      (pushedWhileConnected.length
        ? ` (${pushedWhileConnected.join(', ')} pushed while connected)`
        : '') +
      `, ${missing.length} missing or wrong, ${repeated.length} repeated, ${unknownAlerts.length} unknown` +
      (notExpectedAlerted
        ? `; ${notExpectedAlerted} ${namesOf(WITHOUT_CATCH_UP)} orders lost in a fault window alerted anyway`
        : '') +
      [...missing, ...repeated, ...unknownAlerts]
        .slice(0, 10)
        .map((m) => `\n      ${m}`)
        .join(''),
  );
  check(
    'no order regressed',
    regressions.length === 0,
    `${regressions.length} regressions${regressions
      .slice(0, 5)
      .map((r) => `\n      ${r}`)
      .join('')}`,
  );
  // Lost, duplicated, invented: every order that finished at the simulator is accounted for.
  const account = { alerted: 0, unverified: 0, unseen: 0 };
  const lost: string[] = [];
  const finishedAtSim = (o: Order) => {
    const final = o.steps[o.next - 1];
    return final !== undefined && terminalAt(o.provider, final);
  };
  for (const o of orders) {
    if (!finishedAtSim(o)) continue;
    const key = keyOf(o);
    const n = alerts.get(key) ?? 0;
    if (n >= 1) account.alerted += 1;
    else if (!CATCHES_UP[o.provider] && unverified.has(key)) account.unverified += 1;
    // Without catch-up an order none of whose lines reached the engine (pushed into a fault) is
    // one it cannot name, let alone mark.
    else if (!CATCHES_UP[o.provider] && !seenLines.has(key) && !expected(o)) account.unseen += 1;
    else
      lost.push(
        `${o.provider} ${o.id} (${o.steps.slice(0, o.next).join(' → ')})${seenLines.has(key) ? '' : ', never seen'}`,
      );
  }
  const invented = [
    ...unknownAlerts.map((k) => `alert for ${k.replace('\u0000', ' ')}`),
    ...orders
      .filter((o) => !finishedAtSim(o) && (alerts.get(keyOf(o)) ?? 0) > 0)
      .map((o) => `${o.provider} ${o.id} alerted at ${String(o.steps[o.next - 1])}`),
  ];
  const strangerKeys = strangers.map((o) => `${SOURCE_ID[o.provider]}\u0000${o.id}`);
  check(
    '0 lost, 0 duplicate, 0 invented alerts',
    lost.length === 0 && repeated.length === 0 && invented.length === 0,
    `${orders.filter(finishedAtSim).length} finished at the simulators: ${account.alerted} alerted, ` +
      `${account.unverified} marked unverified (${namesOf(WITHOUT_CATCH_UP)}, changed while away), ` +
      `${account.unseen} never seen (${namesOf(WITHOUT_CATCH_UP)}, pushed into a fault); ` +
      `${lost.length} lost, ${repeated.length} duplicate, ${invented.length} invented` +
      [...lost, ...invented]
        .slice(0, 10)
        .map((m) => `\n      ${m}`)
        .join(''),
  );
  const strangerLines = inventedLines.filter((l) => l.includes(' stranger-'));
  check(
    'strangers and prototype keys never became order lines',
    inventedLines.length === 0 && strangerKeys.every((k) => !alerts.has(k)),
    `${strangers.length} strangers' orders (${strangerSteps} steps), ${Object.entries(counts)
      .filter(([k]) => k.startsWith('prototype '))
      .reduce(
        (n, [, v]) => n + v,
        0,
      )} prototype-key frames; ${inventedLines.length} invented order lines (${strangerLines.length} strangers')` +
      inventedLines
        .slice(0, 5)
        .map((l) => `\n      ${l}`)
        .join(''),
  );
  check(
    'no unhandled rejection',
    crashes.length === 0 && authFailures.length === 0,
    `${crashes.length} crashes, ${authFailures.length} auth failures${[...crashes, ...authFailures]
      .slice(0, 3)
      .map((c) => `\n      ${c.split('\n').slice(0, 4).join('\n      ')}`)
      .join('')}`,
  );
  const refAt = minutes >= 3 ? 120_000 : DURATION / 3;
  const around = (t: number, of: 'mb' | 'heapMB' = 'mb') => {
    const near = rssEnd
      .filter((s) => Math.abs(s.at - t) <= 7_500)
      .map((s) => s[of])
      .sort((a, b) => a - b);
    return near[Math.floor((near.length - 1) / 2)] ?? Number.NaN;
  };
  const lastAt = rssEnd.at(-1)?.at ?? DURATION;
  const rssRef = around(refAt);
  const rssLast = around(lastAt);
  const growth = (rssLast - rssRef) / rssRef;
  check(
    'RSS growth under 10 %',
    Number.isFinite(growth) && growth < 0.1,
    `${rssRef.toFixed(1)} MB at ${Math.round(refAt / 1000)} s → ${rssLast.toFixed(1)} MB at ${Math.round(lastAt / 1000)} s (${(growth * 100).toFixed(1)} %)${gc ? `, after a GC each sample; heap ${around(refAt, 'heapMB').toFixed(1)} → ${around(lastAt, 'heapMB').toFixed(1)} MB` : ''}`,
  );
  // No reconnect storm: connection attempts (TCP accepts at each proxy) stay within a few per fault.
  const storms = PROVIDERS.filter((p) => {
    const faultsHere = episodes.filter((e) => e.provider === p).length;
    // REST calls go through the same proxy: each may be a connection of its own.
    return sims[p].stats.accepted > 5 + faultsHere * 10 + sims[p].stats.restCalls;
  }).map(
    (p) =>
      `${p}: ${sims[p].stats.accepted} connections for ${episodes.filter((e) => e.provider === p).length} faults`,
  );
  const kicks = episodes.filter((e) => e.connects !== undefined && e.endAt !== undefined);
  const kickStorms = kicks.filter(
    (e) => (e.connects as number) > KICK_CONNECT_BOUND((e.endAt as number) - e.startAt),
  );
  const kickMs = kicks.reduce((n, e) => n + ((e.endAt as number) - e.startAt), 0);
  const kickConnects = kicks.reduce((n, e) => n + (e.connects as number), 0);
  const late = episodes.filter(
    (e) =>
      e.recoveredAt === undefined ||
      e.endAt === undefined ||
      e.recoveredAt - e.endAt > RECONNECT_BOUND[e.provider],
  );
  const delays = episodes
    .filter((e) => e.recoveredAt !== undefined && e.endAt !== undefined)
    .map((e) => (e.recoveredAt as number) - (e.endAt as number));
  check(
    'reconnects within the backoff bounds',
    late.length === 0 && storms.length === 0 && kickStorms.length === 0 && episodes.length > 0,
    `${episodes.length} connection faults, back after ${delays.length ? `${Math.round(Math.min(...delays))}–${Math.round(Math.max(...delays))} ms` : 'n/a'} ` +
      `(bound: cap ${BACKOFF_CAP_MS / 1000} s + handshake ${HANDSHAKE_MS / 1000} s + ${SLACK_MS / 1000} s slack` +
      PROVIDERS.filter((p) => RETRY_WAIT[p] !== BACKOFF_CAP_MS)
        .map((p) => `; ${PROVIDER_NAMES[p]} retry wait ${RETRY_WAIT[p] / 1000} s`)
        .join('') +
      ')' +
      `; ${PROVIDERS.map((p) => sims[p].stats.accepted).reduce((a, b) => a + b, 0)} connections in all` +
      (kicks.length
        ? `; ${kicks.length} provider fault bursts (${[...new Set(kicks.map((e) => e.kind))].join(', ')}; ${(kickMs / 1000).toFixed(1)} s): ` +
          `${kickConnects} connects, ${Math.round(kickConnects / (kickMs / 60_000))} per minute ` +
          `(most in one: ${Math.max(...kicks.map((e) => e.connects as number))}; bound 8 + 2 per second)`
        : '') +
      storms.map((m) => `\n      storm: ${m}`).join('') +
      kickStorms
        .map(
          (e) =>
            `\n      storm: ${e.provider} ${e.kind}: ${e.connects} connects in ${Math.round((e.endAt as number) - e.startAt)} ms`,
        )
        .join('') +
      late
        .slice(0, 5)
        .map(
          (e) =>
            `\n      ${e.provider} ${e.kind}: ${e.recoveredAt === undefined ? 'never back' : `${Math.round((e.recoveredAt ?? 0) - (e.endAt ?? 0))} ms`}`,
        )
        .join(''),
  );

  const byKind: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts)) {
    const kind = k.slice(0, k.lastIndexOf(' '));
    byKind[kind] = (byKind[kind] ?? 0) + v;
  }
  const faultKinds = Object.entries(byKind)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const faultSummary = Object.entries(counts)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  process.stdout.write(
    `\nOrderbell soak — seed ${seed}, ${minutes} min, ${orders.length} orders (${perProvider} per provider), ` +
      `${pushed} pushed + ${restOnly} REST-only changes (during gaps) + ${unseenChanges} unseen changes (no catch-up), ` +
      `${strangerSteps} strangers' steps, ${lines} NDJSON lines, ${[...alerts.values()].reduce((a, b) => a + b, 0)} alerts ` +
      `(${orders.filter(expected).length} expected), ` +
      `${Object.values(unverifiedProblems).reduce((a, b) => a + b, 0)} unverified_after_gap problem lines ` +
      `(${Object.entries(unverifiedProblems)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})\n` +
      `faults by kind: ${faultKinds}\n` +
      `faults: ${faultSummary || 'none'}\n` +
      (WITHOUT_CATCH_UP.length
        ? `${namesOf(WITHOUT_CATCH_UP)} has no catch-up: its events wait for the link, and what changes while it is away is marked unverified.\n`
        : '') +
      '\n',
  );
  for (const r of results)
    process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}: ${r.detail}\n`);
  const failed = results.filter((r) => !r.ok).length;
  // Not "N passed, N failed": CI reads that line as the test suite's count, and npm test prints it.
  process.stdout.write(
    `\nsoak: ${failed === 0 ? 'all' : results.length - failed} of ${results.length} checks passed${failed ? `, ${failed} FAILED` : ''}\n`,
  );
  if (failed) process.stdout.write(`replay: npm run soak -- --minutes ${minutes} --seed ${seed}\n`);
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(
    join(ROOT, 'test-results', 'soak.json'),
    `${JSON.stringify({ seed, minutes, orders: orders.length, pushed, restOnly, unseenChanges, strangers: strangers.length, strangerSteps, unverifiedProblems, account, faults: counts, results, rss, episodes }, null, 2)}\n`,
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `soak: ${(err as Error).stack ?? String(err)}\nreplay: npm run soak -- --minutes ${minutes} --seed ${seed}\n`,
    );
    process.exit(1);
  },
);
