// Native notifications, only for the notices the bridge host decides to show (prefs, pause, mute
// and burst coalescing are its job). Each Notification stays referenced in `live` until it closes,
// is clicked, acted on or fails: Electron keeps only a weak reference, and a collected one loses its
// click and action handlers. A notice already shown is not shown twice (defence in depth behind the
// alert ledger).
//
// Per OS (docs/desktop.md): notification buttons ("Open order", "Mute this source for 1 h") exist on
// macOS and Windows only; Linux gets a plain notification whose click opens the order. Sound: on
// macOS each outcome plays its own system sound (`sound`); on Windows and Linux `silent` switches the
// system's notification sound on or off (Linux: only where the notification daemon plays one).
import { Notification, type NotificationConstructorOptions } from 'electron';
import type { AlertNotice } from '../shared/alert-policy.js';
import { noticeOutcome } from '../shared/alert-policy.js';
import type { AlertOutcome } from '../shared/bridge.js';

/** How many notice keys are remembered for the repeat check. */
const REMEMBERED = 500;

/** What a notification's buttons do, in the order they are shown. */
export const NOTICE_ACTIONS = [
  { action: 'open', text: 'Open order' },
  { action: 'mute', text: 'Mute this source for 1 h' },
] as const;
export type NoticeAction = (typeof NOTICE_ACTIONS)[number]['action'];

/** Where Electron shows notification buttons. */
const ACTIONS_SUPPORTED: ReadonlySet<NodeJS.Platform> = new Set(['darwin', 'win32']);

/** macOS system sounds (/System/Library/Sounds) per outcome. */
export const MAC_SOUNDS: Readonly<Record<AlertOutcome, string>> = {
  completed: 'Glass',
  failed: 'Basso',
};

export interface NotifierOptions {
  /** Clicked: open the window, on this order when the notice is about one. */
  onClick: (focus: AlertNotice['focus']) => void;
  /** A button of a single-order notice was pressed. */
  onAction?: (action: NoticeAction, focus: NonNullable<AlertNotice['focus']>) => void;
  /** Icon shown beside the text (Linux/Windows); a file path. */
  icon?: string;
  /** Default: process.platform (tests pick one). */
  platform?: NodeJS.Platform;
}

function noticeKey(notice: AlertNotice): string {
  if (notice.key !== undefined) return `key\u0000${notice.key}`;
  if (notice.alerts.length === 0) return `activity\u0000${notice.title}\u0000${notice.body}`;
  return notice.alerts.map((a) => `${a.source}\u0000${a.orderId}\u0000${a.status}`).join('\u0001');
}

/** Electron passes the index in the event (current API) or as the second argument (older one). */
function actionIndex(details: unknown, index: unknown): number | undefined {
  const fromEvent = (details as { actionIndex?: unknown } | undefined)?.actionIndex;
  if (typeof fromEvent === 'number') return fromEvent;
  return typeof index === 'number' ? index : undefined;
}

export class Notifier {
  /** Notifications on screen (or in the notification centre): strong references. */
  readonly live = new Set<Notification>();
  private readonly shown = new Set<string>();
  private readonly platform: NodeJS.Platform;

  constructor(private readonly opts: NotifierOptions) {
    this.platform = opts.platform ?? process.platform;
  }

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
    const focus = notice.focus;
    const withActions = focus !== undefined && ACTIONS_SUPPORTED.has(this.platform);
    const n = new Notification(this.options(notice, withActions));
    const release = () => this.live.delete(n);
    n.on('click', () => {
      release();
      this.opts.onClick(focus);
    });
    if (withActions) {
      n.on('action', (details: unknown, index: unknown) => {
        const i = actionIndex(details, index);
        const chosen = i === undefined ? undefined : NOTICE_ACTIONS[i];
        if (!chosen) return;
        release();
        this.opts.onAction?.(chosen.action, focus);
      });
    }
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

  private options(notice: AlertNotice, withActions: boolean): NotificationConstructorOptions {
    const outcome = noticeOutcome(notice);
    const macSound =
      notice.sound && this.platform === 'darwin' && outcome ? MAC_SOUNDS[outcome] : undefined;
    return {
      title: notice.title,
      body: notice.body,
      silent: !notice.sound,
      ...(macSound ? { sound: macSound } : {}),
      ...(withActions
        ? { actions: NOTICE_ACTIONS.map((a) => ({ type: 'button' as const, text: a.text })) }
        : {}),
      ...(this.opts.icon ? { icon: this.opts.icon } : {}),
    };
  }

  private remember(key: string): void {
    this.shown.add(key);
    if (this.shown.size > REMEMBERED) {
      const oldest = this.shown.values().next().value;
      if (oldest !== undefined) this.shown.delete(oldest);
    }
  }
}
