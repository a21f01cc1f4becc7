// Keeps the tray in step with the app: redraws coalesced (a burst of engine events redraws once),
// one more redraw when a pause runs out (so the menu offers "Pause" again), and the count of failed
// orders the user has not seen, which lasts until the window is looked at. Time comes from an
// injected clock; the tray itself (TrayController) only draws what it is given.
import type { OrderStore } from '../engine/store.js';
import { isUnverified } from '../shared/unverified.js';
import type { EngineEvent, NormalizedStatus } from '../engine/types.js';
import type { BridgeHost, EnginePort } from '../shared/bridge-host.js';
import type { TrayInput } from './tray-picture.js';

/** Tray redraws are coalesced to at most this often (1,000 updates/s must not redraw 1,000×). */
export const TRAY_REFRESH_MS = 250;
/** Alert statuses that count as an unread failure for the tray until the window is looked at. */
const FAILURE_STATUSES: ReadonlySet<NormalizedStatus> = new Set(['failed']);
/** A pause ending further away than this is re-checked at a later redraw, not by a timer. */
const PAUSE_TIMER_HORIZON_MS = 86_400_000;
/** The pause-end redraw comes this long after the end, so the clock then reads past it. */
const PAUSE_END_SLACK_MS = 50;

/** What the tray shows that the feed does not own itself (it owns unread failures and the time). */
export type TrayFacts = Omit<TrayInput, 'unreadFailures' | 'now'>;

export interface TrayFeedOptions {
  /** Draws the tray (TrayController.update). */
  draw(input: TrayInput): void;
  /** Reads the facts to draw, at draw time. */
  facts(): TrayFacts;
  /** Whether the window is in front now (a failure seen there is not unread). */
  windowFocused(): boolean;
  now?: () => number;
  refreshMs?: number;
}

export class TrayFeed {
  private readonly now: () => number;
  private readonly refreshMs: number;
  private unread = 0;
  private redrawTimer: NodeJS.Timeout | undefined;
  private pauseTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: TrayFeedOptions) {
    this.now = opts.now ?? Date.now;
    this.refreshMs = opts.refreshMs ?? TRAY_REFRESH_MS;
  }

  get unreadFailures(): number {
    return this.unread;
  }

  /** An engine event: a failure the user does not see counts as unread; activity never redraws. */
  follow(event: EngineEvent): void {
    if (event.kind === 'alert' && FAILURE_STATUSES.has(event.status)) {
      if (!this.opts.windowFocused()) this.unread += 1;
    }
    if (event.kind !== 'activity') this.refresh();
  }

  /** The window was looked at: nothing is unread any more. */
  windowSeen(): void {
    if (this.unread === 0) return;
    this.unread = 0;
    this.refresh();
  }

  /** Redraw soon (coalesced with any other request in the next TRAY_REFRESH_MS). */
  refresh(): void {
    this.redrawTimer ??= setTimeout(() => this.draw(), this.refreshMs);
  }

  /** Redraw now. */
  draw(): void {
    this.redrawTimer = undefined;
    const input: TrayInput = { ...this.opts.facts(), unreadFailures: this.unread, now: this.now() };
    this.opts.draw(input);
    clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
    const until = input.pausedUntil;
    if (until !== null && until > input.now && until - input.now < PAUSE_TIMER_HORIZON_MS) {
      this.pauseTimer = setTimeout(() => this.refresh(), until - input.now + PAUSE_END_SLACK_MS);
      this.pauseTimer.unref();
    }
  }

  dispose(): void {
    clearTimeout(this.redrawTimer);
    clearTimeout(this.pauseTimer);
    this.redrawTimer = undefined;
    this.pauseTimer = undefined;
  }
}

/** The engine and host surface the tray reads. */
export interface TrayFactSources {
  engine: Pick<EnginePort, 'sourceConfigs' | 'sourceStatus'> & {
    readonly store: Pick<OrderStore, 'all'>;
  };
  host: Pick<BridgeHost, 'currentPrefs' | 'isDemo'> & Partial<Pick<BridgeHost, 'unreadAttention'>>;
}

/**
 * The configured sources' states, the orders still in flight and those marked unverified, the
 * pause and the demo flag.
 */
export function readTrayFacts({ engine, host }: TrayFactSources): TrayFacts {
  const ids = new Set(engine.sourceConfigs().map((c) => c.id));
  const sources = [...ids].flatMap((id) => engine.sourceStatus(id) ?? []);
  let activeOrders = 0;
  let unverifiedOrders = 0;
  for (const r of engine.store.all()) {
    if (!ids.has(r.source)) continue;
    if (!r.terminal) activeOrders += 1;
    if (isUnverified(r)) unverifiedOrders += 1;
  }
  return {
    sources,
    activeOrders,
    unverifiedOrders,
    pausedUntil: host.currentPrefs.pausedUntil,
    demo: host.isDemo,
    unreadAlerts: host.unreadAttention ?? 0,
  };
}
