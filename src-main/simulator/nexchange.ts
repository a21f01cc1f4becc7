// n.exchange (its "WebSocket Usage" page): plain WebSocket at /orders/, no auth. The client sends
// {"subscribe": REF} and gets {"subscribed": REF}; status updates go only to connections subscribed
// to that ref. The page never says a subscribe is answered with the order's current status; only when
// started with `strict: false` does the simulator do so anyway (a server doing more than its page
// says, which the client must survive without a duplicate; see strict.ts). The REST stand-in is the
// public v1 order lookup the client catches up with: GET /en/api/v1/orders/{ref}/, no auth.
import type { IncomingMessage } from 'node:http';
import type { RestCall, RestRoute } from './rest-routes.js';
import {
  WsSimulator,
  isoNow,
  parseJsonObject,
  refuseNonGet,
  sendJson,
  type UpgradeVerdict,
  type WsHub,
  type WsPeer,
} from './sim-base.js';
import { someOf, type SimulatorDescriptor } from './descriptor.js';
import { lifecycle, script, scriptOrderIds } from './scripts.js';
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

/** Which status fields the REST lookup carries (the contract allows either or both). */
export type NexchangeRestStatus = 'both' | 'code' | 'name';

/** The n.exchange simulator's own controls, beside the shared ones. */
export interface NexchangeSim extends Simulator {
  /**
   * While on, an upgrade without an `Origin` header is refused with 403 (Django Channels' check).
   */
  requireOrigin(on: boolean): void;
  /** The `Origin` header of every upgrade request, in order (undefined: none was sent). */
  readonly origins: readonly (string | undefined)[];
}

class NexchangeSimulator extends WsSimulator<NxPeer> implements NexchangeSim {
  readonly provider = 'nexchange' as const;
  private readonly store = new Map<string, NxOrder>();
  protected readonly hub: WsHub<NxPeer>;
  readonly origins: (string | undefined)[] = [];
  private readonly restStatus: NexchangeRestStatus;
  private originRequired: boolean;

  constructor(options: SimulatorOptions<NexchangeCredentials>) {
    super({}, options);
    this.restStatus = options.nexchangeRestStatus ?? 'both';
    this.originRequired = options.nexchangeRequireOrigin ?? false;
    this.hub = this.attachWs<NxPeer>({
      path: '/orders/',
      verify: (req) => this.verifyUpgrade(req),
      init: (_req: IncomingMessage) => ({ refs: new Set() }),
      onText: (peer, text) => this.onText(peer, text),
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/orders/`;
  }

  // n.exchange runs Django Channels, whose AllowedHostsOriginValidator refuses a handshake without
  // an Origin header unless every host is allowed. Recorded always, enforced when switched on.
  private verifyUpgrade(req: IncomingMessage): UpgradeVerdict {
    const origin = req.headers.origin;
    this.origins.push(origin);
    if (this.origins.length > 1000) this.origins.splice(0, this.origins.length - 1000);
    if (this.originRequired && !origin) return { ok: false, status: 403, message: 'Forbidden' };
    return { ok: true };
  }

  requireOrigin(on: boolean): void {
    this.originRequired = on;
  }

  // The order lookup (n.exchange's public API v1, not on the WebSocket page), no authentication:
  //
  //   GET /en/api/v1/orders/{unique_reference}/
  private readonly routes: readonly RestRoute[] = [
    { path: '/en/api/v1/orders/{ref}/', handle: (call) => this.lookup(call) },
  ];

  protected override restRoutes(): readonly RestRoute[] {
    return this.routes;
  }

  private lookup(call: RestCall): void {
    if (refuseNonGet(call)) return;
    const order = this.store.get(call.params.ref ?? '');
    if (!order) {
      sendJson(call.res, 404, { detail: 'Not found.' });
      return;
    }
    sendJson(call.res, 200, this.restOrder(order));
  }

  /** The update's order fields, without the two that only make sense on the socket. */
  private restOrder(order: NxOrder): Record<string, unknown> {
    const fields = this.message(order, order.status);
    delete fields.message_type;
    delete fields.websocket_timestamp;
    if (this.restStatus === 'name') delete fields.status;
    if (this.restStatus === 'code') delete fields.status_name;
    return fields;
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
    if (this.strict) return; // the page promises the confirmation, nothing more
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
  options: SimulatorOptions<NexchangeCredentials> = {},
): Promise<NexchangeSim> {
  const sim = new NexchangeSimulator(options);
  await sim.listen();
  return sim;
}

/** n.exchange in the demo and the soak (descriptor.ts); listed in index.ts. */
export const NEXCHANGE_SIMULATOR: SimulatorDescriptor = {
  start: (options) => startNexchangeSimulator(options),
  sourceId: 'nx',
  demo: {
    // 16 COMPLETED; 0 CANCELED; 8 REFUNDED; 7 REFUND FAILED (via 9 PENDING KYC).
    script: (id) =>
      script(
        lifecycle(id('NX', 1001), [
          [1, 11],
          [6, 12],
          [12, 13],
          [19, 14],
          [26, 15],
          [34, 16],
        ]),
        lifecycle(id('NX', 1002), [
          [1.5, 11],
          [16, 0],
        ]),
        lifecycle(id('NX', 1003), [
          [2, 11],
          [9, 12],
          [17, 13],
          [30, 6],
          [44, 8],
        ]),
        lifecycle(id('NX', 1004), [
          [2.5, 11],
          [10, 9],
          [24, 13],
          [38, 6],
          [54, 7],
        ]),
      ),
    // n.exchange cannot list orders: the client must name the refs it watches, and looks each
    // one up over REST after every (re)connect.
    source: (sim, steps) => ({
      id: 'nx',
      provider: 'nexchange',
      label: 'n.exchange (demo)',
      url: sim.url,
      restUrl: sim.restUrl,
      orders: scriptOrderIds(steps),
    }),
  },
  soak: {
    lifecycle: (rng) => [...someOf(rng, [11, 12, 13, 14, 15]), rng.pick([16, 0, 8, 7])],
    source: (sim, orders) => ({
      id: 'nx',
      provider: 'nexchange',
      url: sim.url,
      restUrl: sim.restUrl,
      orders,
    }),
    frame: (orderId, status) =>
      JSON.stringify({
        unique_reference: orderId,
        status,
        status_name: [[status, String(status)]],
        message_type: 'order_status_update',
      }),
  },
};
