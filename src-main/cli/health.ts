// GET /healthz (docs/service.md): healthy while no enabled source has been `offline` or
// `auth_failed` for longer than the grace (5 minutes). A source that is merely (re)connecting is
// not counted against it: the supervisor is still trying, and says so by its state.
import type { SourceMetrics } from '../engine/source-counters.js';
import type { ConnectionState } from '../shared/statuses.js';

/** How long an enabled source may stay down before /healthz answers 503. */
export const HEALTH_GRACE_MS = 5 * 60 * 1000;

/** The states that count as down once they last longer than the grace. */
const DOWN_STATES: ReadonlySet<ConnectionState> = new Set(['offline', 'auth_failed']);

export interface HealthBody {
  /**
   * Always `ok`: the contract's 503 carries "the same body" as its 200, so the verdict is the HTTP
   * status alone (docs/service.md). A monitor reads the code, never this field.
   */
  status: 'ok';
  /** Every configured source (disabled ones too) by id: its connection state. */
  sources: Record<string, ConnectionState>;
}

export interface Health {
  code: 200 | 503;
  body: HealthBody;
}

export function healthOf(
  sources: readonly Pick<SourceMetrics, 'id' | 'enabled' | 'state' | 'stateSinceMs'>[],
  nowMs: number,
  graceMs = HEALTH_GRACE_MS,
): Health {
  const states: Record<string, ConnectionState> = {};
  let down = false;
  for (const s of sources) {
    states[s.id] = s.state;
    if (s.enabled && DOWN_STATES.has(s.state) && nowMs - s.stateSinceMs > graceMs) down = true;
  }
  return { code: down ? 503 : 200, body: { status: 'ok', sources: states } };
}
