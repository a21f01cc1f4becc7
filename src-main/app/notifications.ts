// Native notifications, only for the notices the bridge host decides to show (prefs, pause, mute
// and burst coalescing are its job). Each Notification stays referenced in `live` until it closes,
// is clicked or fails: Electron keeps only a weak reference, and a collected one loses its click
// handler. A notice already shown is not shown twice (defence in depth behind the alert ledger).
import { Notification } from 'electron';
import type { AlertNotice } from '../shared/alert-policy.js';

/** How many notice keys are remembered for the repeat check. */
const REMEMBERED = 500;

export interface NotifierOptions {
  /** Clicked: open the window, on this order when the notice is about one. */
  onClick: (focus: AlertNotice['focus']) => void;
  /** Icon shown beside the text (Linux/Windows); a file path. */
  icon?: string;
}

function noticeKey(notice: AlertNotice): string {
  if (notice.alerts.length === 0) return `activity\u0000${notice.title}\u0000${notice.body}`;
  return notice.alerts.map((a) => `${a.source}\u0000${a.orderId}\u0000${a.status}`).join('\u0001');
}

export class Notifier {
  /** Notifications on screen (or in the notification centre): strong references. */
  readonly live = new Set<Notification>();
  private readonly shown = new Set<string>();

  constructor(private readonly opts: NotifierOptions) {}

  /** False where the OS has no notification service (Linux without a daemon). */
  supported(): boolean {
    return Notification.isSupported();
  }

  /** Shows one notice; returns false when it was a repeat or notifications are unsupported. */
  show(notice: AlertNotice): boolean {
    const key = noticeKey(notice);
    if (this.shown.has(key)) return false;
    if (!this.supported()) return false;
    this.remember(key);
    const n = new Notification({
      title: notice.title,
      body: notice.body,
      silent: !notice.sound,
      ...(this.opts.icon ? { icon: this.opts.icon } : {}),
    });
    const release = () => this.live.delete(n);
    n.on('click', () => {
      release();
      this.opts.onClick(notice.focus);
    });
    n.on('close', release);
    n.on('failed', release);
    this.live.add(n);
    n.show();
    return true;
  }

  /** Drops every reference (at quit). */
  clear(): void {
    for (const n of this.live) n.close();
    this.live.clear();
  }

  private remember(key: string): void {
    this.shown.add(key);
    if (this.shown.size > REMEMBERED) {
      const oldest = this.shown.values().next().value;
      if (oldest !== undefined) this.shown.delete(oldest);
    }
  }
}
