// Which engine alerts reach the user, and how: the notification prefs decide (alert-policy.ts), a
// burst is coalesced into one summary, alerts held back (paused, muted) are kept (persisted, at most
// HELD_LIMIT) for the window, and activity notifies only for the event types the user turned on.
// The face shows the notices it is handed; this module owns the prefs and the held list.
import type { Logger } from '../../engine/log.js';
import type { ActivityLine, AlertLine, EngineEvent } from '../../engine/types.js';
import {
  activityNotice,
  AlertCoalescer,
  decideActivity,
  decideAlert,
  type AlertNotice,
  type CoalescerOptions,
} from '../alert-policy.js';
import type { BridgeChange, NotificationPrefs } from '../bridge.js';
import { HELD_LIMIT, type SettingsPort } from '../settings-port.js';

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

  /** Every engine event passes here; only alerts and activity can become notices. */
  route(event: EngineEvent): void {
    if (event.kind === 'alert') this.routeAlert(event);
    else if (event.kind === 'activity') this.routeActivity(event);
  }

  /** Shows what a burst gathered so far (shutdown), then stops the burst timer. */
  dispose(): void {
    this.coalescer.flush();
    this.coalescer.dispose();
  }

  private routeAlert(alert: AlertLine): void {
    const decision = decideAlert(alert, this.current, this.now());
    if (decision !== 'drop') this.onWanted?.(alert);
    if (decision === 'notify') this.coalescer.push(alert, this.current.sound);
    else if (decision === 'hold') {
      this.held.push(alert);
      if (this.held.length > HELD_LIMIT) this.held.splice(0, this.held.length - HELD_LIMIT);
      this.watchSave(this.settings.setHeldAlerts(this.held));
      this.enqueue({ type: 'held', heldAlerts: [...this.held] });
    }
  }

  private routeActivity(line: ActivityLine): void {
    if (decideActivity(line, this.current, this.now()) === 'notify') {
      this.deliver(activityNotice(line, this.current.sound));
    }
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
