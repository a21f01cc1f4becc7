// GET /healthz's rule, row by row: 503 only when an ENABLED source has been offline or
// auth_failed for longer than the grace; (re)connecting and disabled sources never count.
import { describe, expect, it } from 'vitest';
import { healthOf, HEALTH_GRACE_MS } from '../../src-main/cli/health.js';
import type { ConnectionState } from '../../src-main/shared/statuses.js';

const NOW = 1_800_000_000_000;
const source = (id: string, state: ConnectionState, downForMs: number, enabled = true) => ({
  id,
  enabled,
  state,
  stateSinceMs: NOW - downForMs,
});

describe('healthOf', () => {
  it.each([
    ['all connected', [source('a', 'connected', 10 * HEALTH_GRACE_MS)], 200],
    ['offline within the grace', [source('a', 'offline', HEALTH_GRACE_MS)], 200],
    ['offline past the grace', [source('a', 'offline', HEALTH_GRACE_MS + 1)], 503],
    ['auth_failed past the grace', [source('a', 'auth_failed', HEALTH_GRACE_MS + 1)], 503],
    ['auth_failed within the grace', [source('a', 'auth_failed', 1_000)], 200],
    ['reconnecting for an hour', [source('a', 'reconnecting', 12 * HEALTH_GRACE_MS)], 200],
    ['connecting for an hour', [source('a', 'connecting', 12 * HEALTH_GRACE_MS)], 200],
    ['a disabled source offline for ever', [source('a', 'offline', 1e12, false)], 200],
    [
      'one of two down past the grace',
      [source('a', 'connected', 0), source('b', 'auth_failed', HEALTH_GRACE_MS + 1)],
      503,
    ],
    ['no sources', [], 200],
  ] as const)('%s → %i', (_what, sources, code) => {
    const health = healthOf(sources, NOW);
    expect(health.code).toBe(code);
    // The contract's 503 has "the same body" as its 200: the verdict is the status code alone.
    expect(health.body).toEqual({
      status: 'ok',
      sources: Object.fromEntries(sources.map((s) => [s.id, s.state])),
    });
  });

  it('takes the grace it is given (tests and operators shorten it)', () => {
    const sources = [source('a', 'auth_failed', 600)];
    expect(healthOf(sources, NOW, 500).code).toBe(503);
    expect(healthOf(sources, NOW, 700).code).toBe(200);
  });
});
