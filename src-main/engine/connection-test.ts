// "Test connection" of the source form: one short-lived source built from a config that is not
// saved, connected once and stopped at its first verdict. Its context keeps nothing: no order, no
// activity, no alert, no baseline, no state file, and no event reaches the engine's listeners. The
// verdict uses the words the source bar shows for the same state (connected / auth_failed with the
// provider's reason / unreachable with the transport's reason), or a timeout.
import type { SourceConfig } from './config.js';
import type { Logger } from './log.js';
import { createSource, type AdapterTuning } from './providers/index.js';
import type { Source, SourceContext } from './source.js';
import type { ConnectionState } from './types.js';

import type { ConnectionTestOutcome, ConnectionTestResult } from '../shared/bridge.js';

export type { ConnectionTestOutcome, ConnectionTestResult } from '../shared/bridge.js';

export interface ConnectionTestOptions {
  log: Logger;
  tuning?: AdapterTuning;
  /** The whole test is over after this (default 10 s: the handshake deadline of every provider). */
  timeoutMs?: number;
  /** Replaces the provider registry (the engine's own test seam). */
  createSource?: (cfg: SourceConfig, ctx: SourceContext) => Source;
  now?: () => number;
}

export const CONNECTION_TEST_TIMEOUT_MS = 10_000;

/** A connection state that settles the test, and as what; the others (connecting) wait. */
const VERDICT: Partial<Record<ConnectionState, ConnectionTestOutcome>> = {
  connected: 'connected',
  auth_failed: 'auth_failed',
  // The first failed attempt reads "reconnecting: <why>"; a test does not retry.
  reconnecting: 'unreachable',
  offline: 'unreachable',
};

/**
 * The reason behind the last log line of a failed attempt. An attempt that ends without bad
 * credentials reports only "reconnecting" (the reason goes to the log: a socket error, a refused
 * upgrade, a handshake that timed out, a close), so the test reads it where the engine writes it.
 */
function reasonOf(args: unknown[]): string | undefined {
  const [first, second] = args;
  const msg = typeof first === 'string' ? first : typeof second === 'string' ? second : undefined;
  const obj = typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : {};
  if (typeof obj.err === 'string') return obj.err;
  if (typeof obj.status === 'number') return `${msg ?? 'refused'} (HTTP ${obj.status})`;
  if (typeof obj.code === 'number') return `${msg ?? 'closed'} (code ${obj.code})`;
  return msg;
}

/** `inner`, with every info/warn/error line's reason passed to `seen`. */
function recordingLogger(inner: Logger, seen: (reason: string) => void): Logger {
  const level =
    (name: 'info' | 'warn' | 'error') =>
    (...args: unknown[]): void => {
      const reason = reasonOf(args);
      if (reason) seen(reason);
      (inner[name] as (...a: unknown[]) => void)(...args);
    };
  return {
    debug: inner.debug.bind(inner),
    info: level('info'),
    warn: level('warn'),
    error: level('error'),
    child: (bindings: Parameters<Logger['child']>[0]) =>
      recordingLogger(inner.child(bindings), seen),
  } as Logger;
}

/**
 * Words of the config's credentials in `detail` replaced: a provider may echo what it was sent, and
 * the answer goes to a window that must never see a secret.
 */
function scrub(detail: string, secrets: readonly string[]): string {
  let out = detail;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('[redacted]');
  return out;
}

/** Connects once with `cfg` and reports the first verdict; never throws for a network problem. */
export async function testConnection(
  cfg: SourceConfig,
  secrets: readonly string[],
  opts: ConnectionTestOptions,
): Promise<ConnectionTestResult> {
  const now = opts.now ?? Date.now;
  const started = now();
  const timeoutMs = opts.timeoutMs ?? CONNECTION_TEST_TIMEOUT_MS;
  let lastReason: string | undefined;
  const log = recordingLogger(
    opts.log.child({ source: cfg.id, provider: cfg.provider, test: true }),
    (reason) => (lastReason = reason),
  );
  let settle: (r: Omit<ConnectionTestResult, 'elapsedMs'>) => void = () => {};
  const verdict = new Promise<Omit<ConnectionTestResult, 'elapsedMs'>>((resolve) => {
    settle = resolve;
  });
  const ctx: SourceContext = {
    sourceId: cfg.id,
    provider: cfg.provider,
    log,
    connection(state, detail) {
      // socket.io reports a failed first connect as "connecting" with the error beside it.
      const outcome = VERDICT[state] ?? (detail ? 'unreachable' : undefined);
      if (!outcome) return;
      const why = detail ?? (outcome === 'unreachable' ? lastReason : undefined);
      settle({ outcome, ...(why ? { detail: scrub(why, secrets) } : {}) });
    },
    order() {},
    activity() {},
    heard() {},
    rtt() {},
    protocolError() {},
    watched: () => [],
    // Taken as done: an all-orders source must not page the provider's whole history for a test.
    baselined: () => true,
    markBaselined() {},
    openOrders: () => [],
    unverified() {},
    verified() {},
  };
  const timer = setTimeout(
    () => settle({ outcome: 'timeout', detail: `no answer within ${timeoutMs / 1000} s` }),
    timeoutMs,
  );
  let source: Source | undefined;
  try {
    source = opts.createSource
      ? opts.createSource(cfg, ctx)
      : createSource(cfg, ctx, opts.tuning ?? {});
    source.start();
  } catch (err) {
    settle({ outcome: 'unreachable', detail: scrub((err as Error).message, secrets) });
  }
  const result = await verdict;
  clearTimeout(timer);
  await source?.stop().catch((err: unknown) => log.debug({ err }, 'test source stop failed'));
  return { ...result, elapsedMs: Math.max(0, now() - started) };
}
