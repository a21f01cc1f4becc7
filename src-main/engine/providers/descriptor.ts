// The engine's half of a provider's description: what the engine needs to validate, connect,
// normalize and judge it. Each adapter exports one of these at the end of its file; the registry
// (index.ts) lists them. The window's half (name, colour, form fields) is in shared/providers.ts.
import type { z } from 'zod';
import type { CatchUp as CatchUpRunner } from '../catch-up.js';
import type { Source, SourceContext } from '../source.js';
import { ownRow, type StatusTable } from '../status.js';
import type { WsProtocol } from '../supervisor.js';
import type { AdapterTuning } from './index.js';

/**
 * What the provider lets a client learn about orders it missed while away:
 * - `lookup`: the current status of an order named by id (a REST lookup; a server is never assumed
 *   to answer a resubscribe with it);
 * - `list`: every order of the account, so orders never named are found too;
 * - `none`: nothing; an event sent during a gap is lost.
 */
export const CATCH_UP_MODES = ['lookup', 'list', 'none'] as const;
export type CatchUpMode = (typeof CATCH_UP_MODES)[number];

export interface CatchUp<Config> {
  mode: CatchUpMode;
  /** A config field that must be set for it (a REST origin); absent: always available. */
  requires?: Extract<keyof Config, string>;
  /** Repeat the list this often while connected (a fallback poll); absent: only after connects. */
  pollMs?: number;
}

/**
 * How the provider says "bad credentials", keyed by the signal, valued by the reason shown with the
 * `auth_failed` state. Keys: `http <status>` (a refused WebSocket upgrade), `close <code>` (a close
 * frame), `message <name>` (a message or event of the protocol itself).
 */
export type AuthFailureTable = Readonly<Record<string, string>>;

export interface AuthSignal {
  httpStatus?: number;
  closeCode?: number;
  message?: string;
}

/** The reason the table gives for a signal, or undefined when it does not mean bad credentials. */
export function authFailureFor(table: AuthFailureTable, signal: AuthSignal): string | undefined {
  const key =
    signal.httpStatus !== undefined
      ? `http ${signal.httpStatus}`
      : signal.closeCode !== undefined
        ? `close ${signal.closeCode}`
        : signal.message !== undefined
          ? `message ${signal.message}`
          : undefined;
  return key === undefined ? undefined : ownRow(table, key);
}

/**
 * How a source is built. Plain-WebSocket providers give a protocol and share the engine's
 * supervisor (connect, heartbeat, backoff); a provider on another transport gives a whole source.
 */
export type Connector<Config> =
  | {
      kind: 'ws';
      protocol(cfg: Config, ctx: SourceContext, tuning: AdapterTuning): WsProtocol;
    }
  | {
      kind: 'source';
      /** `catchUp`: the source calls `use(port)` and `ready(undo)` on each connect. */
      source(
        cfg: Config,
        ctx: SourceContext,
        tuning: AdapterTuning,
        catchUp: CatchUpRunner,
      ): Source;
    };

export interface EngineProvider<Schema extends z.ZodObject> {
  /** The source's config schema (common fields included), docs/config.md. */
  schema: Schema;
  /**
   * Provider code → normalized status and the provider's own label, the status model,
   * docs/headless.md.
   */
  statuses: StatusTable;
  authFailures: AuthFailureTable;
  /** Keepalive period when the config does not set `heartbeatIntervalMs`. */
  defaultHeartbeatMs: number;
  catchUp: CatchUp<z.output<Schema>>;
  /**
   * How many days after an order finished the provider may still send it again (its page's words,
   * docs/providers.md "Bounded growth"). The alert ledger keeps the order's key at least this long
   * after the finish, so a re-send never alerts twice. `GENEROUS_HORIZON_DAYS` where the page
   * promises nothing.
   */
  resendHorizonDays: number;
  connect: Connector<z.output<Schema>>;
}
