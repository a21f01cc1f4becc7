// Which engine alerts become OS notifications, shared by every face: the Electron shell only shows
// the notices the bridge host hands it. Pure functions plus one small timer-driven coalescer.
import type { ActivityLine, AlertLine } from './lines.js';
import { PROVIDER_NAMES } from './providers.js';
import { PAUSED_UNTIL_RESUMED, type AlertOutcome, type NotificationPrefs } from './bridge.js';
import type { AlertableStatus } from './statuses.js';

/**
 * notify: show it now; hold: keep it for the window (paused or muted); drop: the user does not want
 * it.
 */
export type AlertDecision = 'notify' | 'hold' | 'drop';

export function isPaused(prefs: NotificationPrefs, now: number): boolean {
  return prefs.pausedUntil !== null && now < prefs.pausedUntil;
}

/** Muted for good (settings) or for a while (a notification's "Mute this source for 1 h"). */
export function isSourceMuted(prefs: NotificationPrefs, source: string, now: number): boolean {
  if (prefs.mutedSources.includes(source)) return true;
  const until = Object.hasOwn(prefs.mutedUntil, source) ? prefs.mutedUntil[source] : undefined;
  return until !== undefined && now < until;
}

/** Which sound an alert's status gets: every end but `completed` is failed-like. */
const OUTCOMES: Readonly<Record<AlertableStatus, AlertOutcome>> = {
  completed: 'completed',
  failed: 'failed',
  canceled: 'failed',
  expired: 'failed',
  refunded: 'failed',
  deleted: 'failed',
};

export function outcomeOf(status: string): AlertOutcome {
  return Object.hasOwn(OUTCOMES, status) ? OUTCOMES[status as AlertableStatus] : 'failed';
}

/** Whether this alert's notification plays a sound: the master switch and its outcome's. */
export function soundFor(alert: Pick<AlertLine, 'status'>, prefs: NotificationPrefs): boolean {
  return prefs.sound && prefs.outcomeSounds[outcomeOf(alert.status)];
}

export function decideAlert(
  alert: AlertLine,
  prefs: NotificationPrefs,
  now: number,
): AlertDecision {
  if (!(prefs.statuses as string[]).includes(alert.status)) return 'drop';
  if (isPaused(prefs, now) || isSourceMuted(prefs, alert.source, now)) return 'hold';
  return 'notify';
}

/** Activity never alerts unless the user turned its event type on (docs/headless.md). */
export function decideActivity(
  line: ActivityLine,
  prefs: NotificationPrefs,
  now: number,
): AlertDecision {
  if (!prefs.activityAlerts.includes(line.event)) return 'drop';
  if (isPaused(prefs, now) || isSourceMuted(prefs, line.source, now)) return 'drop';
  return 'notify';
}

/** What the shell shows as one OS notification. */
export interface AlertNotice {
  title: string;
  body: string;
  sound: boolean;
  /** The alerts this notice stands for (one, or a whole burst); empty for an activity notice. */
  alerts: AlertLine[];
  /** Clicking the notification opens the window on this order (single alerts only). */
  focus?: { source: string; orderId: string };
  /** Identifies the notice for the repeat check when it stands for no alert (degraded notices). */
  key?: string;
}

/**
 * The outcome whose sound a notice plays (macOS names one per outcome): failed-like when any of its
 * alerts is, completed when all are; undefined for a notice about no order (activity, degraded).
 */
export function noticeOutcome(notice: AlertNotice): AlertOutcome | undefined {
  if (notice.alerts.length === 0) return undefined;
  return notice.alerts.some((a) => outcomeOf(a.status) === 'failed') ? 'failed' : 'completed';
}

export function singleNotice(alert: AlertLine, sound: boolean): AlertNotice {
  return {
    title: alert.title,
    body: alert.body,
    sound,
    alerts: [alert],
    focus: { source: alert.source, orderId: alert.orderId },
  };
}

export function activityNotice(line: ActivityLine, sound: boolean): AlertNotice {
  const what = [line.event, line.entityId, line.detail].filter(Boolean).join(' · ');
  return {
    title: `${PROVIDER_NAMES[line.provider]}: ${line.event}`,
    body: what,
    sound,
    alerts: [],
  };
}

/** One notification for a burst: counts per status, and the first few order ids. */
export function summaryNotice(alerts: AlertLine[], sound: boolean): AlertNotice {
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  const parts = [...counts].map(([status, n]) => `${n} ${status}`);
  const ids = alerts.slice(0, 3).map((a) => a.orderId);
  const more = alerts.length > 3 ? ` and ${alerts.length - 3} more` : '';
  return {
    title: `${alerts.length} orders finished`,
    body: `${parts.join(', ')}: ${ids.join(', ')}${more}`,
    sound,
    alerts: [...alerts],
  };
}

/**
 * Given the alerts gathered in one burst window, what to show: up to threshold-1 alerts stay
 * individual notifications; threshold or more become one summary.
 */
export function coalesce(alerts: AlertLine[], sound: boolean, threshold = 3): AlertNotice[] {
  if (alerts.length === 0) return [];
  if (alerts.length >= threshold) return [summaryNotice(alerts, sound)];
  return alerts.map((a) => singleNotice(a, sound));
}

export interface CoalescerOptions {
  /** Alerts this close together are gathered into one window (a quiet gap ends it). */
  gapMs?: number;
  /** A window never lasts longer than this from its first alert. */
  windowMs?: number;
  threshold?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  now?: () => number;
}

/**
 * Gathers alerts that arrive in a burst (as after a reconnect, when several orders finish at once):
 * a window opens with the first alert and closes after `gapMs` without a new one, or `windowMs`
 * after it opened; then `coalesce` decides (>= threshold alerts → one summary). A lone alert is
 * shown after `gapMs` (a fraction of a second).
 */
export class AlertCoalescer {
  private readonly gapMs: number;
  private readonly windowMs: number;
  private readonly threshold: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly now: () => number;
  private pending: AlertLine[] = [];
  private sound = false;
  private openedAt = 0;
  private timer: unknown;

  constructor(
    private readonly deliver: (notice: AlertNotice) => void,
    opts: CoalescerOptions = {},
  ) {
    this.gapMs = opts.gapMs ?? 400;
    this.windowMs = opts.windowMs ?? 2_000;
    this.threshold = opts.threshold ?? 3;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.now = opts.now ?? Date.now;
  }

  push(alert: AlertLine, sound: boolean): void {
    const now = this.now();
    if (this.pending.length === 0) this.openedAt = now;
    this.pending.push(alert);
    this.sound = this.sound || sound;
    if (this.timer !== undefined) this.clearTimer(this.timer);
    const wait = Math.max(0, Math.min(this.gapMs, this.openedAt + this.windowMs - now));
    this.timer = this.setTimer(() => this.flush(), wait);
  }

  /** Deliver whatever is gathered now (also used at shutdown). */
  flush(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    const alerts = this.pending;
    const sound = this.sound;
    this.pending = [];
    this.sound = false;
    for (const notice of coalesce(alerts, sound, this.threshold)) this.deliver(notice);
  }

  dispose(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}

/** How long "Mute this source for 1 h" (a notification's action) mutes. */
export const MUTE_SOURCE_MS = 3_600_000;

/** `mutedUntil` with `source` muted for `ms` from now; entries already over are dropped. */
export function muteSourceFor(
  prefs: NotificationPrefs,
  source: string,
  now: number,
  ms = MUTE_SOURCE_MS,
): Record<string, number> {
  const kept = Object.entries(prefs.mutedUntil).filter(([, until]) => until > now);
  return { ...Object.fromEntries(kept), [source]: now + ms };
}

export type PauseChoice = '1h' | 'tomorrow' | 'resumed';

/** pausedUntil for a pause choice of the tray menu or the window ("tomorrow" = 08:00 local). */
export function pauseUntil(choice: PauseChoice, now: number): number {
  if (choice === '1h') return now + 3_600_000;
  if (choice === 'resumed') return PAUSED_UNTIL_RESUMED;
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(8, 0, 0, 0);
  return d.getTime();
}
