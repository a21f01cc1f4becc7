// The engine: sources feed observations in, the store decides what they mean, the ledger makes
// alerts exactly-once, and every face receives the same EngineEvent stream. No Electron here.
import { RECENT_LIMIT } from '../shared/limits.js';
import type { SecretMask } from '../shared/secret-mask.js';
import type { SourceStatus } from '../shared/source-status.js';
import { markOf, sameMark, type OrderMark } from '../shared/unverified.js';
import { AlertLedger, ledgerKey, type CompactResult, type LedgerEntry } from './alert-ledger.js';
import { alertText } from './alert-text.js';
import { UNVERIFIED_REASONS, type UnverifiedOrder } from './catch-up.js';
import type { Config, SourceConfig } from './config.js';
import type { Logger } from './log.js';
import { UnusableFrameLog } from './log-throttle.js';
import {
  Forwarder,
  OUTBOX_DAMAGED_CODE,
  type DeliveryStats,
  type ForwardTuning,
} from './forward/forwarder.js';
import type { NotifyChange, NotifyTarget, QuietHours } from '../shared/notify.js';
import type { PersistencePort } from './persistence.js';
import { testConnection, type ConnectionTestResult } from './connection-test.js';
import { createSource, ENGINE_PROVIDERS, type AdapterTuning } from './providers/index.js';
import { DAY_MS, GENEROUS_HORIZON_DAYS, isLedgerKeyNeeded, retentionMs } from './retention.js';
import type { OrderReportOptions, Source, SourceContext } from './source.js';
import { newSourceCounters, type SourceCounters, type SourceMetrics } from './source-counters.js';
import { orderIdProblem, TRACKED_ORDERS_LIMIT_CODE, TrackedOrderLimit } from './order-intake.js';
import { describeDamage, readState, STATE_VERSION } from './state-reader.js';
import { OrderStore, type OrderRecord } from './store.js';
import type {
  ActivityLine,
  ActivityUpdate,
  AlertLine,
  EngineEvent,
  OrderUpdate,
  ProblemLine,
} from './types.js';

export const STATE_FILE = 'orders.json';
/**
 * Writing the state costs in proportion to the orders it holds (each is serialized every time), so
 * the spacing of writes grows with them: 0.5 ms per order (tens of orders keep the 250 ms pace,
 * 1,000 orders save every 0.5 s, 10,000 every 5 s), and never less than ten times as long as the
 * last write took. Under a flood this keeps the saver near 1 % of the time and its garbage out of
 * the latency tail (npm run bench, figure 2); the alert ledger, not this file, is what makes alerts
 * exactly-once, and every source catches up after a restart.
 */
const SAVE_MS_PER_ORDER = 0.5;
const SAVE_DUTY_FACTOR = 10;
const MAX_SAVE_SPACING_MS = 5_000;
/** A `problem` line names at most this many orders (its `count` gives the total). */
export const PROBLEM_ORDER_IDS = 20;
export const UNVERIFIED_CODE = 'unverified_after_gap';
/** `problem` codes for a damaged state file (orders.json) and damaged alert-ledger lines. */
export const STATE_DAMAGED_CODE = 'state_file_damaged';
export const LEDGER_DAMAGED_CODE = 'alert_ledger_damaged';
/** Retention and ledger compaction run at start and then this often. */
export const HOUSEKEEPING_MS = 60 * 60 * 1000;

export interface EngineOptions {
  config: Config;
  persistence: PersistencePort;
  log: Logger;
  /** Minimum spacing of order-state writes (coalescing); default 250 ms = at most 4 writes/s. */
  saveIntervalMs?: number;
  tuning?: AdapterTuning;
  now?: () => Date;
  /** Spacing of retention and ledger compaction after the one at start (default 1 h). */
  housekeepingIntervalMs?: number;
  /** Learns every source's secrets as it is added, so the faces' outputs can mask them. */
  mask?: SecretMask;
  /** The most orders one source may track (order-intake.ts); tests set a small one. */
  maxTrackedOrdersPerSource?: number;
  /** Replaces the provider registry (unit tests drive the engine with scripted sources). */
  createSource?: (cfg: SourceConfig, ctx: SourceContext) => Source;
  /** Where alerts are forwarded (default: the config's `notify`). */
  notify?: NotifyTarget[];
  /** When forwards of most statuses wait (default: the config's `quietHours`). */
  quietHours?: QuietHours;
  /** Backoff, horizon, time zone and limits of forwarding (tests shorten them). */
  forward?: ForwardTuning;
}

// How a source looks from outside is shared with the window (shared/source-status.ts).
export type { SourceStatus } from '../shared/source-status.js';

export interface EngineSnapshot {
  sources: SourceStatus[];
  orders: OrderRecord[];
  activity: ActivityLine[];
  alerts: AlertLine[];
  problems: string[];
}

interface PersistedState {
  version: number;
  orders: unknown[];
  baselined?: string[];
  watched?: Record<string, string[]>;
  hidden?: string[];
}

interface SourceSlot {
  cfg: SourceConfig;
  source?: Source;
  status: SourceStatus;
  /** When the last frame arrived (ms); `status.lastMessageAt` is formatted from it when read. */
  heardAt?: number;
  /** Orders from the config file plus those added at run time. */
  watched: Set<string>;
  /** Its unusable-frame lines, throttled (absent for a disabled source). */
  frames?: UnusableFrameLog;
  /** Since when (ms) it has been in `status.state`: /healthz judges how long a source is down. */
  stateSinceMs: number;
  counters: SourceCounters;
}

export type EngineListener = (event: EngineEvent) => void;
export type MarkListener = (mark: OrderMark) => void;

export class Engine {
  readonly store = new OrderStore();
  readonly ledger: AlertLedger;
  private readonly tracked: TrackedOrderLimit;
  readonly problems: string[] = [];
  private readonly slots = new Map<string, SourceSlot>();
  private readonly listeners = new Set<EngineListener>();
  private readonly markListeners = new Set<MarkListener>();
  private readonly baselined = new Set<string>();
  /** Orders the user removed: not re-tracked when an all-orders stream mentions them again. */
  private readonly hidden = new Set<string>();
  private readonly runtimeWatched = new Map<string, Set<string>>();
  private readonly recentActivity: ActivityLine[] = [];
  private readonly recentAlerts: AlertLine[] = [];
  private readonly now: () => Date;
  private readonly saveIntervalMs: number;
  /** The last timestamp formatted, and for which ms: a burst formats each millisecond once. */
  private stampMs = Number.NaN;
  private stampText = '';
  private savedVersion = 0;
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private lastSaveAt = 0;
  private lastSaveMs = 0;
  private running = false;
  private housekeepingTimer: NodeJS.Timeout | undefined;
  private housekeeping: Promise<unknown> = Promise.resolve();
  private readonly forwarder: Forwarder;

  constructor(private readonly opts: EngineOptions) {
    this.ledger = new AlertLedger(opts.persistence, opts.log);
    this.forwarder = new Forwarder({
      persistence: opts.persistence,
      log: opts.log.child({ part: 'forward' }),
      now: () => this.nowMs(),
      emit: (line) => {
        if (line.kind === 'problem') this.problems.push(line.detail);
        this.emit(line);
      },
      ...(opts.mask ? { mask: opts.mask } : {}),
      ...(opts.forward ? { tuning: opts.forward } : {}),
    });
    this.now = opts.now ?? (() => new Date());
    this.saveIntervalMs = opts.saveIntervalMs ?? 250;
    this.tracked = new TrackedOrderLimit(
      (source) => this.ordersOf(source),
      () => this.nowMs(),
      opts.maxTrackedOrdersPerSource,
    );
  }

  on(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * An order's unverified mark was set or cleared. Not an EngineEvent: the NDJSON stream carries no
   * order line for a mark (contract §3; the `problem` line says it once per gap), but the faces
   * that show records (the window, the tray) must follow it. Returns unsubscribe.
   */
  onMark(listener: MarkListener): () => void {
    this.markListeners.add(listener);
    return () => this.markListeners.delete(listener);
  }

  async start(): Promise<void> {
    const rewriteState = await this.loadState();
    // The ledger logs its own problems; here they join the list and the stream.
    for (const problem of await this.ledger.load()) this.addProblem(LEDGER_DAMAGED_CODE, problem);
    for (const problem of await this.forwarder.load())
      this.addProblem(OUTBOX_DAMAGED_CODE, problem);
    await this.forwarder.setTargets(
      this.opts.notify ?? this.opts.config.notify ?? [],
      this.opts.quietHours ?? this.opts.config.quietHours,
    );
    // The saved order state is a second witness of what was announced: if the ledger was damaged,
    // finished orders in the state file still never alert twice.
    for (const r of this.store.all()) if (r.terminal) this.ledger.remember(ledgerEntryOf(r));
    this.savedVersion = this.store.version;
    // A partly damaged file was set aside whole: write what was kept now, so the next start finds
    // it (and does not report the same damage again).
    if (rewriteState) {
      this.savedVersion = -1;
      await this.writeState();
    }
    this.running = true;
    for (const cfg of this.opts.config.sources) this.addSlot(cfg);
    // Before any source connects (retired orders are not looked up or resubscribed), and after the
    // slots exist (a watched order's ledger key is kept).
    await this.runHousekeeping();
    this.housekeepingTimer = setInterval(
      () => void this.runHousekeeping(),
      this.opts.housekeepingIntervalMs ?? HOUSEKEEPING_MS,
    );
    this.housekeepingTimer.unref();
    // What the outbox held from the last run goes out now, each target on its own.
    await this.forwarder.start();
    for (const slot of this.slots.values()) slot.source?.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.housekeepingTimer);
    await this.forwarder.stop();
    await this.housekeeping;
    await Promise.all([...this.slots.values()].map((s) => s.source?.stop()));
    for (const slot of this.slots.values()) slot.frames?.close();
    await this.ledger.commit();
    await this.flush();
    await this.opts.persistence.close();
  }

  /** Write the order state now if it changed (also used at shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.saving;
    if (this.store.version === this.savedVersion) return;
    this.saving = this.writeState();
    await this.saving;
  }

  /**
   * Bounded growth (docs/config.md `retentionDays`): finished orders whose last update is older
   * than the retention leave the live store (the ledger keeps their key on disk first, so a re-send
   * never alerts), then the ledger is compacted to the keys still needed. Runs at start and every
   * `housekeepingIntervalMs`; exposed for tests and the bench.
   */
  async housekeep(options: { forceCompaction?: boolean } = {}): Promise<{
    retired: number;
    ledger: CompactResult;
  }> {
    const now = this.nowMs();
    const retired = this.store.retire(now, retentionMs(this.opts.config.retentionDays));
    for (const r of retired) this.ledger.retire(ledgerEntryOf(r));
    const inStore = new Set<string>();
    for (const r of this.store.all()) inStore.add(ledgerKey(r.provider, r.orderId));
    const watched = new Set<string>();
    for (const slot of this.slots.values()) {
      for (const id of slot.watched) watched.add(ledgerKey(slot.cfg.provider, id));
    }
    // compact() commits first: the retired orders' entries are on disk before the state file (and
    // with it the store's witness) can lose them. Entries outside the store and the watch lists go
    // to the ledger's compact tier; those are judged without a key (neither set holds them).
    const ledger = await this.ledger.compact(
      (e, key) =>
        isLedgerKeyNeeded(
          {
            atMs: e.atMs,
            inStore: key !== undefined && inStore.has(key),
            watched: key !== undefined && watched.has(key),
            horizonMs: resendHorizonDays(e.provider) * DAY_MS,
          },
          now,
        ),
      { pinned: [inStore, watched], ...(options.forceCompaction ? { force: true } : {}) },
    );
    if (retired.length > 0) this.scheduleSave();
    return { retired: retired.length, ledger };
  }

  /** `housekeep` from the timer: one at a time, failures reported and retried next time. */
  private runHousekeeping(): Promise<unknown> {
    this.housekeeping = this.housekeeping
      .then(() => this.housekeep())
      .catch((err: unknown) => {
        this.opts.log.error({ err: (err as Error).message }, 'housekeeping failed');
      });
    return this.housekeeping;
  }

  reconnectAll(): void {
    for (const slot of this.slots.values()) slot.source?.reconnectNow();
  }

  reconnect(sourceId: string): void {
    this.slots.get(sourceId)?.source?.reconnectNow();
  }

  watch(sourceId: string, orderId: string): void {
    const slot = this.slots.get(sourceId);
    if (!slot) throw new Error(`unknown source "${sourceId}"`);
    const id = orderId.trim();
    if (!id) throw new Error('order id must not be empty');
    this.hidden.delete(`${sourceId}\u0000${id}`);
    if (slot.watched.has(id)) return;
    slot.watched.add(id);
    let added = this.runtimeWatched.get(sourceId);
    if (!added) this.runtimeWatched.set(sourceId, (added = new Set()));
    added.add(id);
    slot.status.watched = [...slot.watched];
    this.store.version += 1;
    this.scheduleSave();
    slot.source?.watch(id);
  }

  unwatch(sourceId: string, orderId: string): void {
    const slot = this.slots.get(sourceId);
    if (!slot) throw new Error(`unknown source "${sourceId}"`);
    slot.watched.delete(orderId);
    this.runtimeWatched.get(sourceId)?.delete(orderId);
    slot.status.watched = [...slot.watched];
    this.hidden.add(`${sourceId}\u0000${orderId}`);
    this.store.remove(sourceId, orderId);
    this.store.version += 1;
    this.scheduleSave();
    slot.source?.unwatch(orderId);
  }

  /** Add a source, or replace one with the same id (its connection restarts). */
  async upsertSource(cfg: SourceConfig): Promise<void> {
    // The metrics' counters belong to the id: a replaced source keeps counting where it was.
    const counters = this.slots.get(cfg.id)?.counters;
    await this.removeSource(cfg.id);
    this.addSlot(cfg, counters);
    if (this.running) this.slots.get(cfg.id)?.source?.start();
  }

  async removeSource(id: string): Promise<void> {
    const slot = this.slots.get(id);
    if (!slot) return;
    this.slots.delete(id);
    await slot.source?.stop();
    slot.frames?.close();
  }

  sourceStatus(id: string): SourceStatus | undefined {
    const slot = this.slots.get(id);
    return slot ? { ...this.statusOf(slot), watched: [...slot.watched] } : undefined;
  }

  /** Every source's state and counters, for the service endpoints (cli/service-http.ts). */
  sourceMetrics(): SourceMetrics[] {
    return [...this.slots.values()].map((s) => ({
      id: s.cfg.id,
      provider: s.cfg.provider,
      enabled: s.cfg.enabled,
      state: s.status.state,
      stateSinceMs: s.stateSinceMs,
      ...(s.heardAt !== undefined ? { heardAtMs: s.heardAt } : {}),
      counters: s.counters,
    }));
  }

  sourceConfigs(): SourceConfig[] {
    return [...this.slots.values()].map((s) => s.cfg);
  }

  snapshot(): EngineSnapshot {
    return {
      sources: [...this.slots.values()].map((s) => ({
        ...this.statusOf(s),
        watched: [...s.watched],
      })),
      orders: [...this.store.all()],
      activity: [...this.recentActivity],
      alerts: [...this.recentAlerts],
      problems: [...this.problems],
    };
  }

  /** The slot's status with `lastMessageAt` brought up to date (it is not formatted per frame). */
  private statusOf(slot: SourceSlot): SourceStatus {
    if (slot.heardAt !== undefined) slot.status.lastMessageAt = this.format(slot.heardAt);
    return slot.status;
  }

  private addSlot(cfg: SourceConfig, counters = newSourceCounters()): void {
    this.opts.mask?.addSources([cfg]);
    const added = this.runtimeWatched.get(cfg.id) ?? new Set<string>();
    const fromConfig = 'orders' in cfg ? cfg.orders : [];
    const watched = new Set([...fromConfig, ...added]);
    const slot: SourceSlot = {
      cfg,
      watched,
      status: {
        id: cfg.id,
        provider: cfg.provider,
        enabled: cfg.enabled,
        state: 'offline',
        watched: [...watched],
        ...(cfg.label ? { label: cfg.label } : {}),
      },
      stateSinceMs: this.nowMs(),
      counters,
    };
    this.slots.set(cfg.id, slot);
    if (!cfg.enabled) {
      slot.status.detail = 'disabled';
      return;
    }
    const ctx = this.contextFor(slot);
    slot.source = this.opts.createSource
      ? this.opts.createSource(cfg, ctx)
      : createSource(cfg, ctx, this.opts.tuning ?? {});
  }

  /**
   * "Test connection": connects once with `cfg` (not added, nothing stored, no event emitted) and
   * reports the first verdict (connection-test.ts). `secrets` are scrubbed from the reason.
   */
  testConnection(
    cfg: SourceConfig,
    secrets: readonly string[],
    timeoutMs?: number,
  ): Promise<ConnectionTestResult> {
    return testConnection(cfg, secrets, {
      log: this.opts.log,
      ...(this.opts.tuning ? { tuning: this.opts.tuning } : {}),
      ...(this.opts.createSource ? { createSource: this.opts.createSource } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
  }

  private contextFor(slot: SourceSlot): SourceContext {
    const { id, provider } = slot.cfg;
    const log = this.opts.log.child({ source: id, provider });
    // Rate-limited per source: junk frames by the million must not flood stderr (or stall shutdown).
    const frames = new UnusableFrameLog(log, () => this.nowMs());
    slot.frames = frames;
    const ctx: SourceContext = {
      sourceId: id,
      provider,
      log,
      connection: (state, detail) => {
        if (state === slot.status.state && detail === slot.status.detail) return;
        if (state !== slot.status.state) slot.stateSinceMs = this.nowMs();
        if (state === 'reconnecting' && slot.status.state !== 'reconnecting') {
          slot.counters.reconnects += 1;
        }
        slot.status.state = state;
        if (detail) slot.status.detail = detail;
        else delete slot.status.detail;
        this.emit({
          kind: 'connection',
          source: id,
          provider,
          state,
          ...(detail ? { detail } : {}),
          at: this.stamp(),
        });
      },
      order: (update, options) => {
        // An id the engine cannot keep makes the frame unusable, like any other malformed field.
        const refused = orderIdProblem(update.orderId);
        if (refused === undefined) this.onOrder(slot, update, options);
        else ctx.protocolError(refused, update.orderId);
      },
      activity: (update) => this.onActivity(slot, update),
      heard: () => {
        slot.heardAt = this.nowMs();
        slot.counters.frames += 1;
      },
      lookedUp: () => {
        slot.counters.catchUpLookups += 1;
      },
      rtt: (ms) => {
        slot.status.rttMs = Math.round(ms * 10) / 10;
      },
      protocolError: (what, frame) => frames.report(what, frame),
      watched: () => this.liveWatched(slot),
      baselined: () => this.baselined.has(id),
      markBaselined: () => {
        if (this.baselined.has(id)) return;
        this.baselined.add(id);
        this.store.version += 1;
        this.scheduleSave();
      },
      openOrders: () => this.openOrders(slot),
      unverified: (since, orders) => this.onUnverified(slot, since, orders),
      verified: (orderId) => {
        const record = this.store.get(id, orderId);
        if (record && this.store.clearUnverified(record)) {
          this.scheduleSave();
          this.emitMark(record);
        }
      },
    };
    return ctx;
  }

  /** What a catch-up pass verifies: known unfinished orders of the source, then unknown watched ids. */
  private openOrders(slot: SourceSlot): string[] {
    const source = slot.cfg.id;
    const ids: string[] = [];
    for (const r of this.store.all()) if (r.source === source && !r.terminal) ids.push(r.orderId);
    for (const id of slot.watched) {
      if (!this.store.get(source, id) && !this.isRetired(source, slot.cfg.provider, id))
        ids.push(id);
    }
    return ids;
  }

  /**
   * The store let the order go after the retention, and this source recorded its finish. An order
   * whose saved record was lost (a damaged state file) is not retired: it is shown again, without
   * an alert. Only the source that recorded the finish counts: another source of the same provider
   * that never showed the order still may (without an alert: the ledger knows it).
   */
  private isRetired(source: string, provider: string, orderId: string): boolean {
    const entry = this.ledger.get(provider, orderId);
    return entry?.retired === true && entry.source === source && !this.store.get(source, orderId);
  }

  /** What a source subscribes to after a connect: its watched orders, less the retired ones. */
  private liveWatched(slot: SourceSlot): string[] {
    const { id, provider } = slot.cfg;
    const ids: string[] = [];
    for (const orderId of slot.watched)
      if (!this.isRetired(id, provider, orderId)) ids.push(orderId);
    return ids;
  }

  /** Marks the orders (persisted) and writes one `problem` line for the source and its gap. */
  private onUnverified(slot: SourceSlot, since: string, orders: readonly UnverifiedOrder[]): void {
    if (!this.running || orders.length === 0) return;
    const { id: source, provider } = slot.cfg;
    for (const o of orders) {
      const record = this.store.get(source, o.orderId);
      if (!record) continue; // a watched id the provider never reported: named by the line only
      const before = markOf(record);
      this.store.markUnverified(source, o.orderId, since, o.reason);
      if (!sameMark(before, record)) this.emitMark(record);
    }
    this.scheduleSave();
    const reasons = [...new Set(orders.map((o) => o.reason))];
    const names = orders.slice(0, PROBLEM_ORDER_IDS).map((o) => o.orderId);
    const more = orders.length > names.length ? ` and ${orders.length - names.length} more` : '';
    const line: ProblemLine = {
      kind: 'problem',
      source,
      provider,
      code: UNVERIFIED_CODE,
      detail:
        `${orders.length} order(s) could not be verified after the connection gap that began ` +
        `${since} (${reasons.map((r) => UNVERIFIED_REASONS[r]).join('; ')}): ` +
        `${names.join(', ')}${more}`,
      since,
      orderIds: names,
      count: orders.length,
      at: this.stamp(),
    };
    this.emit(line);
  }

  private onOrder(slot: SourceSlot, update: OrderUpdate, options: OrderReportOptions = {}): void {
    if (!this.running) return;
    const { id: source, provider } = slot.cfg;
    if (this.hidden.size > 0 && this.hidden.has(`${source}\u0000${update.orderId}`)) return;
    const known = this.store.get(source, update.orderId);
    if (!known && this.isRetired(source, provider, update.orderId)) {
      // Finished, announced and retired: a re-send is neither news nor a new order.
      this.opts.log.debug({ source, orderId: update.orderId }, 'retired order ignored');
      return;
    }
    if (!known && !this.admitNew(slot, update.orderId)) return;
    // `silent` (first snapshot of an all-orders source) only for orders never seen: one seen live
    // that finished while the link was down is exactly the alert catch-up exists for.
    const silent = options.silent === true && !known;
    const marked = known?.unverifiedSince !== undefined || known?.unverifiedReason !== undefined;
    const at = this.stamp();
    const result = this.store.apply(source, provider, update, at);
    // Any word about the order ends its mark (the store clears it), also when nothing else changed.
    if (marked && result.record.unverifiedSince === undefined) this.emitMark(result.record);
    if (result.outcome === 'new') this.tracked.added(source);
    if (result.outcome === 'new' || result.outcome === 'changed') {
      const r = result.record;
      slot.counters.orderUpdates += 1;
      this.emit({
        kind: 'order',
        source,
        provider,
        orderId: r.orderId,
        status: r.status,
        terminal: r.terminal,
        providerStatus: r.providerStatus,
        ...(r.details ? { details: r.details } : {}),
        at,
      });
      this.scheduleSave();
    } else if (result.outcome === 'noted') {
      this.scheduleSave(); // the timeline changed; the order line would say nothing new
    } else if (result.outcome === 'regression') {
      this.opts.log.debug({ source, orderId: update.orderId }, 'late update ignored');
    }
    if (!result.becameTerminal) return;
    const record = result.record;
    const claimed = this.ledger.claim({
      provider,
      source,
      orderId: record.orderId,
      status: record.status,
      at,
      ...(silent ? { silent: true } : {}),
    });
    if (!claimed || silent) {
      if (claimed) void this.ledger.commit();
      return;
    }
    const { title, body } = alertText(record);
    const alert: AlertLine = {
      kind: 'alert',
      source,
      provider,
      orderId: record.orderId,
      status: record.status,
      title,
      body,
      at,
    };
    // The outbox entry is on disk before the ledger's: a crash between the two repeats the alert
    // at most (at least once), where the other order could lose its forward.
    const counters = slot.counters;
    const announceAnyway = (err: Error): void => {
      // Announce anyway: a possible repeat after a restart is better than a lost alert.
      this.opts.log.error({ err: err.message }, 'alert ledger write failed');
      this.problems.push(`alert ledger write failed: ${err.message}`);
      this.announce(alert, counters);
    };
    // Without a target that wants it the ledger commit starts now, as before forwarding existed:
    // a burst of alerts then shares one ledger write instead of queueing one per alert.
    const committed = this.forwarder.wants(alert)
      ? this.forwarder.record(alert).then(() => this.ledger.commit())
      : this.ledger.commit();
    committed.then(() => this.announce(alert, counters), announceAnyway);
  }

  /**
   * Whether a new order may be tracked. Past the source's limit it is refused (not stored, no order
   * line, no alert) and the first refusal says so in one `problem` line; what is stored stays.
   */
  private admitNew(slot: SourceSlot, orderId: string): boolean {
    const { id: source, provider } = slot.cfg;
    const admission = this.tracked.admit(source, slot.watched.has(orderId));
    if (admission === 'admit') return true;
    if (admission === 'refuse-first') {
      const detail =
        `source ${JSON.stringify(source)} tracks ${this.tracked.limit} orders, its limit: ` +
        `new orders from it are not tracked and do not alert (orders already tracked and ` +
        `orders on its watch list still do); remove finished orders to make room`;
      this.opts.log.warn({ source, provider, limit: this.tracked.limit }, detail);
      this.emit({
        kind: 'problem',
        source,
        provider,
        code: TRACKED_ORDERS_LIMIT_CODE,
        detail,
        count: this.tracked.limit,
        at: this.stamp(),
      });
    }
    return false;
  }

  private ordersOf(source: string): number {
    let count = 0;
    for (const r of this.store.all()) if (r.source === source) count += 1;
    return count;
  }

  private announce(alert: AlertLine, counters: SourceCounters): void {
    counters.alerts += 1;
    this.recentAlerts.push(alert);
    if (this.recentAlerts.length > RECENT_LIMIT) this.recentAlerts.shift();
    this.emit(alert);
    this.forwarder.announced(alert);
  }

  // ---- forwarding (engine/forward/) ---------------------------------------------------------

  /**
   * Replace the notify targets and quiet hours at run time (window edits, a config reload, the
   * demo switch). A target left out only pauses; `removed` ones lose what waited for them.
   */
  setNotify(
    targets: NotifyTarget[],
    quietHours?: QuietHours,
    change: NotifyChange = {},
  ): Promise<void> {
    return this.forwarder.setTargets(targets, quietHours, change.removed);
  }

  /** One attempt at the target with a sample alert, outside the outbox; secrets masked. */
  testTarget(target: NotifyTarget): Promise<{ ok: boolean; detail: string }> {
    return this.forwarder.test(target);
  }

  /** Per target: deliveries this run by outcome, and the alerts waiting now. */
  deliveryStats(): DeliveryStats[] {
    return this.forwarder.stats();
  }

  /** Summarize alerts whose quiet hours ended (runs on a timer; tests with a clock call it). */
  releaseQuietHours(): Promise<void> {
    return this.forwarder.release();
  }

  private onActivity(slot: SourceSlot, update: ActivityUpdate): void {
    if (!this.running) return;
    const line: ActivityLine = {
      kind: 'activity',
      source: slot.cfg.id,
      provider: slot.cfg.provider,
      event: update.event,
      ...(update.entityId !== undefined ? { entityId: update.entityId } : {}),
      ...(update.detail !== undefined ? { detail: update.detail } : {}),
      at: this.stamp(),
    };
    this.recentActivity.push(line);
    if (this.recentActivity.length > RECENT_LIMIT) this.recentActivity.shift();
    this.emit(line);
  }

  private emitMark(record: OrderRecord): void {
    if (this.markListeners.size === 0) return;
    const mark = markOf(record);
    for (const listener of this.markListeners) {
      try {
        listener(mark);
      } catch (err) {
        this.opts.log.error({ err: (err as Error).message }, 'mark listener failed');
      }
    }
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.opts.log.error({ err: (err as Error).message }, 'event listener failed');
      }
    }
  }

  private stamp(): string {
    return this.format(this.nowMs());
  }

  private nowMs(): number {
    return this.opts.now ? this.now().getTime() : Date.now();
  }

  private format(ms: number): string {
    if (ms !== this.stampMs) {
      this.stampMs = ms;
      this.stampText = new Date(ms).toISOString();
    }
    return this.stampText;
  }

  // ---- persistence -------------------------------------------------------------------------

  private scheduleSave(): void {
    if (this.saveTimer || !this.running) return;
    const spacing = Math.max(
      this.saveIntervalMs,
      Math.min(
        MAX_SAVE_SPACING_MS,
        Math.max(this.lastSaveMs * SAVE_DUTY_FACTOR, this.store.size * SAVE_MS_PER_ORDER),
      ),
    );
    const wait = Math.max(0, this.lastSaveAt + spacing - Date.now());
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saving = this.saving.then(() => this.writeState());
    }, wait);
  }

  private async writeState(): Promise<void> {
    const version = this.store.version;
    if (version === this.savedVersion) return;
    this.lastSaveAt = Date.now();
    const port = this.opts.persistence;
    try {
      // Streamed in chunks where the port can: with thousands of orders the JSON is megabytes, and
      // building it in one piece stalled the event loop (and every update behind it) for tens of ms.
      if (port.writeParts) await port.writeParts(STATE_FILE, this.stateParts());
      else await port.write(STATE_FILE, [...this.stateParts()].join(''));
      this.savedVersion = version;
      this.lastSaveMs = Date.now() - this.lastSaveAt;
    } catch (err) {
      this.opts.log.error({ err: (err as Error).message }, 'saving order state failed');
    }
    // Changes that arrived while writing get their own (spaced) write.
    if (this.store.version !== this.savedVersion) this.scheduleSave();
  }

  /**
   * The state file, `JSON.stringify(state)` byte for byte (PersistedState, keys in that order), in
   * pieces: one per order record (cached by the store until the record changes).
   */
  private *stateParts(): Generator<string> {
    yield `{"version":${STATE_VERSION},"orders":[`;
    let first = true;
    for (const record of this.store.serialized()) {
      if (!first) yield ',';
      first = false;
      yield record;
    }
    const rest: Omit<PersistedState, 'version' | 'orders'> = {
      baselined: [...this.baselined],
      watched: Object.fromEntries([...this.runtimeWatched].map(([k, v]) => [k, [...v]])),
      hidden: [...this.hidden],
    };
    yield `],${JSON.stringify(rest).slice(1)}`;
  }

  /**
   * Restore the saved state (state-reader.ts checks every field). Never throws: an unreadable file
   * is set aside and the engine starts without it; a readable one keeps every good part, and when
   * something was dropped the original is set aside (nothing stored is lost) and the result is true:
   * the kept state must be written back.
   */
  private async loadState(): Promise<boolean> {
    let text: string | undefined;
    try {
      text = await this.opts.persistence.read(STATE_FILE);
    } catch (err) {
      await this.reportCorrupt(`cannot read ${STATE_FILE}: ${(err as Error).message}`);
      return false;
    }
    if (text === undefined) return false;
    const reading = readState(text);
    if (!reading.readable) {
      await this.reportCorrupt(`${STATE_FILE} is damaged (${reading.why})`);
      return false;
    }
    const { state } = reading;
    this.store.load(state.orders);
    for (const id of state.baselined) this.baselined.add(id);
    for (const key of state.hidden) this.hidden.add(key);
    for (const [source, ids] of state.watched) this.runtimeWatched.set(source, new Set(ids));
    if (reading.dropped.length === 0) return false;
    const aside = await this.opts.persistence.setAside(STATE_FILE);
    this.addProblem(
      STATE_DAMAGED_CODE,
      `${STATE_FILE} is partly damaged: ${describeDamage(reading)}; the original is kept aside as ` +
        `${aside ?? '(could not move)'}`,
    );
    // Rewriting over the only copy would lose what was dropped: only once it is safe aside.
    return aside !== undefined;
  }

  private async reportCorrupt(problem: string): Promise<void> {
    const aside = await this.opts.persistence.setAside(STATE_FILE);
    this.addProblem(
      STATE_DAMAGED_CODE,
      `${problem}; kept aside as ${aside ?? '(could not move)'}, starting with no saved orders (the alert ledger still prevents repeats)`,
    );
  }

  /**
   * A problem found at start: kept for the window's list (the faces log the list once started) and
   * written as a `problem` line for the stream.
   */
  private addProblem(code: string, detail: string): void {
    this.problems.push(detail);
    this.emit({ kind: 'problem', code, detail, at: this.stamp() });
  }
}

function ledgerEntryOf(r: OrderRecord): LedgerEntry {
  return {
    provider: r.provider,
    source: r.source,
    orderId: r.orderId,
    status: r.status,
    at: r.updatedAt,
  };
}

/** The provider's resend horizon; a name the registry does not know (an old log) gets the longest. */
function resendHorizonDays(provider: string): number {
  return Object.hasOwn(ENGINE_PROVIDERS, provider)
    ? ENGINE_PROVIDERS[provider as keyof typeof ENGINE_PROVIDERS].resendHorizonDays
    : GENEROUS_HORIZON_DAYS;
}
