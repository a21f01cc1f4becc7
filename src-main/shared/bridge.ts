// The one bridge contract between the main side (engine + settings) and the status window. It is
// carried by Electron IPC (preload contextBridge) and by a loopback WebSocket in web mode alike.
// Types only: the renderer imports this file, so nothing here may touch Node or Electron.
import type { AttentionEntry } from './attention.js';
import type { AlertLine, ActivityLine, EngineEvent } from './lines.js';
import type { OrderRecord } from './orders.js';
import type { ProviderKey } from './providers.js';
import type { SourceStatus } from './source-status.js';
import type { QuietHours, TargetType } from './notify.js';
import type { AlertableStatus, NormalizedStatus } from './statuses.js';
import type { OrderMark } from './unverified.js';

export type { AlertableStatus } from './statuses.js';

export interface NotificationPrefs {
  statuses: AlertableStatus[];
  sound: boolean;
  /** Epoch ms until which alerts are held (shown in the window only); null = not paused. */
  pausedUntil: number | null;
  /** Source ids whose alerts are muted. */
  mutedSources: string[];
  /** Activity event names that do raise a notification (none by default). */
  activityAlerts: string[];
  /**
   * Source id → epoch ms until which its alerts are muted ("Mute this source for 1 h" on a
   * notification); an entry in the past no longer mutes.
   */
  mutedUntil: Record<string, number>;
  /**
   * Whether an alert's notification plays a sound, per outcome (see alert-policy.ts outcomeOf);
   * `sound` above stays the master switch. Default: failures on, completions off.
   */
  outcomeSounds: OutcomeSounds;
}

/** completed, or one of the failed-like ends (failed, refunded, expired, canceled, deleted). */
export type AlertOutcome = 'completed' | 'failed';
export type OutcomeSounds = Record<AlertOutcome, boolean>;

/** A source as the window may see it: every credential replaced by whether it is set. */
export interface SourceView extends SourceStatus {
  /** Non-secret config fields (url, restUrl, env, markets, allOrders, …). */
  settings: Record<string, string | number | boolean | string[]>;
  /** Which credential fields hold a value; the values themselves never cross the bridge. */
  secretsSet: Record<string, boolean>;
}

/** A forwarding target as the window may see it: every credential replaced by whether it is set. */
export interface TargetView {
  id: string;
  type: TargetType;
  enabled: boolean;
  /** Only these statuses are forwarded; absent: every alert. */
  statuses?: NormalizedStatus[];
  /** webhook / ntfy: the url; exec: the command (argv). */
  settings: { url?: string; command?: string[] };
  /** Which credential fields (webhook secret, ntfy token) hold a value; never the value. */
  secretsSet: Record<string, boolean>;
}

/** A target gave up on an alert (after 24 h of retries): shown until it delivers again. */
export interface TargetFailure {
  target: string;
  source: string;
  orderId: string;
  status: NormalizedStatus;
  at: string;
}

/** The window's view of forwarding: targets, quiet hours, and the targets that gave up. */
export interface NotifyView {
  targets: TargetView[];
  quietHours: QuietHours | null;
  failures: TargetFailure[];
}

/**
 * Input of the target form. Secret fields left empty on edit keep the stored value; `replaces` is
 * the id of the target being edited (absent when adding one).
 */
export interface TargetInput {
  replaces?: string;
  id: string;
  type: TargetType;
  enabled?: boolean;
  statuses?: NormalizedStatus[];
  fields: { url?: string; secret?: string; token?: string; command?: string[] };
}

/** "Send test": whether the target took the test alert, and its answer (secrets masked). */
export type TargetTestResult =
  { ok: true; delivered: boolean; detail: string } | { ok: false; error: string; field?: string };

/** `pausedUntil` value meaning "paused until resumed" (the largest valid Date). */
export const PAUSED_UNTIL_RESUMED = 8_640_000_000_000_000;

/** Provider code → the provider's own label (from the engine's status tables), for display. */
export type StatusLabels = Record<ProviderKey, Record<string, string>>;

export interface BridgeSnapshot {
  /** Changes with seq <= this are already reflected; apply only later ones. */
  seq: number;
  demo: boolean;
  /** Whether this face can switch to the demo and back (setDemo). */
  demoAvailable: boolean;
  statusLabels: StatusLabels;
  sources: SourceView[];
  orders: OrderRecord[];
  activity: ActivityLine[];
  alerts: AlertLine[];
  /** Alerts held while notifications were paused or muted, newest last. */
  heldAlerts: AlertLine[];
  /** The attention list (shared/attention.ts), oldest first. */
  attention: AttentionEntry[];
  problems: string[];
  prefs: NotificationPrefs;
  /** Forwarding targets and quiet hours (absent from a host without them). */
  notify?: NotifyView;
  platform: {
    notificationsSupported: boolean;
    /** false where secrets are stored without OS protection (Linux basic_text backend). */
    secretsProtected: boolean;
    kind: 'electron' | 'web';
  };
}

export type BridgeChange =
  | { type: 'event'; event: EngineEvent }
  | { type: 'source'; source: SourceView }
  | { type: 'source-removed'; id: string }
  | { type: 'prefs'; prefs: NotificationPrefs }
  | { type: 'held'; heldAlerts: AlertLine[] }
  /** An alert joined the attention list, unread. */
  | { type: 'attention-added'; entry: AttentionEntry }
  /** These attention entries were marked read (null: all of them). */
  | { type: 'attention-read'; keys: string[] | null }
  | { type: 'problems'; problems: string[] }
  /**
   * An order's unverified mark was set or cleared (shared/unverified.ts). The engine writes no
   * order line for a mark, so the windows learn it here.
   */
  | { type: 'order-mark'; mark: OrderMark }
  /** The user removed an order: drop it (the engine emits no event for this). */
  | { type: 'order-removed'; source: string; orderId: string }
  /** Demo mode switched on or off (sources are replaced by `source` / `source-removed` changes). */
  | { type: 'demo'; demo: boolean }
  /** A notification was clicked: show this order. */
  | { type: 'focus-order'; source: string; orderId: string }
  /** Targets or quiet hours changed, or a target gave up on an alert. */
  | { type: 'notify'; notify: NotifyView };

export interface ChangeBatch {
  /** seq of the last change in the batch; batches arrive in order. */
  seq: number;
  changes: BridgeChange[];
}

/** Input of the source form. Secret fields left empty on edit keep the stored value. */
export interface SourceInput {
  /** Id of the source being edited (absent when adding one); may differ from `id` on a rename. */
  replaces?: string;
  id: string;
  provider: ProviderKey;
  label?: string;
  enabled?: boolean;
  fields: Record<string, string | number | boolean | string[]>;
}

export type CommandResult = { ok: true } | { ok: false; error: string; field?: string };

/** How "Test connection" ended: the source bar's states, or no verdict in time. */
export type ConnectionTestOutcome = 'connected' | 'auth_failed' | 'unreachable' | 'timeout';

export interface ConnectionTestResult {
  outcome: ConnectionTestOutcome;
  /** The reason, as the source bar shows it after "sign-in refused:" or "offline:". */
  detail?: string;
  /** How long the test took, in ms. */
  elapsedMs: number;
}

/** Every command: request and response types. Adding one here forces both transports to handle it. */
export interface BridgeCommands {
  snapshot: { req: undefined; res: BridgeSnapshot };
  addOrder: { req: { source: string; orderId: string }; res: CommandResult };
  removeOrder: { req: { source: string; orderId: string }; res: CommandResult };
  saveSource: { req: SourceInput; res: CommandResult };
  removeSource: { req: { id: string }; res: CommandResult };
  reconnect: { req: { source?: string }; res: CommandResult };
  setPrefs: { req: Partial<NotificationPrefs>; res: CommandResult };
  /** Leave demo mode for the user's own providers (or go back to the demo). */
  setDemo: { req: { demo: boolean }; res: CommandResult };
  openExternal: { req: { url: string }; res: CommandResult };
  /** Forget the alerts held while paused or muted (after the user has seen them). */
  dismissHeld: { req: undefined; res: CommandResult };
  /**
   * Connect once with the form's values (nothing saved, nothing stored): the form's "Test
   * connection". A form the config check refuses is answered like `saveSource`.
   */
  testSource: {
    req: SourceInput;
    res: ({ ok: true } & ConnectionTestResult) | Extract<CommandResult, { ok: false }>;
  };
  /** Mark these attention entries read (keys from the snapshot or an `attention-added`). */
  markRead: { req: { keys: string[] }; res: CommandResult };
  markAllRead: { req: undefined; res: CommandResult };
  /** Add or edit a forwarding target. */
  saveTarget: { req: TargetInput; res: CommandResult };
  removeTarget: { req: { id: string }; res: CommandResult };
  /** One test alert to the target as the form has it (empty secrets: the stored ones). */
  testTarget: { req: TargetInput; res: TargetTestResult };
  /** Quiet hours, or null for none. */
  setQuietHours: { req: { quietHours: QuietHours | null }; res: CommandResult };
}

export type CommandName = keyof BridgeCommands;

/** IPC channel per command, prefixed; `satisfies` makes a missing channel a compile error. */
export const COMMAND_CHANNELS = {
  snapshot: 'orderbell:snapshot',
  addOrder: 'orderbell:add-order',
  removeOrder: 'orderbell:remove-order',
  saveSource: 'orderbell:save-source',
  removeSource: 'orderbell:remove-source',
  reconnect: 'orderbell:reconnect',
  setPrefs: 'orderbell:set-prefs',
  setDemo: 'orderbell:set-demo',
  openExternal: 'orderbell:open-external',
  dismissHeld: 'orderbell:dismiss-held',
  testSource: 'orderbell:test-source',
  markRead: 'orderbell:mark-read',
  markAllRead: 'orderbell:mark-all-read',
  saveTarget: 'orderbell:save-target',
  removeTarget: 'orderbell:remove-target',
  testTarget: 'orderbell:test-target',
  setQuietHours: 'orderbell:set-quiet-hours',
} as const satisfies Record<CommandName, `orderbell:${string}`>;

/** main → window: batched changes. */
export const CHANGES_CHANNEL = 'orderbell:changes';

/** What the window holds: the same on Electron (preload) and in a browser (web-mode client). */
export interface Bridge {
  invoke<K extends CommandName>(
    command: K,
    request: BridgeCommands[K]['req'],
  ): Promise<BridgeCommands[K]['res']>;
  /** Returns the unsubscribe function. */
  onChanges(listener: (batch: ChangeBatch) => void): () => void;
}
