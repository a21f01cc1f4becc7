// What the tray shows, decided in one fixed order (Gitify's tray handler is the model):
//   attention  a source is offline or auth_failed, a failure alert is unread, or the attention list
//              holds unread alerts
//   active     orders are in progress (the count goes in the tooltip)
//   idle       everything connected, nothing in flight
// Whatever the state, the tooltip also says when orders could not be verified after a gap: "nothing
// happened" and "we could not see" must not look alike.
// Pure: no Electron, so the order is tested directly.
import type { SourceStatus } from '../engine/engine.js';
import { PROVIDER_NAMES, type ConnectionState } from '../engine/types.js';
import { unreadWords } from '../shared/attention.js';
import { PAUSED_UNTIL_RESUMED } from '../shared/bridge.js';
import { PRODUCT_NAME } from './identity.js';

export type TrayState = 'idle' | 'active' | 'attention';

export interface TrayInput {
  sources: readonly SourceStatus[];
  /** Non-terminal orders being tracked. */
  activeOrders: number;
  /** Orders marked unverified after a connection gap (shared/unverified.ts). */
  unverifiedOrders: number;
  /** Failure alerts the user has not seen in the window yet. */
  unreadFailures: number;
  /** Attention entries the user has not marked read (shared/attention.ts); absent: none. */
  unreadAlerts?: number;
  /** Epoch ms until which notifications are paused, or null. */
  pausedUntil: number | null;
  demo: boolean;
  now: number;
}

export interface TrayPicture {
  state: TrayState;
  tooltip: string;
}

/** Windows truncates tray tooltips at 127 characters. */
export const TOOLTIP_MAX = 127;

const TROUBLE: ReadonlySet<ConnectionState> = new Set(['offline', 'auth_failed']);

const STATE_WORDS: Record<ConnectionState, string> = {
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  offline: 'offline',
  auth_failed: 'sign-in failed',
};

export function sourceName(s: Pick<SourceStatus, 'id' | 'label' | 'provider'>): string {
  return s.label ?? `${s.id} (${PROVIDER_NAMES[s.provider]})`;
}

export function sourceStateWords(s: SourceStatus): string {
  return s.enabled ? STATE_WORDS[s.state] : 'disabled';
}

/** Sources that need the user: enabled and offline or refused. */
export function troubledSources(sources: readonly SourceStatus[]): SourceStatus[] {
  return sources.filter((s) => s.enabled && TROUBLE.has(s.state));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function pausedWords(pausedUntil: number | null, now: number): string | undefined {
  if (pausedUntil === null || pausedUntil <= now) return undefined;
  if (pausedUntil >= PAUSED_UNTIL_RESUMED) return 'notifications paused';
  const sameDay = new Date(pausedUntil).toDateString() === new Date(now).toDateString();
  return `notifications paused until ${sameDay ? '' : 'tomorrow '}${clock(pausedUntil)}`;
}

export function trayPicture(input: TrayInput): TrayPicture {
  const troubled = troubledSources(input.sources);
  const lines: string[] = [];
  let state: TrayState;
  const unreadAlerts = input.unreadAlerts ?? 0;
  if (troubled.length > 0 || input.unreadFailures > 0 || unreadAlerts > 0) {
    state = 'attention';
    for (const s of troubled) lines.push(`${sourceName(s)} ${sourceStateWords(s)}`);
    // The attention list holds those failures too: one count, not two.
    if (unreadAlerts > 0) lines.push(unreadWords(unreadAlerts));
    else if (input.unreadFailures > 0)
      lines.push(`${plural(input.unreadFailures, 'failed order')} unread`);
    if (input.activeOrders > 0) lines.push(`${plural(input.activeOrders, 'order')} in progress`);
  } else if (input.activeOrders > 0) {
    state = 'active';
    lines.push(`${plural(input.activeOrders, 'order')} in progress`);
  } else {
    state = 'idle';
    const enabled = input.sources.filter((s) => s.enabled);
    const connected = enabled.filter((s) => s.state === 'connected').length;
    lines.push(
      enabled.length === 0
        ? 'no sources'
        : connected === enabled.length
          ? `all ${plural(enabled.length, 'source')} connected`
          : `${connected} of ${plural(enabled.length, 'source')} connected`,
    );
  }
  if (input.unverifiedOrders > 0) {
    lines.push(`${plural(input.unverifiedOrders, 'order')} unverified after a gap`);
  }
  const paused = pausedWords(input.pausedUntil, input.now);
  if (paused) lines.push(paused);
  const head = input.demo ? `${PRODUCT_NAME} (demo)` : PRODUCT_NAME;
  let tooltip = `${head}: ${lines.join('; ')}`;
  if (tooltip.length > TOOLTIP_MAX) tooltip = `${tooltip.slice(0, TOOLTIP_MAX - 1)}…`;
  return { state, tooltip };
}
