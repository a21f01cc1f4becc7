// Which engine alerts reach the user, and how: the notification prefs decide (alert-policy.ts), a
// burst is coalesced into one summary, alerts held back (paused, muted) are kept (persisted, at most
// HELD_LIMIT) for the window, and activity notifies only for the event types the user turned on.
// The face shows the notices it is handed; this module owns the prefs and the held list.
import type { Logger } from '../../engine/log.js';
import type { ActivityLine, AlertLine, ConnectionLine, EngineEvent } from '../../engine/types.js';
import {
  activityNotice,
  AlertCoalescer,
  decideActivity,
  decideAlert,
  isPaused,
  singleNotice,
  summaryNotice,
  isSourceMuted,
  soundFor,
  type AlertNotice,
  type CoalescerOptions,
} from '../alert-policy.js';
import type { BridgeChange, NotificationPrefs } from '../bridge.js';
import type { QuietHours } from '../notify.js';
import { isQuiet, quietEndsAt } from '../quiet-hours.js';
import { HELD_LIMIT, type SettingsPort } from '../settings-port.js';
import { DegradedWatch, type DegradedNotice } from './degraded-watch.js';

export interface AlertRouterOptions {
  settings: SettingsPort;
  enqueue: (change: BridgeChange) => void;
  /** Reports a settings write that may fail later (see ProblemList.watchSave). */
  watchSave: (result: Promise<void> | void) => void;
  log: Logger;
  coalescer?: CoalescerOptions;
  now?: () => number;
  /** Every alert the user wants (notified or held), for the attention list. */
  onWanted?: (alert: AlertLine) => void;
  /** A source's label and whether it is enabled (for the "monitoring degraded" notices). */
  sourceInfo?: (id: string) => { label?: string; enabled: boolean } | undefined;
  /** Offline / auth_failed this long before "monitoring degraded" (default 5 min). */
  degradedAfterMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Local time for quiet hours is read in this zone; default the system's. */
  timeZone?: string;
}

/** The one notice shown when quiet hours end, for everything that waited. */
export function quietSummary(
  alerts: AlertLine[],
  others: AlertNotice[],
  prefs: NotificationPrefs,
  key: string,
): AlertNotice | undefined {
  const sound = alerts.some((a) => soundFor(a, prefs)) || others.some((n) => n.sound);
  if (alerts.length === 1 && others.length === 0) return singleNotice(alerts[0]!, sound);
  if (alerts.length === 0 && others.length === 1) return { ...others[0]!, sound };
  if (alerts.length === 0 && others.length === 0) return undefined;
  const parts: string[] = [];
  if (alerts.length > 0) parts.push(summaryNotice(alerts, sound).body);
  for (const n of others.slice(0, 3)) parts.push(n.title);
  if (others.length > 3) parts.push(`${others.length - 3} more notices`);
  const title =
    alerts.length > 0
      ? `While quiet: ${alerts.length} order${alerts.length === 1 ? '' : 's'} finished`
      : `While quiet: ${others.length} notices`;
  return { title, body: parts.join('; '), sound, alerts: [...alerts], key };
}

/** Local time of day, for the notice text. */
function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function degradedText(n: DegradedNotice, label: string): { title: string; body: string } {
  if (n.kind === 'recovered') {
    return {
      title: `Monitoring restored: ${label}`,
      body: `${label} is connected again (not seeing since ${clock(n.since)}).`,
    };
  }
  const why = n.state === 'auth_failed' ? 'refused our credentials' : 'been offline';
  return {
    title: `Monitoring degraded: ${label}`,
    body: `${label} has ${why} since ${clock(n.since)}: its orders are not being watched.`,
  };
}

export class AlertRouter {
  private readonly settings: SettingsPort;
  private readonly enqueue: (change: BridgeChange) => void;
  private readonly watchSave: (result: Promise<void> | void) => void;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly onWanted: ((alert: AlertLine) => void) | undefined;
  private readonly listeners = new Set<(notice: AlertNotice) => void>();
  private readonly coalescer: AlertCoalescer;
  private current: NotificationPrefs;
  private held: AlertLine[];
  private readonly degraded: DegradedWatch;
  private readonly sourceInfo: AlertRouterOptions['sourceInfo'];
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private degradedTimer: unknown;
  private quiet: QuietHours | undefined;
  private readonly timeZone: string | undefined;
  /** Alerts and other notices waiting for quiet hours to end, oldest first. */
  private quietAlerts: AlertLine[] = [];
  private quietOthers: AlertNotice[] = [];
  private quietTimer: unknown;

  constructor(opts: AlertRouterOptions) {
    this.settings = opts.settings;
    this.enqueue = opts.enqueue;
    this.watchSave = opts.watchSave;
    this.log = opts.log;
    this.now = opts.now ?? Date.now;
    this.onWanted = opts.onWanted;
    this.current = this.settings.getPrefs();
    this.held = this.settings.getHeldAlerts();
    this.coalescer = new AlertCoalescer((n) => this.deliver(n), opts.coalescer);
    this.degraded = new DegradedWatch(this.now, opts.degradedAfterMs);
    this.sourceInfo = opts.sourceInfo;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.timeZone = opts.timeZone;
    this.quiet = this.settings.getNotify()?.quietHours;
  }

  /** Quiet hours in force from now on (undefined: none); what waited is shown if they are over. */
  useQuietHours(quiet: QuietHours | undefined): void {
    this.quiet = quiet && structuredClone(quiet);
    // The end may have moved: re-armed below when still quiet.
    if (this.quietTimer !== undefined) this.clearTimer(this.quietTimer);
    this.quietTimer = undefined;
    this.endQuietIfOver();
  }

  /** How many alerts and notices wait for the end of quiet hours. */
  get waitingForQuietEnd(): number {
    return this.quietAlerts.length + this.quietOthers.length;
  }

  /** A copy of the prefs in force. */
  get prefs(): NotificationPrefs {
    return structuredClone(this.current);
  }

  /** Later alerts are decided by `next` (saving and telling the windows is the caller's job). */
  usePrefs(next: NotificationPrefs): void {
    this.current = structuredClone(next);
  }

  /** Alerts held back while paused or muted, oldest first. */
  get heldAlerts(): AlertLine[] {
    return [...this.held];
  }

  /** The user has seen the held alerts: forget them here, on disk and in every window. */
  dismissHeld(): void {
    this.held = [];
    this.watchSave(this.settings.setHeldAlerts([]));
    this.enqueue({ type: 'held', heldAlerts: [] });
  }

  /** Notices to show as OS notifications. Returns unsubscribe. */
  onNotice(listener: (notice: AlertNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every engine event passes here; alerts, activity and connection states can become notices. */
  route(event: EngineEvent): void {
    // A timer late after sleep must not keep a summary back.
    this.endQuietIfOver();
    if (event.kind === 'alert') this.routeAlert(event);
    else if (event.kind === 'activity') this.routeActivity(event);
    else if (event.kind === 'connection') this.routeConnection(event);
  }

  /** A source was removed or disabled: its degraded episode ends without a notice. */
  forgetSource(id: string): void {
    this.degraded.forget(id);
    this.armDegradedTimer();
  }

  /** Shows what a burst gathered so far (shutdown), then stops the burst timer. */
  dispose(): void {
    this.coalescer.flush();
    this.coalescer.dispose();
    if (this.degradedTimer !== undefined) this.clearTimer(this.degradedTimer);
    this.degradedTimer = undefined;
    if (this.quietTimer !== undefined) this.clearTimer(this.quietTimer);
    this.quietTimer = undefined;
  }

  /** Quiet hours hold now (for alerts: and the status is not one of `except`). */
  private isQuietFor(status?: string): boolean {
    const q = this.quiet;
    if (!q || !isQuiet(q, new Date(this.now()), this.timeZone)) return false;
    return status === undefined || !(q.except ?? []).some((s) => s === status);
  }

  private waitForQuietEnd(item: { alert: AlertLine } | { notice: AlertNotice }): void {
    if ('alert' in item) this.quietAlerts.push(item.alert);
    else this.quietOthers.push(item.notice);
    this.armQuietTimer();
  }

  /** One timer, for the next local `to` (quiet-hours.ts: daylight-saving safe). */
  private armQuietTimer(): void {
    if (this.quietTimer !== undefined || !this.quiet) return;
    const now = this.now();
    const ends = quietEndsAt(this.quiet, new Date(now), this.timeZone).getTime();
    this.quietTimer = this.setTimer(
      () => {
        this.quietTimer = undefined;
        this.endQuietIfOver();
      },
      Math.max(0, ends - now),
    );
  }

  /** Outside quiet hours with notices waiting: one summary now. Inside: wait on (timer re-armed). */
  private endQuietIfOver(): void {
    if (this.waitingForQuietEnd === 0) return;
    if (this.isQuietFor()) {
      // Woken early (the clock was changed): wait for the real end.
      this.armQuietTimer();
      return;
    }
    if (this.quietTimer !== undefined) this.clearTimer(this.quietTimer);
    this.quietTimer = undefined;
    const alerts = this.quietAlerts;
    const others = this.quietOthers;
    this.quietAlerts = [];
    this.quietOthers = [];
    const notice = quietSummary(alerts, others, this.current, `quiet\u0000${this.now()}`);
    if (notice) this.deliver(notice);
  }

  private routeConnection(line: ConnectionLine): void {
    const info = this.sourceInfo?.(line.source);
    this.showDegraded(this.degraded.observe(line.source, line.state, info?.enabled ?? true));
    this.armDegradedTimer();
  }

  /** One timer, for the earliest episode that has not been told yet. */
  private armDegradedTimer(): void {
    if (this.degradedTimer !== undefined) this.clearTimer(this.degradedTimer);
    this.degradedTimer = undefined;
    const at = this.degraded.nextDueAt();
    if (at === undefined) return;
    this.degradedTimer = this.setTimer(
      () => {
        this.degradedTimer = undefined;
        this.showDegraded(this.degraded.due());
        this.armDegradedTimer();
      },
      Math.max(0, at - this.now()),
    );
  }

  private showDegraded(notices: DegradedNotice[]): void {
    const now = this.now();
    for (const n of notices) {
      // Paused or muted: the window's source bar still shows the state; no notification.
      if (isPaused(this.current, now) || isSourceMuted(this.current, n.source, now)) continue;
      const label = this.sourceInfo?.(n.source)?.label ?? n.source;
      const outcome = n.kind === 'degraded' ? 'failed' : 'completed';
      const notice: AlertNotice = {
        ...degradedText(n, label),
        sound: this.current.sound && this.current.outcomeSounds[outcome],
        alerts: [],
        key: `${n.kind}\u0000${n.source}\u0000${n.since}`,
      };
      if (this.isQuietFor()) this.waitForQuietEnd({ notice });
      else this.deliver(notice);
    }
  }

  private routeAlert(alert: AlertLine): void {
    const decision = decideAlert(alert, this.current, this.now());
    if (decision !== 'drop') this.onWanted?.(alert);
    if (decision === 'notify' && this.isQuietFor(alert.status)) this.waitForQuietEnd({ alert });
    else if (decision === 'notify') this.coalescer.push(alert, soundFor(alert, this.current));
    else if (decision === 'hold') {
      this.held.push(alert);
      if (this.held.length > HELD_LIMIT) this.held.splice(0, this.held.length - HELD_LIMIT);
      this.watchSave(this.settings.setHeldAlerts(this.held));
      this.enqueue({ type: 'held', heldAlerts: [...this.held] });
    }
  }

  private routeActivity(line: ActivityLine): void {
    if (decideActivity(line, this.current, this.now()) !== 'notify') return;
    const notice = activityNotice(line, this.current.sound);
    if (this.isQuietFor()) this.waitForQuietEnd({ notice });
    else this.deliver(notice);
  }

  private deliver(notice: AlertNotice): void {
    for (const listener of this.listeners) {
      try {
        listener(notice);
      } catch (err) {
        this.log.error({ err: (err as Error).message }, 'alert listener failed');
      }
    }
  }
}
