// Forwarding (docs/config.md, `notify`): every alert goes to the targets that want it, through the
// durable outbox, at least once and in order per target, each target on its own so one that is
// down holds up nothing else. A failed attempt is retried with jittered backoff for 24 h (counted
// from when the alert was recorded, across restarts), then given up with a `problem` line.
//
// Quiet hours hold alerts whose status is not in `except`: they wait in the outbox and go out as
// one summary per target when the quiet hours end (payload.ts).
import {
  alertId,
  targetSecretsOf,
  targetWants,
  type NotifyTarget,
  type QuietHours,
} from '../../shared/notify.js';
import { isQuiet, quietEndsAt, systemTimeZone } from '../../shared/quiet-hours.js';
import type { SecretMask } from '../../shared/secret-mask.js';
import { backoffDelay, type BackoffPolicy } from '../backoff.js';
import type { Logger } from '../log.js';
import type { PersistencePort } from '../persistence.js';
import type { AlertLine, DeliveryLine, ProblemLine, ProviderKey } from '../types.js';
import { Outbox, type OutboxAlert, type OutboxSummary } from './outbox.js';
import {
  forwardAlertOf,
  payloadId,
  summaryId,
  summaryOf,
  type ForwardAlert,
  type ForwardPayload,
} from './payload.js';
import {
  createSender,
  DETAIL_CHARS,
  type SendLimits,
  type Sender,
  type SendResult,
} from './send.js';

export const DELIVERY_FAILED_CODE = 'delivery_failed';
export const OUTBOX_DAMAGED_CODE = 'outbox_damaged';
export const OUTBOX_FULL_CODE = 'outbox_full';
/** First retry within 5 s, doubling, never more than 10 min apart. */
export const DELIVERY_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 600_000, factor: 2 };
/** A retry never comes sooner than this (full jitter may draw 0). */
const MIN_RETRY_MS = 250;
export const DELIVERY_HORIZON_MS = 24 * 60 * 60 * 1000;
/** The most alerts waiting for one target; past it new ones are refused with a problem line. */
export const MAX_PENDING_PER_TARGET = 10_000;
/** `testTarget` waits this long at most. */
export const TEST_TIMEOUT_MS = 10_000;

export interface ForwardTuning {
  backoff?: BackoffPolicy;
  horizonMs?: number;
  /** Time zone of the quiet hours (default: the system's). */
  timeZone?: string;
  limits?: Partial<SendLimits>;
  /** Replaces the real sender (a test that counts attempts). */
  sender?: Sender;
  random?: () => number;
  /** The most alerts waiting for one target (default MAX_PENDING_PER_TARGET; tests lower it). */
  maxPending?: number;
}

export interface ForwarderOptions {
  persistence: PersistencePort;
  log: Logger;
  now: () => number;
  emit: (line: DeliveryLine | ProblemLine) => void;
  mask?: SecretMask;
  tuning?: ForwardTuning;
}

export interface DeliveryStats {
  target: string;
  /** The target's type (`webhook`, `ntfy`, `exec`): a metrics label. */
  type: NotifyTarget['type'];
  // Counted per alert, one for each `delivery` line of that state (a summary of N alerts counts
  // N), so the metrics and the stream always agree.
  /** Alerts delivered this run. */
  delivered: number;
  /** Alerts whose attempt failed and will be tried again, this run (one per attempt). */
  retrying: number;
  /** Alerts given up or refused (outbox full), this run. */
  failed: number;
  /** Alerts waiting for the target now (held ones included). */
  outboxDepth: number;
}

/** One unit of a target's queue: an alert, or the summary of held ones. */
type Work = { kind: 'alert'; entry: OutboxAlert } | { kind: 'summary'; summary: OutboxSummary };

interface Lane {
  target: NotifyTarget;
  busy: boolean;
  timer?: NodeJS.Timeout;
  abort?: AbortController;
  /** The attempt under way (stop waits for it, so its outcome is written before the port closes). */
  inflight?: Promise<void>;
  stats: DeliveryStats;
}

export class Forwarder {
  private readonly outbox: Outbox;
  private readonly lanes = new Map<string, Lane>();
  private quiet: QuietHours | undefined;
  /** Alerts recorded but not yet announced: the `delivery` line must not come before the alert's. */
  private readonly unannounced = new Set<string>();
  private readonly sender: Sender;
  private readonly backoff: BackoffPolicy;
  private readonly horizonMs: number;
  /** Given in tuning, or the system's, looked up on first use (see `timeZone`). */
  private zone: string | undefined;
  private releaseTimer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly fullTold = new Set<string>();
  /** Per target, kept while its lane is paused, so its counters never go back. */
  private readonly counts = new Map<string, DeliveryStats>();
  private readonly maxPending: number;

  constructor(private readonly opts: ForwarderOptions) {
    this.outbox = new Outbox(opts.persistence, opts.log);
    const t = opts.tuning ?? {};
    this.sender = t.sender ?? createSender(t.limits);
    this.backoff = t.backoff ?? DELIVERY_BACKOFF;
    this.horizonMs = t.horizonMs ?? DELIVERY_HORIZON_MS;
    this.zone = t.timeZone;
    this.maxPending = t.maxPending ?? MAX_PENDING_PER_TARGET;
  }

  /**
   * Only quiet hours need the zone. Asking for the system's loads ICU's time-zone data, about 7 MB
   * of resident memory in a service that never sets quiet hours (bench figure 8).
   */
  private get timeZone(): string {
    this.zone ??= systemTimeZone();
    return this.zone;
  }

  /** Read the outbox; returns problems found (a damaged journal). */
  load(): Promise<string[]> {
    return this.outbox.load();
  }

  /**
   * The targets and quiet hours now in force (config, window edits, a reload, the demo switch).
   * A target not handed in (disabled, or every target while the demo runs) is paused: what waits
   * for it stays in the outbox and goes out when it is back. Only `removed` (the user deleted the
   * target) drops its pending work.
   */
  async setTargets(
    targets: readonly NotifyTarget[],
    quietHours?: QuietHours,
    removed: readonly string[] = [],
  ): Promise<void> {
    this.opts.mask?.addTargets(targets);
    this.quiet = quietHours;
    const live = new Map(targets.filter((t) => t.enabled !== false).map((t) => [t.id, t]));
    for (const [id, lane] of this.lanes) {
      if (live.has(id)) continue;
      clearTimeout(lane.timer);
      lane.abort?.abort();
      this.lanes.delete(id);
    }
    for (const [id, target] of live) {
      const lane = this.lanes.get(id);
      if (lane) lane.target = target;
      else this.lanes.set(id, { target, busy: false, stats: this.countsOf(id, target.type) });
    }
    for (const t of new Set(removed)) {
      if (live.has(t) || !this.hasWork(t)) continue;
      this.opts.log.warn(
        { target: t },
        'notify target removed: its pending deliveries are dropped',
      );
      await this.outbox.dropTargetWork(t);
    }
    if (this.running) await this.release();
  }

  private countsOf(target: string, type: NotifyTarget['type']): DeliveryStats {
    let c = this.counts.get(target);
    if (!c) this.counts.set(target, (c = emptyStats(target, type)));
    return c;
  }

  private hasWork(target: string): boolean {
    if ((this.outbox.summaries.get(target)?.size ?? 0) > 0) return true;
    for (const e of this.outbox.alerts.values()) if (e.targets.has(target)) return true;
    return false;
  }

  /** Begin sending what the outbox holds (after load and setTargets). */
  async start(): Promise<void> {
    this.running = true;
    await this.release();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.releaseTimer);
    for (const lane of this.lanes.values()) {
      clearTimeout(lane.timer);
      lane.timer = undefined;
      // An attempt cut short is retried on the next start (at least once).
      lane.abort?.abort();
    }
    await Promise.all([...this.lanes.values()].map((l) => l.inflight));
    await this.outbox.settled();
  }

  /** Whether any target takes this alert (nothing is written when none does). */
  wants(alert: AlertLine): boolean {
    for (const lane of this.lanes.values()) if (targetWants(lane.target, alert.status)) return true;
    return false;
  }

  /**
   * Record the alert for every target that takes it; resolves once it is on disk. Sending waits
   * for `announced` (or a restart), so the stream says `alert` before any `delivery`.
   */
  async record(alert: AlertLine): Promise<void> {
    const fa = forwardAlertOf(alert);
    const targets: string[] = [];
    for (const lane of this.lanes.values()) {
      if (!targetWants(lane.target, alert.status)) continue;
      if (this.depth(lane.target.id) >= this.maxPending) {
        this.refuseFull(lane, alert);
        continue;
      }
      targets.push(lane.target.id);
    }
    if (targets.length === 0) return;
    const now = this.opts.now();
    const held =
      this.quiet &&
      !(this.quiet.except ?? []).includes(alert.status) &&
      isQuiet(this.quiet, new Date(now), this.timeZone)
        ? quietEndsAt(this.quiet, new Date(now), this.timeZone).toISOString()
        : undefined;
    this.unannounced.add(fa.id);
    try {
      await this.outbox.add(fa, targets, now, held);
    } catch {
      // Logged by the outbox; the alert is still sent from memory (it is not lost this run).
    }
  }

  /** The alert's line is out: its deliveries may begin. */
  announced(alert: AlertLine): void {
    if (!this.unannounced.delete(alertId(alert.source, alert.orderId, alert.status))) return;
    if (!this.running) return;
    for (const lane of this.lanes.values()) this.pump(lane);
    this.scheduleRelease();
  }

  /**
   * Turn held alerts whose quiet hours are over into one summary per target, then (re)start every
   * lane. Also what the release timer runs; exposed for tests with an injected clock.
   */
  async release(): Promise<void> {
    const now = this.opts.now();
    const quietNow = this.quiet !== undefined && isQuiet(this.quiet, new Date(now), this.timeZone);
    // Per target, per end of quiet hours: the alerts that end then (or every held one, when quiet
    // hours are off now, e.g. removed from the config).
    const groups = new Map<string, Map<string, string[]>>();
    for (const e of this.outbox.alerts.values()) {
      if (!e.heldUntil) continue;
      const due = Date.parse(e.heldUntil) <= now || !quietNow;
      if (!due) continue;
      for (const t of this.releasableTargets(e)) {
        let byEnd = groups.get(t);
        if (!byEnd) groups.set(t, (byEnd = new Map()));
        const list = byEnd.get(e.heldUntil) ?? [];
        list.push(e.alert.id);
        byEnd.set(e.heldUntil, list);
      }
    }
    for (const [target, byEnd] of groups) {
      for (const [end, members] of byEnd) {
        const id = summaryId(end);
        if (this.outbox.summaries.get(target)?.has(id)) continue;
        await this.outbox.addSummary(target, id, members, now).catch(() => undefined);
      }
    }
    if (!this.running) return;
    for (const lane of this.lanes.values()) this.pump(lane);
    this.scheduleRelease();
  }

  /**
   * The targets a held alert still waits to be summarized for: announced, the target active, and
   * not yet in one of its summaries. An alert already summarized everywhere (its summary perhaps
   * still being retried) or held for a paused target needs no release timer.
   */
  private releasableTargets(e: OutboxAlert): string[] {
    if (!e.heldUntil || this.unannounced.has(e.alert.id)) return [];
    return [...e.targets].filter((t) => this.lanes.has(t) && !this.inSummary(t, e.alert.id));
  }

  private inSummary(target: string, id: string): boolean {
    for (const s of this.outbox.summaries.get(target)?.values() ?? [])
      if (s.members.includes(id)) return true;
    return false;
  }

  /**
   * A timer for the next end of quiet hours that holds something still to be summarized. Alerts
   * already in a summary do not count: their ends are past, and a timer for them would fire at
   * once, again and again, for as long as the summary is being retried.
   */
  private scheduleRelease(): void {
    clearTimeout(this.releaseTimer);
    this.releaseTimer = undefined;
    if (!this.running) return;
    let next = Infinity;
    for (const e of this.outbox.alerts.values())
      if (this.releasableTargets(e).length > 0) next = Math.min(next, Date.parse(e.heldUntil!));
    if (!Number.isFinite(next)) return;
    const wait = Math.min(Math.max(0, next - this.opts.now()), 2 ** 31 - 1);
    this.releaseTimer = setTimeout(() => void this.release(), wait);
    this.releaseTimer.unref();
  }

  /** The target's next piece of work: the oldest alert not held, or a summary, by recording order. */
  private head(target: string): Work | undefined {
    let best: Work | undefined;
    let bestSeq = Infinity;
    for (const e of this.outbox.alerts.values()) {
      if (e.seq >= bestSeq) break; // insertion order is seq order for new entries
      if (!e.targets.has(target) || e.heldUntil) continue;
      best = { kind: 'alert', entry: e };
      bestSeq = e.seq;
    }
    for (const s of this.outbox.summaries.get(target)?.values() ?? []) {
      if (s.seq < bestSeq) {
        best = { kind: 'summary', summary: s };
        bestSeq = s.seq;
      }
    }
    return best;
  }

  private pump(lane: Lane): void {
    if (!this.running || lane.busy || lane.timer) return;
    const work = this.head(lane.target.id);
    if (!work) return;
    if (work.kind === 'alert' && this.unannounced.has(work.entry.alert.id)) return; // `announced` pumps again
    lane.busy = true;
    lane.inflight = this.attempt(lane, work)
      .catch((err: unknown) => {
        this.opts.log.error({ err: (err as Error).message }, 'delivery attempt failed');
      })
      .finally(() => {
        lane.busy = false;
        lane.inflight = undefined;
        if (this.lanes.get(lane.target.id) === lane) this.pump(lane);
      });
  }

  private async attempt(lane: Lane, work: Work): Promise<void> {
    const target = lane.target;
    const payload = this.payloadOf(work);
    const abort = new AbortController();
    lane.abort = abort;
    let result: SendResult;
    try {
      result = await this.sender(target, payload, abort.signal);
    } catch (err) {
      result = { ok: false, detail: (err as Error).message };
    }
    lane.abort = undefined;
    // Taken is taken, even while stopping; a failure cut short by a stop is simply retried later.
    if (!result.ok && (abort.signal.aborted || !this.running || this.lanes.get(target.id) !== lane))
      return;
    const id = payloadId(payload);
    const attempt = this.attemptsOf(work, target.id) + 1;
    const detail = this.masked(target, result.detail);
    // Before `done`: a summary's members leave the outbox with it.
    const alerts = work.kind === 'alert' ? [work.entry.alert] : this.membersOf(work.summary);
    if (result.ok) {
      await this.outbox.done(target.id, id, 'delivered').catch(() => undefined);
      this.emitDelivery(lane, work, alerts, 'delivered', attempt);
      return;
    }
    if (!this.running) return;
    const now = this.opts.now();
    const since = work.kind === 'alert' ? work.entry.atMs : work.summary.atMs;
    if (now - since >= this.horizonMs) {
      await this.outbox.done(target.id, id, 'failed').catch(() => undefined);
      this.emitDelivery(lane, work, alerts, 'failed', attempt);
      this.giveUp(target.id, work, attempt, detail);
      return;
    }
    if (work.kind === 'alert') work.entry.attempts.set(target.id, attempt);
    else work.summary.attempts = attempt;
    await this.outbox.attempted(target.id, id, attempt).catch(() => undefined);
    this.emitDelivery(lane, work, alerts, 'retrying', attempt);
    this.opts.log.warn({ target: target.id, id, attempt, detail }, 'delivery failed, will retry');
    const delay = Math.max(
      MIN_RETRY_MS,
      Math.min(
        backoffDelay(this.backoff, attempt - 1, this.opts.tuning?.random),
        since + this.horizonMs - now,
      ),
    );
    lane.timer = setTimeout(() => {
      lane.timer = undefined;
      this.pump(lane);
    }, delay);
    lane.timer.unref();
  }

  private attemptsOf(work: Work, target: string): number {
    return work.kind === 'alert' ? (work.entry.attempts.get(target) ?? 0) : work.summary.attempts;
  }

  private membersOf(summary: OutboxSummary): ForwardAlert[] {
    return summary.members.flatMap((m) => {
      const e = this.outbox.alerts.get(m);
      return e ? [e.alert] : [];
    });
  }

  private payloadOf(work: Work): ForwardPayload {
    if (work.kind === 'alert') return { kind: 'alert', alert: work.entry.alert };
    const at = new Date(work.summary.atMs).toISOString();
    return {
      kind: 'summary',
      summary: summaryOf(work.summary.id, at, this.membersOf(work.summary)),
    };
  }

  /**
   * One `delivery` line per alert concerned (a summary: each of its alerts, naming the summary),
   * and one count for each line, so the metrics say what the stream says.
   */
  private emitDelivery(
    lane: Lane,
    work: Work,
    alerts: readonly ForwardAlert[],
    state: DeliveryLine['state'],
    attempt: number,
  ): void {
    const at = new Date(this.opts.now()).toISOString();
    for (const a of alerts) {
      lane.stats[state] += 1;
      this.opts.emit({
        kind: 'delivery',
        target: lane.target.id,
        source: a.source,
        provider: a.provider as ProviderKey,
        orderId: a.orderId,
        status: a.status,
        state,
        attempt,
        ...(work.kind === 'summary' ? { summary: work.summary.id } : {}),
        at,
      });
    }
  }

  private giveUp(target: string, work: Work, attempt: number, detail: string): void {
    const what =
      work.kind === 'alert'
        ? `alert ${work.entry.alert.id}`
        : `quiet-hours summary ${work.summary.id} (${work.summary.members.length} alerts)`;
    const hours = Math.round((this.horizonMs / 3_600_000) * 10) / 10;
    const text = `notify target ${JSON.stringify(target)} gave up on ${what} after ${attempt} attempts over ${hours} h; last answer: ${detail}`;
    this.opts.log.error({ target, attempt }, text);
    const line: ProblemLine = {
      kind: 'problem',
      code: DELIVERY_FAILED_CODE,
      detail: text,
      at: new Date(this.opts.now()).toISOString(),
    };
    if (work.kind === 'alert') {
      line.source = work.entry.alert.source;
      line.provider = work.entry.alert.provider as ProviderKey;
    }
    this.opts.emit(line);
  }

  private refuseFull(lane: Lane, alert: AlertLine): void {
    const target = lane.target.id;
    lane.stats.failed += 1;
    this.opts.emit({
      kind: 'delivery',
      target,
      source: alert.source,
      provider: alert.provider,
      orderId: alert.orderId,
      status: alert.status,
      state: 'failed',
      attempt: 0,
      at: new Date(this.opts.now()).toISOString(),
    });
    if (this.fullTold.has(target)) return;
    this.fullTold.add(target);
    this.opts.emit({
      kind: 'problem',
      code: OUTBOX_FULL_CODE,
      detail: `notify target ${JSON.stringify(target)} has ${this.maxPending} alerts waiting, its limit: new alerts are not queued for it until it takes some`,
      at: new Date(this.opts.now()).toISOString(),
    });
  }

  private depth(target: string): number {
    let n = 0;
    for (const e of this.outbox.alerts.values()) if (e.targets.has(target)) n += 1;
    return n;
  }

  private masked(target: NotifyTarget, text: string): string {
    let out = text;
    for (const s of targetSecretsOf(target)) if (s) out = out.split(s).join('[redacted]');
    return this.opts.mask ? this.opts.mask.text(out) : out;
  }

  stats(): DeliveryStats[] {
    return [...this.lanes.values()].map((l) => ({
      ...l.stats,
      type: l.target.type,
      outboxDepth: this.depth(l.target.id),
    }));
  }

  /** One attempt with a sample alert, outside the outbox (the window's "Send test"). */
  async test(target: NotifyTarget): Promise<{ ok: boolean; detail: string }> {
    this.opts.mask?.addTargets([target]);
    const at = new Date(this.opts.now()).toISOString();
    const payload: ForwardPayload = {
      kind: 'alert',
      alert: {
        id: `test:${at}`,
        source: 'test',
        provider: 'orderbell',
        orderId: 'test',
        status: 'completed',
        title: 'Orderbell: test alert',
        body: 'If you can read this, alerts reach this target.',
        at,
      },
    };
    const sender =
      this.opts.tuning?.sender ??
      createSender({
        ...this.opts.tuning?.limits,
        httpTimeoutMs: TEST_TIMEOUT_MS,
        execTimeoutMs: TEST_TIMEOUT_MS,
      });
    const result = await sender(target, payload, AbortSignal.timeout(TEST_TIMEOUT_MS + 1_000));
    return {
      ok: result.ok,
      detail: this.masked(target, result.detail).slice(0, DETAIL_CHARS + 40),
    };
  }
}

function emptyStats(target: string, type: NotifyTarget['type']): DeliveryStats {
  return { target, type, delivered: 0, retrying: 0, failed: 0, outboxDepth: 0 };
}
