// Runs the real engine (real adapters, real sockets) against a simulator on loopback and records
// exactly what would reach the NDJSON stream. Every wait is bounded in time.
import { pino } from 'pino';
import { parseConfig } from '../../src-main/engine/config.js';
import { Engine } from '../../src-main/engine/engine.js';
import { createLogger, silentLogger, type Logger } from '../../src-main/engine/log.js';
import { MemoryPersistence, type PersistencePort } from '../../src-main/engine/persistence.js';
import type { AdapterTuning } from '../../src-main/engine/providers/index.js';
import type {
  AlertLine,
  ConnectionState,
  EngineEvent,
  OrderLine,
} from '../../src-main/engine/types.js';

/** Fast reconnects for tests; bad-credential retries keep the production pace (no storm). */
export const TEST_TUNING: AdapterTuning = {
  supervisor: {
    backoff: { baseMs: 40, capMs: 300, factor: 2 },
    handshakeTimeoutMs: 2_000,
    stableAfterMs: 200,
  },
  ozzobit: { reconnectionDelay: 40, reconnectionDelayMax: 200, handshakeTimeoutMs: 2_000 },
  satoriexPollMs: 60_000,
  houdiniPageSize: 7,
};

function withHeartbeat(tuning: AdapterTuning, heartbeatMs: number | undefined): AdapterTuning {
  if (heartbeatMs === undefined) return tuning;
  return {
    ...tuning,
    supervisor: { ...tuning.supervisor, heartbeatIntervalMs: heartbeatMs },
    ozzobit: { ...tuning.ozzobit, heartbeatMs },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Watching {
  engine: Engine;
  events: EngineEvent[];
  persistence: PersistencePort;
  alerts(): AlertLine[];
  orders(orderId?: string): OrderLine[];
  states(source: string): ConnectionState[];
  /** Wait until `condition` holds; fails with `what` and the recent events. */
  until(condition: () => boolean, what: string, ms?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function watch(
  sources: unknown[],
  options: {
    persistence?: PersistencePort;
    tuning?: AdapterTuning;
    /** The engine's clock (retention tests move it); default the real one. */
    now?: () => Date;
    log?: Logger;
    /**
     * A heartbeat faster than a config may ask for (its floor is a second), set through the
     * engine's tuning for every source.
     */
    heartbeatMs?: number;
    maxTrackedOrdersPerSource?: number;
  } = {},
): Promise<Watching> {
  const { config } = parseConfig({ sources });
  const tuning = withHeartbeat(options.tuning ?? TEST_TUNING, options.heartbeatMs);
  const persistence = options.persistence ?? new MemoryPersistence();
  const log =
    options.log ?? (process.env.ORDERBELL_TEST_LOG ? createLogger('debug') : silentLogger());
  const engine = new Engine({
    config,
    persistence,
    log,
    saveIntervalMs: 50,
    tuning,
    ...(options.now ? { now: options.now } : {}),
    ...(options.maxTrackedOrdersPerSource !== undefined
      ? { maxTrackedOrdersPerSource: options.maxTrackedOrdersPerSource }
      : {}),
  });
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  await engine.start();
  let stopped = false;
  const w: Watching = {
    engine,
    events,
    persistence,
    alerts: () => events.filter((e): e is AlertLine => e.kind === 'alert'),
    orders: (orderId) =>
      events.filter(
        (e): e is OrderLine =>
          e.kind === 'order' && (orderId === undefined || e.orderId === orderId),
      ),
    states: (source) =>
      events.flatMap((e) => (e.kind === 'connection' && e.source === source ? [e.state] : [])),
    async until(condition, what, ms = 5_000) {
      const deadline = Date.now() + ms;
      while (!condition()) {
        if (Date.now() > deadline) {
          const recent = events
            .slice(-12)
            .map((e) => JSON.stringify(e))
            .join('\n  ');
          throw new Error(
            `timed out after ${ms} ms waiting for ${what}; last events:\n  ${recent}`,
          );
        }
        await sleep(10);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await engine.stop();
    },
  };
  return w;
}

/** The latest connection state of a source. */
export function stateOf(w: Watching, source: string): ConnectionState | undefined {
  return w.states(source).at(-1);
}

/** A logger that keeps every line it would write (pino's JSON, as on stderr), for assertions. */
export function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { log, lines };
}
