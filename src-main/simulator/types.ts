// The one shape every loopback simulator has, whatever protocol it speaks, so that tests and the
// demo can drive all five providers the same way.
import type { ProviderKey } from '../engine/types.js';
import type { RestFault } from './rest-faults.js';

export type { RestFault } from './rest-faults.js';

/** A text frame a client sent (socket.io: `${event} ${JSON.stringify(args)}`). */
export interface ReceivedFrame {
  at: number;
  connection: number;
  text: string;
}

/**
 * One step of a scripted lifecycle. `after` is milliseconds since the script started (divided by
 * the speed), not since the previous step, so several lifecycles can be interleaved in one list.
 */
export type ScriptStep =
  | {
      after: number;
      orderId: string;
      status: string | number;
      restOnly?: boolean;
      market?: string;
    }
  | { after: number; activity: string; orderId?: string };

export interface SimulatorStats {
  /** TCP connections the fault proxy accepted (every attempt, including refused upgrades). */
  accepted: number;
  authFailures: number;
  /** REST requests to a known endpoint (whatever their answer, faults included). */
  restCalls: number;
  /** The same, per endpoint path template (e.g. `/v2/orders/{houdiniId}`). */
  restByEndpoint: Readonly<Record<string, number>>;
  /** Bytes of never-ending bodies written (REST fault `endless`): what clients let in. */
  restEndlessBytes: number;
}

/** One REST request to a known endpoint, logged when it arrived (before any fault or answer). */
export interface RestRequestRecord {
  at: number;
  method: string;
  /** The path as requested, query included. */
  path: string;
  /** The endpoint's path template. */
  endpoint: string;
}

export interface Simulator {
  readonly provider: ProviderKey;
  /** Exactly what goes in the config "url" (ozzobit: path = namespace; satoriex: without token). */
  readonly url: string;
  /** REST origin `http://127.0.0.1:PORT` of the providers that have REST (all but orangepill). */
  readonly restUrl?: string;
  /** Doing only what the provider's page says (see strict.ts for the default). */
  readonly strict: boolean;
  /** Valid credentials keyed by config field name. */
  readonly credentials: Record<string, string>;
  /**
   * Create or move an order to a provider-native status (number code or event name) and push it to
   * subscribed clients as the protocol does. restOnly: change only what REST (or a resubscribe)
   * answers, as if it happened while the client was away; push nothing.
   */
  setStatus(
    orderId: string,
    status: string | number,
    opts?: { restOnly?: boolean; market?: string },
  ): void;
  /** Push a message for the order WITHOUT changing stored state: a stale or duplicate frame. */
  replay(orderId: string, status: string | number): void;
  /** Push a non-order event (activity). */
  emitActivity(event: string, entityId?: string): void;
  /** Send a raw text frame to every connected client (ozzobit: as an `order:update` event). */
  sendRaw(text: string): void;
  /** Reset every proxied TCP connection abruptly: no close frame. */
  drop(): void;
  /** Stall all bytes both ways while keeping sockets open (true); resume for new links (false). */
  halfOpen(on: boolean): void;
  /** Close the listening server and all clients, then listen again on the same port. */
  restart(): Promise<void>;
  /** Clients currently connected and authenticated / subscribed. */
  connections(): number;
  readonly stats: Readonly<SimulatorStats>;
  readonly received: ReceivedFrame[];
  /** REST requests to known endpoints, oldest first (bounded like `received`). */
  readonly restRequests: RestRequestRecord[];
  /** Sets (undefined: clears) the fault every later REST request meets; see rest-faults.ts. */
  setRestFault(fault: RestFault | undefined): void;
  /** Current native status of every known order. */
  orders(): Map<string, string | number>;
  /**
   * Run `fn` (setStatus, replay… calls) with every client connection corked: the frames it pushes
   * leave in one write per connection, as when a reconnect delivers a backlog at once. The bench
   * floods through this, so the simulator is never the bottleneck it measures.
   */
  burst(fn: () => void): void;
  /** Run scripted steps; resolves when the last step ran, or when the simulator closes. */
  runScript(steps: readonly ScriptStep[], speed?: number): Promise<void>;
  close(): Promise<void>;
}

/** Options every start function accepts; each provider reads only what applies to it. */
export interface SimulatorOptions<C = Record<string, string>> {
  credentials?: Partial<C>;
  /** socket.io server heartbeat (ozzobit only). */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** Orangepill notification shape; 'alternate' switches with every message. */
  orangepillShape?: 'flat' | 'nested' | 'alternate';
  /**
   * Do only what the provider's page says (default: STRICT_BY_DEFAULT in strict.ts). What it changes
   * per provider is in docs/providers.md: n.exchange and OZZOBiT stop answering a subscribe with
   * the order's current status; Houdini forgets orders older than 48 h in REST.
   */
  strict?: boolean;
  /** n.exchange REST: the status as `status` (code), `status_name` (pairs) or both (default). */
  nexchangeRestStatus?: 'both' | 'code' | 'name';
  /** n.exchange: refuse an upgrade without an `Origin` header (403), as Django Channels does. */
  nexchangeRequireOrigin?: boolean;
  /** OZZOBiT REST: the order bare (default) or wrapped as `{"data": order}`. */
  ozzobitRestEnvelope?: 'bare' | 'data';
  /** OZZOBiT REST: `status` as the event name (default, `ORDER_COMPLETED`) or a REST state (`COMPLETED`). */
  ozzobitRestStatus?: 'event' | 'state';
  /** OZZOBiT REST: the order's id field, `orderId` (default) or `id`. */
  ozzobitRestIdField?: 'orderId' | 'id';
  /** Houdini REST: the largest page `GET /v2/orders` serves, whatever pageSize asks (default 100). */
  houdiniMaxPageSize?: number;
  /** Houdini REST: orders created more than 48 h ago are gone from REST (default: strict). */
  houdiniForgetAfter48h?: boolean;
  /** SatoriEx REST: `/api/v1/me/orders` in pages of this many orders (default: one page). */
  satoriexPageSize?: number;
}
