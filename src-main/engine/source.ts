// The seam between the engine and one provider connection. A provider adapter reports what it hears
// through a SourceContext; the engine drives it through the Source interface. Nothing here knows
// a wire protocol.
import type { UnverifiedOrder } from './catch-up.js';
import type { Logger } from './log.js';
import type { ActivityUpdate, ConnectionState, OrderUpdate, ProviderKey } from './types.js';

export interface OrderReportOptions {
  /** Where the observation came from: the live stream or a REST catch-up / poll. */
  origin?: 'stream' | 'rest';
  /**
   * Record without alerting: used for the first REST snapshot of an all-orders source, so years of
   * finished orders do not all ring at once on first start. The engine honours it only for an order
   * it has never seen: one seen live that finished during a gap still alerts.
   */
  silent?: boolean;
}

export interface SourceContext {
  readonly sourceId: string;
  readonly provider: ProviderKey;
  readonly log: Logger;
  connection(state: ConnectionState, detail?: string): void;
  order(update: OrderUpdate, options?: OrderReportOptions): void;
  activity(update: ActivityUpdate): void;
  /** Any inbound frame: feeds "last message" in the window. */
  heard(): void;
  /** Catch-up sent one REST request (a lookup or a list page): counted for the metrics. */
  lookedUp?(): void;
  /** Keepalive round trip, when measurable. */
  rtt(ms: number): void;
  /** A frame the adapter could not use. Logged (truncated), never fatal, never stored. */
  protocolError(what: string, frame?: string): void;
  /** Orders the user asked to watch on this source (config + added at run time). */
  watched(): readonly string[];
  /** True once an all-orders source has taken its first full REST snapshot (persisted). */
  baselined(): boolean;
  markBaselined(): void;
  /** Catch-up: the ids to verify after a gap (known non-terminal orders + watched ids not known). */
  openOrders(): readonly string[];
  /** Catch-up: these orders could not be verified after the gap that began at `since`. */
  unverified(since: string, orders: readonly UnverifiedOrder[]): void;
  /** Catch-up: the order was verified over REST; its "unverified" mark goes. */
  verified(orderId: string): void;
}

export interface Source {
  readonly id: string;
  readonly provider: ProviderKey;
  start(): void;
  /** Close the connection for good; resolves when the socket is gone. */
  stop(): Promise<void>;
  /** Skip any backoff wait and connect now (resume from sleep, network back, user asked). */
  reconnectNow(): void;
  /** Start / stop watching one order on the wire (subscribe / unsubscribe as the protocol wants). */
  watch(orderId: string): void;
  unwatch(orderId: string): void;
}
