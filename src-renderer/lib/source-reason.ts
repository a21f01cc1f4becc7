// Why a source is not connected, in the words the source bar shows, and the same words for the
// source form's "Test connection" (its outcomes are the bar's states, or no answer in time).
import type { ConnectionTestResult, SourceView } from '../../src-main/shared/bridge';
import type { ConnectionState } from '../../src-main/shared/statuses';

/** The reason for a state with its detail; undefined for a connected source. */
export function connectionReason(state: ConnectionState, detail?: string): string | undefined {
  switch (state) {
    case 'auth_failed':
      return `sign-in refused${detail ? `: ${detail}` : ''}`;
    case 'offline':
      return detail ? `offline: ${detail}` : 'offline: cannot reach it';
    case 'reconnecting':
      return detail ? `reconnecting: ${detail}` : 'reconnecting…';
    case 'connecting':
      return 'connecting…';
    case 'connected':
      return undefined;
  }
}

/** Why this source is not connected (a disabled one says so), or undefined. */
export function sourceReason(s: SourceView): string | undefined {
  if (!s.enabled) return 'disabled in settings';
  return connectionReason(s.state, s.detail);
}

/** A failed state a user has to act on (a key to fix, an address to check), not a passing one. */
export function isBroken(s: SourceView): boolean {
  return (
    s.enabled && (s.state === 'auth_failed' || s.state === 'offline' || s.state === 'reconnecting')
  );
}

/** "Test connection"'s answer in the source bar's words. */
export function testReason(r: ConnectionTestResult): string {
  switch (r.outcome) {
    case 'connected':
      return 'connected: the provider accepted these settings';
    case 'auth_failed':
      return connectionReason('auth_failed', r.detail) ?? 'sign-in refused';
    case 'unreachable':
      return connectionReason('offline', r.detail) ?? 'offline';
    case 'timeout':
      return `no answer${r.detail ? `: ${r.detail}` : ''}`;
  }
}
