// n.exchange (its "WebSocket Usage" page): plain WebSocket at /orders/, no auth. The client sends
// {"subscribe": REF} and gets {"subscribed": REF}; status updates go only to connections subscribed
// to that ref. n.exchange has no REST, so a (re)subscribe is answered with the order's current
// status at once: that is how a reconnecting client catches up.
import type { IncomingMessage } from 'node:http';
import { WsSimulator, isoNow, parseJsonObject, type WsHub, type WsPeer } from './sim-base.js';
import type { Simulator, SimulatorOptions } from './types.js';

/** Status codes and names exactly as the page's table lists them. */
export const NEXCHANGE_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'CANCELED',
  6: 'INITIATED REFUND',
  7: 'REFUND FAILED',
  8: 'REFUNDED',
  9: 'PENDING KYC',
  11: 'INITIAL',
  12: 'UNCONFIRMED PAYMENT',
  13: 'PAID',
  14: 'PRE-RELEASE',
  15: 'RELEASED',
  16: 'COMPLETED',
};

export type NexchangeCredentials = Record<string, never>;

interface Pair {
  name: string;
  base: string;
  quote: string;
  amountBase: string;
  amountQuote: string;
}

const BTCUSD: Pair = {
  name: 'BTCUSD',
  base: 'BTC',
  quote: 'USD',
  amountBase: '0.001',
  amountQuote: '50.00',
};
const PAIRS: readonly Pair[] = [
  BTCUSD,
  { name: 'ETHBTC', base: 'ETH', quote: 'BTC', amountBase: '0.5', amountQuote: '0.0271' },
  { name: 'LTCETH', base: 'LTC', quote: 'ETH', amountBase: '3.2', amountQuote: '0.094' },
];

interface NxOrder {
  ref: string;
  status: number;
  pair: Pair;
  createdOn: string;
  modifiedOn: string;
}

interface NxPeer {
  refs: Set<string>;
}

function toCode(status: string | number): number {
  const code = typeof status === 'number' ? status : Number(status.trim());
  if (!Number.isInteger(code))
    throw new TypeError(`n.exchange status must be a number code, got ${status}`);
  return code;
}

class NexchangeSimulator extends WsSimulator<NxPeer> {
  readonly provider = 'nexchange' as const;
  private readonly store = new Map<string, NxOrder>();
  protected readonly hub: WsHub<NxPeer>;

  constructor() {
    super({});
    this.hub = this.attachWs<NxPeer>({
      path: '/orders/',
      verify: () => ({ ok: true }),
      init: (_req: IncomingMessage) => ({ refs: new Set() }),
      onText: (peer, text) => this.onText(peer, text),
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/orders/`;
  }

  // The one client frame (n.exchange's WebSocket Usage page), sent once per order, again after
  // every reconnect:
  //
  //   { "subscribe": "ORDER_REFERENCE_123" }
  private onText(peer: WsPeer<NxPeer>, text: string): void {
    // Unparseable or unknown frames are ignored, as the real server does; they are in the log.
    const ref = parseJsonObject(text)?.subscribe;
    if (typeof ref !== 'string' || ref === '') return;
    peer.state.refs.add(ref);
    this.hub.send(peer, { subscribed: ref });
    const order = this.store.get(ref);
    if (order) this.hub.send(peer, this.message(order, order.status));
  }

  private message(order: NxOrder, status: number): Record<string, unknown> {
    const { pair } = order;
    return {
      unique_reference: order.ref,
      status,
      status_name: [[status, NEXCHANGE_STATUS_NAMES[status] ?? 'UNKNOWN']],
      amount_base: pair.amountBase,
      amount_quote: pair.amountQuote,
      deposit_currency: pair.base,
      withdraw_currency: pair.quote,
      pair: { name: pair.name, base: pair.base, quote: pair.quote },
      created_on: order.createdOn,
      modified_on: order.modifiedOn,
      message_type: 'order_status_update',
      websocket_timestamp: isoNow(),
    };
  }

  private push(order: NxOrder, status: number): void {
    this.hub.broadcast(this.message(order, status), (peer) => peer.state.refs.has(order.ref));
  }

  setStatus(orderId: string, status: string | number, opts: { restOnly?: boolean } = {}): void {
    const code = toCode(status);
    const now = isoNow();
    let order = this.store.get(orderId);
    if (order) {
      order.status = code;
      order.modifiedOn = now;
    } else {
      const pair = PAIRS[this.store.size % PAIRS.length] ?? BTCUSD;
      order = { ref: orderId, status: code, pair, createdOn: now, modifiedOn: now };
      this.store.set(orderId, order);
    }
    if (!opts.restOnly) this.push(order, code);
  }

  replay(orderId: string, status: string | number): void {
    const code = toCode(status);
    const now = isoNow();
    const order = this.store.get(orderId) ?? {
      ref: orderId,
      status: code,
      pair: BTCUSD,
      createdOn: now,
      modifiedOn: now,
    };
    this.push(order, code);
  }

  /** n.exchange has no activity events; a frame of the given type reaches every connection. */
  emitActivity(event: string, entityId?: string): void {
    this.hub.broadcast({ message_type: event, ...(entityId !== undefined && { id: entityId }) });
  }

  sendRaw(text: string): void {
    this.hub.broadcast(text);
  }

  /** Connections that subscribed to at least one order (there is no auth to count). */
  connections(): number {
    return this.hub.count((peer) => peer.state.refs.size > 0);
  }

  orders(): Map<string, string | number> {
    return new Map([...this.store].map(([id, order]) => [id, order.status]));
  }
}

export async function startNexchangeSimulator(
  _options: SimulatorOptions<NexchangeCredentials> = {},
): Promise<Simulator> {
  const sim = new NexchangeSimulator();
  await sim.listen();
  return sim;
}
