// Where alerts go besides the desktop (docs/config.md, `notify` and `quietHours`): the target types
// of the config file and the alert id every target sees. Types and pure helpers only, safe for the
// window; the engine validates them (engine/notify-schema.ts) and delivers (engine/forward/).
import type { NormalizedStatus } from './statuses.js';

export const TARGET_TYPES = ['webhook', 'ntfy', 'exec'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

interface TargetBase {
  /** Unique among the targets; names the target in `delivery` lines, problems and metrics. */
  id: string;
  /** Only alerts with one of these statuses are sent; absent: every alert. */
  statuses?: NormalizedStatus[];
  /** Default true; a disabled target receives nothing. */
  enabled?: boolean;
}

/** `POST url` with the alert as JSON, `Idempotency-Key`, and an HMAC signature when `secret` is set. */
export interface WebhookTarget extends TargetBase {
  type: 'webhook';
  url: string;
  secret?: string;
}

/** `POST url` (an ntfy topic URL) with the alert's body text; `token` as a Bearer token. */
export interface NtfyTarget extends TargetBase {
  type: 'ntfy';
  url: string;
  token?: string;
}

/** Runs `command` (an argv array, never a shell) with the alert in `ORDERBELL_*` variables. */
export interface ExecTarget extends TargetBase {
  type: 'exec';
  command: string[];
}

export type NotifyTarget = WebhookTarget | NtfyTarget | ExecTarget;

/** `HH:MM` local time; may cross midnight (`from` > `to`). */
export interface QuietHours {
  from: string;
  to: string;
  /** Statuses that are sent at once even in quiet hours. */
  except?: NormalizedStatus[];
}

/** What a change of the targets means beyond the new list. */
export interface NotifyChange {
  /**
   * Targets the user deleted: what waited for them is dropped. A target merely left out of the
   * list (disabled, or all of them while the demo runs) keeps its waiting alerts.
   */
  removed?: string[];
}

/** The fields of each target type that carry a credential: never logged, never sent to the window. */
export const TARGET_SECRET_FIELDS: Readonly<Record<TargetType, readonly string[]>> = {
  webhook: ['secret'],
  ntfy: ['token'],
  exec: [],
};

/** The secret values of one target, as configured (for the SecretMask). */
export function targetSecretsOf(target: NotifyTarget): string[] {
  const record = target as unknown as Record<string, unknown>;
  return TARGET_SECRET_FIELDS[target.type].flatMap((field) => {
    const value = Object.hasOwn(record, field) ? record[field] : undefined;
    return typeof value === 'string' ? [value] : [];
  });
}

/** The alert's id at every target: stable across restarts (`Idempotency-Key`, `ORDERBELL_ID`). */
export function alertId(
  source: string,
  orderId: string,
  status: NormalizedStatus | string,
): string {
  return `${source}:${orderId}:${status}`;
}

/** Whether the target takes alerts of this status (its `statuses` filter; absent = all). */
export function targetWants(target: NotifyTarget, status: NormalizedStatus): boolean {
  return target.statuses === undefined || target.statuses.includes(status);
}

/** ntfy `Priority: high` for these: the outcomes a user must act on. */
export const HIGH_PRIORITY_STATUSES: ReadonlySet<NormalizedStatus> = new Set([
  'failed',
  'refunded',
  'expired',
  'canceled',
  'deleted',
]);
