// SatoriEx (its "WebSocket events" page): plain WebSocket at /ws, JWT in the `?token=` query
// checked at the upgrade (401 when missing or wrong). Three channel families: `user` is bound to
// every authenticated connection, `market:{id}` and `marketdata:{id}` need subscribe messages.
// Order state travels on the market channel (`order`, `order_update`), a fill is also announced on
// the user channel (`order_filled`). REST `GET /api/v1/me/orders` is the page's 60 s fallback poll.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RestCall, RestRoute } from './rest-routes.js';
import {
  WsSimulator,
  isoNow,
  parseJsonObject,
  randomHex,
  refuseNonGet,
  requestUrl,
  sendJson,
  type Json,
  type UpgradeVerdict,
  type WsHub,
  type WsPeer,
} from './sim-base.js';
import {
  credential,
  someOf,
  type NativeStatus,
  type SimulatorDescriptor,
  type SoakRandom,
} from './descriptor.js';
import { activity, lifecycle, script } from './scripts.js';
import type { Simulator, SimulatorOptions } from './types.js';

export const SATORIEX_ORDER_STATUSES = [
  'open',
  'partially_filled',
  'filled',
  'canceled',
  'rejected',
  'expired',
] as const;

/** User-channel events that setStatus accepts as the "status" of a deposit or withdrawal. */
export const SATORIEX_TRANSFER_EVENTS = [
  'deposit_confirmed',
  'withdraw_requested',
  'withdraw_submitted',
  'withdraw_approved',
  'withdraw_rejected',
  'withdraw_confirmed',
  'withdraw_failed',
] as const;

export const SATORIEX_DEFAULT_MARKET = 'mkt_abc123';

export interface SatoriexCredentials {
  token: string;
}

const WS_PATH = '/ws';
const REST_ORDERS = '/api/v1/me/orders';
/** Per the page's channel table: these reach `market:{id}` subscribers only. */
const MARKET_EVENTS: readonly string[] = ['trade', 'settlement', 'comment'];
/** And these `marketdata:{id}` subscribers only. */
const MARKETDATA_EVENTS: readonly string[] = ['price_update', 'orderbook'];

/**
 * Client messages that (un)subscribe a market channel. Unsubscribing is not in the page; harmless.
 */
const CHANNEL_MESSAGES = new Map<string, { family: 'market' | 'marketdata'; add: boolean }>([
  ['subscribe', { family: 'market', add: true }],
  ['unsubscribe', { family: 'market', add: false }],
  ['subscribe_marketdata', { family: 'marketdata', add: true }],
  ['unsubscribe_marketdata', { family: 'marketdata', add: false }],
]);

interface SxOrder {
  order_id: string;
  market_id: string;
  status: string;
  side: 'buy' | 'sell';
  price: string;
  size: string;
  updated_at: string;
}

interface SxPeer {
  markets: Set<string>;
  marketData: Set<string>;
}

/** A token that looks like a JWT (`header.payload.signature`); nobody verifies the signature. */
export function fakeJwt(): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const payload = { sub: `usr_${randomHex(6)}`, iat, exp: iat + 30 * 24 * 3600 };
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}.${randomBytes(32).toString('base64url')}`;
}

function cursorOf(orderId: string): string {
  return Buffer.from(orderId).toString('base64url');
}

function isTransferEvent(status: string): boolean {
  return (SATORIEX_TRANSFER_EVENTS as readonly string[]).includes(status);
}

/** The SatoriEx simulator's own controls, beside the shared ones. */
export interface SatoriexSim extends Simulator {
  /**
   * Another user's order on a public `market:{id}` channel (`order`, and `order_update` when partially
   * filled): never on the user channel, never in `/me/orders`, not in `orders()`.
   */
  setStrangerStatus(orderId: string, status: string, opts?: { market?: string }): void;
  /**
   * While on, a `partially_filled` order is also announced as `order_filled` on the user channel with
   * `filled_size` < `size`, and every `order_filled` carries both sizes. Off: `order_filled` only for
   * `filled`, without sizes.
   */
  announcePartialFills(on: boolean): void;
}

class SatoriexSimulator extends WsSimulator<SxPeer> implements SatoriexSim {
  readonly provider = 'satoriex' as const;
  private readonly marketOrders = new Map<string, SxOrder>();
  /** Other users' orders seen on market channels. */
  private readonly strangers = new Map<string, SxOrder>();
  private readonly pageSize: number | undefined;
  private partialFills = false;
  /** Deposits and withdrawals: user-channel only, not in the REST order list. */
  private readonly transfers = new Map<string, string>();
  protected readonly hub: WsHub<SxPeer>;

  constructor(options: SimulatorOptions<SatoriexCredentials>) {
    super({ token: options.credentials?.token ?? fakeJwt() }, options);
    this.pageSize = options.satoriexPageSize;
    if (this.pageSize !== undefined && !(Number.isInteger(this.pageSize) && this.pageSize > 0))
      throw new RangeError('satoriexPageSize must be a positive integer');
    this.hub = this.attachWs<SxPeer>({
      path: WS_PATH,
      verify: (req) => this.verifyUpgrade(req),
      init: () => ({ markets: new Set(), marketData: new Set() }),
      onText: (peer, text) => this.onText(peer, text),
    });
  }

  /** Without the token: the client appends `?token=` itself. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}${WS_PATH}`;
  }

  // The session's JWT rides in the upgrade URL (SatoriEx's WebSocket events page):
  //
  //   GET /ws?token=<jwt>
  private verifyUpgrade(req: IncomingMessage): UpgradeVerdict {
    const token = requestUrl(req)?.searchParams.get('token');
    if (token === this.credentials.token) return { ok: true };
    this.counters.authFailures += 1;
    return { ok: false, status: 401, message: token ? 'invalid token' : 'missing token' };
  }

  // Client frames (SatoriEx's WebSocket events page): one per market channel to join. The
  // unsubscribe forms are not on the page; they are accepted as harmless:
  //
  //   { "type": "subscribe", "market_id": "mkt_abc123" }
  //   { "type": "subscribe_marketdata", "market_id": "mkt_abc123" }
  private onText(peer: WsPeer<SxPeer>, text: string): void {
    const message = parseJsonObject(text);
    if (!message || typeof message.type !== 'string') {
      this.hub.send(peer, { type: 'error', message: 'invalid message' });
      return;
    }
    const market = message.market_id;
    const channel = CHANNEL_MESSAGES.get(message.type);
    if (!channel) {
      this.hub.send(peer, { type: 'error', message: `unknown message type: ${message.type}` });
      return;
    }
    if (typeof market !== 'string' || market === '') {
      this.hub.send(peer, { type: 'error', message: 'market_id is required' });
      return;
    }
    const { family, add } = channel;
    const set = family === 'market' ? peer.state.markets : peer.state.marketData;
    if (add) set.add(market);
    else set.delete(market);
    this.hub.send(peer, {
      type: add ? 'subscribed' : 'unsubscribed',
      channel: `${family}:${market}`,
    });
  }

  // The page's 60-second fallback poll, with the same JWT as a bearer token:
  //
  //   GET /api/v1/me/orders
  //   Authorization: Bearer <jwt>
  //
  // The page defines no paging. With `satoriexPageSize` set, the list comes in pages linked by an
  // opaque cursor (ours; see docs/providers.md):
  //
  //   GET /api/v1/me/orders                 -> {"orders": [...], "next_cursor": "c1"}
  //   GET /api/v1/me/orders?cursor=c1       -> {"orders": [...], "next_cursor": null}
  private readonly routes: readonly RestRoute[] = [
    { path: REST_ORDERS, handle: (call) => this.myOrders(call) },
  ];

  protected override restRoutes(): readonly RestRoute[] {
    return this.routes;
  }

  private myOrders(call: RestCall): void {
    const { req, res, url } = call;
    if (req.headers.authorization !== `Bearer ${this.credentials.token}`) {
      sendJson(res, 401, { error: 'unauthorized' });
      return;
    }
    if (refuseNonGet(call)) return;
    const all = [...this.marketOrders.values()];
    if (this.pageSize === undefined) {
      sendJson(res, 200, { orders: all });
      return;
    }
    const cursor = url.searchParams.get('cursor');
    // The cursor names the last order of the previous page, so orders changing status between two
    // page reads neither repeat nor drop out (a plain offset would shift).
    const after = cursor === null ? -1 : all.findIndex((o) => cursorOf(o.order_id) === cursor);
    if (cursor !== null && after < 0) {
      sendJson(res, 400, { error: 'invalid cursor' });
      return;
    }
    const page = all.slice(after + 1, after + 1 + this.pageSize);
    const last = page.at(-1);
    const more = after + 1 + page.length < all.length;
    sendJson(res, 200, {
      orders: page,
      next_cursor: more && last ? cursorOf(last.order_id) : null,
    });
  }

  /** `mine`: the user's own order (also on the user channel); else a stranger's, market only. */
  private pushOrder(order: SxOrder, mine = true): void {
    const { order_id, market_id, status, side, price, size } = order;
    const timestamp = isoNow();
    const onMarket = (peer: WsPeer<SxPeer>) => peer.state.markets.has(market_id);
    this.hub.broadcast(
      { type: 'order', order_id, market_id, status, side, price, size, timestamp },
      onMarket,
    );
    if (status === 'partially_filled') {
      // What is left resting on the book.
      const left = String(Number(size) / 2);
      this.hub.broadcast(
        { type: 'order_update', order_id, market_id, status, size: left },
        onMarket,
      );
    }
    if (!mine) return;
    // The user channel announces the user's own fills only. Sizes ride along only while partial fills
    // are announced: then a client must compare them, and nothing else tells a partial fill apart.
    if (status === 'filled') {
      this.hub.broadcast({
        type: 'order_filled',
        order_id,
        market_id,
        ...(this.partialFills && { filled_size: size, size }),
        timestamp,
      });
    }
    if (status === 'partially_filled' && this.partialFills) {
      const filled = String(Number(size) / 2);
      this.hub.broadcast({
        type: 'order_filled',
        order_id,
        market_id,
        filled_size: filled,
        size,
        timestamp,
      });
    }
  }

  setStrangerStatus(orderId: string, status: string, opts: { market?: string } = {}): void {
    const order = this.orderFor(this.strangers, orderId, status, opts.market);
    this.strangers.set(orderId, order);
    this.pushOrder(order, false);
  }

  announcePartialFills(on: boolean): void {
    this.partialFills = on;
  }

  private pushTransfer(event: string, id: string): void {
    const idField = event.startsWith('deposit') ? 'deposit_id' : 'withdrawal_id';
    this.hub.broadcast({
      type: event,
      [idField]: id,
      amount: '250.00',
      currency: 'USDC',
      timestamp: isoNow(),
    });
  }

  private orderFor(
    store: Map<string, SxOrder>,
    orderId: string,
    status: string,
    market: string | undefined,
  ): SxOrder {
    const stored = store.get(orderId);
    const index = store.size;
    return {
      order_id: orderId,
      market_id: market ?? stored?.market_id ?? SATORIEX_DEFAULT_MARKET,
      status,
      side: stored?.side ?? (index % 2 === 0 ? 'buy' : 'sell'),
      price: stored?.price ?? (0.35 + (index % 5) * 0.07).toFixed(2),
      size: stored?.size ?? String(100 * (1 + (index % 3))),
      updated_at: isoNow(),
    };
  }

  setStatus(
    orderId: string,
    status: string | number,
    opts: { restOnly?: boolean; market?: string } = {},
  ): void {
    const value = String(status);
    if (isTransferEvent(value)) {
      this.transfers.set(orderId, value);
      if (!opts.restOnly) this.pushTransfer(value, orderId);
      return;
    }
    const order = this.orderFor(this.marketOrders, orderId, value, opts.market);
    this.marketOrders.set(orderId, order);
    if (!opts.restOnly) this.pushOrder(order);
  }

  replay(orderId: string, status: string | number): void {
    const value = String(status);
    if (isTransferEvent(value)) this.pushTransfer(value, orderId);
    else this.pushOrder(this.orderFor(this.marketOrders, orderId, value, undefined));
  }

  emitActivity(event: string, entityId?: string): void {
    const timestamp = isoNow();
    const market = entityId ?? SATORIEX_DEFAULT_MARKET;
    if (MARKETDATA_EVENTS.includes(event)) {
      const message: Json =
        event === 'price_update'
          ? {
              type: event,
              market_id: market,
              mid: '0.55',
              best_bid: '0.54',
              best_ask: '0.56',
              timestamp,
            }
          : { type: event, market_id: market, timestamp };
      this.hub.broadcast(message, (peer) => peer.state.marketData.has(market));
      return;
    }
    if (MARKET_EVENTS.includes(event)) {
      const message: Json =
        event === 'trade'
          ? {
              type: event,
              trade_id: `trd_${randomHex(6)}`,
              market_id: market,
              price: '0.55',
              size: '10',
              side: 'buy',
              timestamp,
            }
          : { type: event, market_id: market, timestamp };
      this.hub.broadcast(message, (peer) => peer.state.markets.has(market));
      return;
    }
    // Everything else is a user-channel event: every authenticated connection gets it.
    const message: Json =
      event === 'wallet_changed'
        ? { type: event, balance: '1250.00', currency: 'USDC', timestamp }
        : { type: event, ...(entityId !== undefined && { id: entityId }), timestamp };
    this.hub.broadcast(message);
  }

  sendRaw(text: string): void {
    this.hub.broadcast(text);
  }

  /** Every connection passed the token check at the upgrade, so every open one counts. */
  connections(): number {
    return this.hub.count();
  }

  orders(): Map<string, string | number> {
    const all = new Map<string, string | number>();
    for (const [id, order] of this.marketOrders) all.set(id, order.status);
    for (const [id, event] of this.transfers) all.set(id, event);
    return all;
  }
}

export async function startSatoriexSimulator(
  options: SimulatorOptions<SatoriexCredentials> = {},
): Promise<SatoriexSim> {
  const sim = new SatoriexSimulator(options);
  await sim.listen();
  return sim;
}

/** A soak order's lifecycle, the user's or a stranger's: an open order that ends one way or another. */
const soakLifecycle = (rng: SoakRandom): NativeStatus[] => [
  ...someOf(rng, ['open', 'partially_filled']),
  rng.pick(['filled', 'canceled', 'rejected', 'expired']),
];

/** SatoriEx in the demo and the soak (descriptor.ts); listed in index.ts. */
export const SATORIEX_SIMULATOR: SimulatorDescriptor = {
  start: (options) => startSatoriexSimulator(options),
  sourceId: 'sx',
  demo: {
    script: (id) =>
      script(
        lifecycle(
          id('ord', 5001),
          [
            [1, 'open'],
            [10, 'partially_filled'],
            [24, 'filled'],
          ],
          SATORIEX_DEFAULT_MARKET,
        ),
        lifecycle(
          id('ord', 5002),
          [
            [2, 'open'],
            [18, 'canceled'],
          ],
          SATORIEX_DEFAULT_MARKET,
        ),
        lifecycle(
          id('ord', 5003),
          [
            [3, 'open'],
            [50, 'expired'],
          ],
          SATORIEX_DEFAULT_MARKET,
        ),
        lifecycle(
          id('ord', 5004),
          [
            [4, 'open'],
            [8, 'rejected'],
          ],
          SATORIEX_DEFAULT_MARKET,
        ),
        lifecycle(id('wd', 5101), [
          [5, 'withdraw_requested'],
          [14, 'withdraw_submitted'],
          [22, 'withdraw_approved'],
          [38, 'withdraw_confirmed'],
        ]),
        lifecycle(id('wd', 5102), [
          [7, 'withdraw_requested'],
          [30, 'withdraw_failed'],
        ]),
        lifecycle(id('dep', 5201), [[12, 'deposit_confirmed']]),
        activity(12.5, 'wallet_changed'),
        activity(20, 'kyc_approved', id('sx-user', 1)),
      ),
    source: (sim) => ({
      id: 'sx',
      provider: 'satoriex',
      label: 'SatoriEx (demo)',
      url: sim.url,
      token: credential(sim, 'token'),
      markets: [SATORIEX_DEFAULT_MARKET],
      marketData: false,
      restUrl: sim.restUrl,
    }),
  },
  soak: {
    lifecycle: soakLifecycle,
    source: (sim) => ({
      id: 'sx',
      provider: 'satoriex',
      url: sim.url,
      token: sim.credentials.token ?? '',
      markets: [SATORIEX_DEFAULT_MARKET],
      restUrl: sim.restUrl,
    }),
    statusOptions: { market: SATORIEX_DEFAULT_MARKET },
    frame: (orderId, status) =>
      JSON.stringify({
        type: 'order',
        order_id: orderId,
        market_id: SATORIEX_DEFAULT_MARKET,
        status,
      }),
    // Other users' orders on the same market channel: in no REST answer, on no user channel.
    strangers: {
      lifecycle: soakLifecycle,
      set: (sim, orderId, status) =>
        (sim as SatoriexSim).setStrangerStatus(orderId, String(status), {
          market: SATORIEX_DEFAULT_MARKET,
        }),
    },
  },
};
