// The window's state: a snapshot from the bridge, then batches of changes applied at most once per
// animation frame (one render per frame, however many updates arrive). Big collections are
// `$state.raw` and replaced, never deeply proxied, so 10,000 orders stay cheap. Every field is
// private behind a getter: components read it, and change it only through the methods below.
import type {
  BridgeChange,
  BridgeSnapshot,
  ChangeBatch,
  NotificationPrefs,
  NotifyView,
  SourceView,
  StatusLabels,
} from '../../src-main/shared/bridge';
import { decideAlert } from '../../src-main/shared/alert-policy';
import { markEntriesRead, unreadCount, type AttentionEntry } from '../../src-main/shared/attention';
import { ATTENTION_LIMIT } from '../../src-main/shared/limits';
import { RECENT_LIMIT } from '../../src-main/shared/limits';
import type { ActivityLine, AlertLine, ProblemLine } from '../../src-main/shared/lines';
import { applyOrderLine, orderKey, type OrderRecord } from '../../src-main/shared/orders';
import { emptyStatusLabels } from '../../src-main/shared/providers';
import { applyMark, unverifiedBySource } from '../../src-main/shared/unverified';
import type { LinkState } from './ws-bridge';
import { counts, type Tally } from './orders';

/** Problem lines per source before any arrived (the map is replaced, never changed in place). */
const NO_PROBLEMS: ReadonlyMap<string, ProblemLine> = new Map();

/** No targets, no quiet hours: what a host without forwarding shows. */
const NO_NOTIFY: NotifyView = { targets: [], quietHours: null, failures: [] };

/** Toasts on screen at once: a window-only choice (the rest stay in the alert list). */
const TOAST_LIMIT = 2;

export type Scheduler = (fn: () => void) => void;

/** requestAnimationFrame, or a slow timer while the page is hidden (rAF stops there). */
export const frameScheduler: Scheduler = (fn) => {
  if (typeof document !== 'undefined' && document.hidden) setTimeout(fn, 500);
  else requestAnimationFrame(() => fn());
};

/** A request to open a source's form on its credentials ("Edit credentials" in the source bar). */
export interface EditRequest {
  id: string;
  n: number;
}

/** A request to scroll to and open an order; `n` makes a repeat of the same order count. */
export interface FocusRequest {
  source: string;
  orderId: string;
  n: number;
}

export class AppState {
  #loaded = $state(false);
  #demo = $state(false);
  #demoAvailable = $state(false);
  #platform = $state.raw<BridgeSnapshot['platform']>({
    kind: 'web',
    notificationsSupported: false,
    secretsProtected: true,
  });
  #statusLabels = $state.raw<StatusLabels>(emptyStatusLabels());
  #sources = $state.raw<SourceView[]>([]);
  #orders = $state.raw<OrderRecord[]>([]);
  #activity = $state.raw<ActivityLine[]>([]);
  #alerts = $state.raw<AlertLine[]>([]);
  #toasts = $state.raw<AlertLine[]>([]);
  #held = $state.raw<AlertLine[]>([]);
  #attention = $state.raw<AttentionEntry[]>([]);
  #unread = $derived(unreadCount(this.#attention));
  #problems = $state.raw<string[]>([]);
  #sourceProblems = $state.raw<ReadonlyMap<string, ProblemLine>>(NO_PROBLEMS);
  #prefs = $state.raw<NotificationPrefs>({
    statuses: [],
    sound: true,
    pausedUntil: null,
    mutedSources: [],
    activityAlerts: [],
    mutedUntil: {},
    outcomeSounds: { completed: false, failed: true },
  });
  #notify = $state.raw<NotifyView>(NO_NOTIFY);
  #focus = $state.raw<FocusRequest | null>(null);
  #link = $state<LinkState>('connecting');
  #editRequest = $state.raw<EditRequest | null>(null);
  #sourceLabels = $derived(Object.fromEntries(this.#sources.map((s) => [s.id, s.label ?? s.id])));
  #tally = $derived(counts(this.#orders));
  #unverified = $derived(unverifiedBySource(this.#orders));

  // Plain on purpose: rendering follows the $state.raw arrays above, replaced once per frame.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- see above
  readonly #orderMap = new Map<string, OrderRecord>();
  // A frame that only replaces known orders (the usual batch) copies the array and swaps those
  // entries in place instead of rebuilding it from the map: same order, less work and garbage.
  // Key → position in #orders, built when first needed after each rebuild.
  #orderIndex: Map<string, number> | null = null;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- see above
  readonly #replaced = new Map<string, OrderRecord>();
  /** An order came or went this frame: the array is rebuilt from the map. */
  #reshaped = false;
  #frames = 0;
  #seq = -1;
  #queue: ChangeBatch[] = [];
  #scheduled = false;
  #focusCount = 0;
  readonly #schedule: Scheduler;

  constructor(schedule: Scheduler = frameScheduler) {
    this.#schedule = schedule;
  }

  get loaded(): boolean {
    return this.#loaded;
  }
  get demo(): boolean {
    return this.#demo;
  }
  /** Whether this face can switch to the demo and back. */
  get demoAvailable(): boolean {
    return this.#demoAvailable;
  }
  get platform(): BridgeSnapshot['platform'] {
    return this.#platform;
  }
  get statusLabels(): StatusLabels {
    return this.#statusLabels;
  }
  get sources(): SourceView[] {
    return this.#sources;
  }
  /** Source id → what to call it (its label, else its id). */
  get sourceLabels(): Record<string, string> {
    return this.#sourceLabels;
  }
  get orders(): OrderRecord[] {
    return this.#orders;
  }
  /** Orders still active, and finished ones that failed, were refunded or expired (apart). */
  get tally(): Tally {
    return this.#tally;
  }
  /** Source id → its orders marked unverified after a gap (sources without any are absent). */
  get unverified(): ReadonlyMap<string, number> {
    return this.#unverified;
  }
  /**
   * Source id → the latest `problem` line about it heard while this window was open (the marks it
   * explains are in the records, so a window opened later still shows them).
   */
  get sourceProblems(): ReadonlyMap<string, ProblemLine> {
    return this.#sourceProblems;
  }
  get activity(): ActivityLine[] {
    return this.#activity;
  }
  get alerts(): AlertLine[] {
    return this.#alerts;
  }
  /** Alerts that arrived while the window was open: shown once, as toasts. */
  get toasts(): AlertLine[] {
    return this.#toasts;
  }
  get held(): AlertLine[] {
    return this.#held;
  }
  /** The attention list (shared/attention.ts), oldest first. */
  get attention(): AttentionEntry[] {
    return this.#attention;
  }
  /** Attention entries not marked read (the tab, the document title). */
  get unread(): number {
    return this.#unread;
  }
  get problems(): string[] {
    return this.#problems;
  }
  get prefs(): NotificationPrefs {
    return this.#prefs;
  }
  /** Forwarding targets (no secrets), quiet hours, and the targets that gave up. */
  get notify(): NotifyView {
    return this.#notify;
  }
  /** Set when a notification or a toast was clicked: the list scrolls to and opens this order. */
  get focus(): FocusRequest | null {
    return this.#focus;
  }
  /** The link to the app (web mode: its socket); actions are off while it is not 'open'. */
  get link(): LinkState {
    return this.#link;
  }
  /** Whether commands can reach the app now. */
  get linked(): boolean {
    return this.#link === 'open';
  }
  /** Set when "Edit credentials" was chosen: Settings opens this source's form. */
  get editRequest(): EditRequest | null {
    return this.#editRequest;
  }
  /** Frames in which changes were applied (measurement and tests). */
  get frames(): number {
    return this.#frames;
  }

  loadSnapshot(s: BridgeSnapshot): void {
    this.#seq = s.seq;
    this.#queue = this.#queue.filter((b) => b.seq > s.seq);
    this.#orderMap.clear();
    for (const r of s.orders) this.#orderMap.set(orderKey(r.source, r.orderId), r);
    this.#rebuildOrders();
    this.#demo = s.demo;
    this.#demoAvailable = s.demoAvailable;
    this.#platform = s.platform;
    this.#statusLabels = s.statusLabels;
    this.#sources = s.sources;
    this.#activity = s.activity;
    this.#alerts = s.alerts;
    this.#held = s.heldAlerts;
    this.#attention = s.attention ?? [];
    this.#problems = s.problems;
    this.#sourceProblems = NO_PROBLEMS;
    this.#prefs = s.prefs;
    this.#notify = s.notify ?? NO_NOTIFY;
    this.#toasts = [];
    this.#loaded = true;
    // A snapshot came through: the link works.
    this.#link = 'open';
    if (this.#queue.length > 0) this.#requestFrame();
  }

  /** The link dropped: changes until the next snapshot are meaningless. */
  reset(): void {
    this.#seq = -1;
    this.#queue = [];
  }

  receive(batch: ChangeBatch): void {
    this.#queue.push(batch);
    if (this.#loaded) this.#requestFrame();
  }

  /** Apply everything queued now (the frame callback; tests call it directly). */
  applyPending(): void {
    this.#scheduled = false;
    if (!this.#loaded || this.#seq < 0) return;
    const batches = this.#queue;
    this.#queue = [];
    let orders = false;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- plain on purpose: rendering follows the $state.raw arrays, replaced once per frame
    const sources = new Map(this.#sources.map((s) => [s.id, s]));
    let sourcesChanged = false;
    const activity: ActivityLine[] = [];
    const alerts: AlertLine[] = [];
    const problems: ProblemLine[] = [];
    for (const batch of batches) {
      if (batch.seq <= this.#seq) continue;
      const first = batch.seq - batch.changes.length + 1;
      batch.changes.forEach((change, i) => {
        if (first + i <= this.#seq) return;
        const r = this.#applyChange(change, sources, activity, alerts, problems);
        orders ||= r.orders;
        sourcesChanged ||= r.sources;
      });
      this.#seq = batch.seq;
    }
    if (orders) this.#publishOrders();
    if (sourcesChanged) this.#sources = [...sources.values()];
    if (activity.length > 0) this.#activity = [...this.#activity, ...activity].slice(-RECENT_LIMIT);
    if (problems.length > 0) {
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- plain on purpose: replaced, never changed in place
      const bySource = new Map(this.#sourceProblems);
      for (const p of problems) if (p.source !== undefined) bySource.set(p.source, p);
      this.#sourceProblems = bySource;
    }
    if (alerts.length > 0) {
      this.#alerts = [...this.#alerts, ...alerts].slice(-RECENT_LIMIT);
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- plain on purpose: rendering follows the $state.raw arrays, replaced once per frame
      const shown = new Set(this.#toasts.map((t) => orderKey(t.source, t.orderId)));
      const now = Date.now();
      // Toasts follow the same policy as OS notifications: nothing while paused or muted (those
      // go to the held list), nothing for statuses the user did not choose.
      const fresh = alerts.filter((a) => {
        if (decideAlert(a, this.#prefs, now) !== 'notify') return false;
        const key = orderKey(a.source, a.orderId);
        if (shown.has(key)) return false;
        shown.add(key);
        return true;
      });
      this.#toasts = [...this.#toasts, ...fresh].slice(-TOAST_LIMIT);
    }
    this.#frames += 1;
  }

  /** The link to the app changed (App follows the connection). */
  setLink(state: LinkState): void {
    this.#link = state;
  }

  /** Open this source's form on its credentials (Settings follows the request). */
  editSource(id: string): void {
    this.#focusCount += 1;
    this.#editRequest = { id, n: this.#focusCount };
  }

  dismissAllToasts(): void {
    this.#toasts = [];
  }

  dismissToast(alert: AlertLine): void {
    this.#toasts = this.#toasts.filter((t) => t !== alert);
  }

  /** Show this order (a clicked toast or notification): the orders tab scrolls to and opens it. */
  openOrder(source: string, orderId: string): void {
    this.#focusCount += 1;
    this.#focus = { source, orderId, n: this.#focusCount };
  }

  #requestFrame(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(() => this.applyPending());
  }

  #putOrder(key: string, record: OrderRecord): void {
    if (this.#orderMap.has(key)) this.#replaced.set(key, record);
    else this.#reshaped = true;
    this.#orderMap.set(key, record);
  }

  #dropOrder(key: string): void {
    if (this.#orderMap.delete(key)) this.#reshaped = true;
  }

  #rebuildOrders(): void {
    this.#orders = [...this.#orderMap.values()];
    this.#orderIndex = null;
    this.#replaced.clear();
    this.#reshaped = false;
  }

  /** The orders array after a frame's changes: the map's order, known orders replaced in place. */
  #publishOrders(): void {
    if (this.#reshaped) return this.#rebuildOrders();
    if (this.#replaced.size === 0) return;
    let index = this.#orderIndex;
    if (!index) {
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- plain on purpose, see #orderIndex
      index = new Map();
      this.#orders.forEach((r, i) => index?.set(orderKey(r.source, r.orderId), i));
      this.#orderIndex = index;
    }
    const orders = this.#orders.slice();
    for (const [key, record] of this.#replaced) {
      const i = index.get(key);
      if (i === undefined) return this.#rebuildOrders();
      orders[i] = record;
    }
    this.#replaced.clear();
    this.#orders = orders;
  }

  #applyChange(
    change: BridgeChange,
    sources: Map<string, SourceView>,
    activity: ActivityLine[],
    alerts: AlertLine[],
    problems: ProblemLine[],
  ): { orders: boolean; sources: boolean } {
    switch (change.type) {
      case 'event': {
        const e = change.event;
        if (e.kind === 'order') {
          const key = orderKey(e.source, e.orderId);
          this.#putOrder(key, applyOrderLine(this.#orderMap.get(key), e));
          return { orders: true, sources: false };
        }
        if (e.kind === 'activity') activity.push(e);
        else if (e.kind === 'alert') alerts.push(e);
        else if (e.kind === 'problem') problems.push(e);
        else if (e.kind === 'connection') {
          const s = sources.get(e.source);
          if (s) {
            const next: SourceView = { ...s, state: e.state };
            if (e.detail) next.detail = e.detail;
            else delete next.detail;
            sources.set(e.source, next);
            return { orders: false, sources: true };
          }
        }
        return { orders: false, sources: false };
      }
      case 'source':
        sources.set(change.source.id, change.source);
        return { orders: false, sources: true };
      case 'source-removed': {
        sources.delete(change.id);
        for (const [key, r] of this.#orderMap) {
          if (r.source === change.id) this.#dropOrder(key);
        }
        return { orders: true, sources: true };
      }
      case 'order-mark': {
        const key = orderKey(change.mark.source, change.mark.orderId);
        const known = this.#orderMap.get(key);
        // A mark on an order this window does not hold (removed meanwhile) has nothing to show.
        const next = known && applyMark(known, change.mark);
        if (!next || next === known) break;
        this.#putOrder(key, next);
        return { orders: true, sources: false };
      }
      case 'order-removed':
        this.#dropOrder(orderKey(change.source, change.orderId));
        return { orders: true, sources: false };
      case 'prefs':
        this.#prefs = change.prefs;
        break;
      case 'held':
        this.#held = change.heldAlerts;
        break;
      case 'attention-added':
        this.#attention = [...this.#attention, change.entry].slice(-ATTENTION_LIMIT);
        break;
      case 'attention-read':
        this.#attention = markEntriesRead(this.#attention, change.keys);
        break;
      case 'problems':
        this.#problems = change.problems;
        break;
      case 'demo':
        this.#demo = change.demo;
        break;
      case 'focus-order':
        this.openOrder(change.source, change.orderId);
        break;
      case 'notify':
        this.#notify = change.notify;
        break;
    }
    return { orders: false, sources: false };
  }
}
