// SatoriEx (its "WebSocket events" page): plain WebSocket with the JWT in `?token=`; the user
// channel arrives on its own, market channels need `{type:"subscribe", market_id}` (and
// `subscribe_marketdata` for prices); dispatch on `type`. The REST snapshot (`GET /api/v1/me/orders`)
// is this adapter's `list`: the engine's catch-up (catch-up.ts) reads it behind the page's hydration
// gate after every connect, and again every 60 s while connected (the page's fallback poll).
import type { SourceConfigOf } from '../config.js';
import { getJson, REST_TIMEOUT_MS } from '../rest.js';
import type { SourceContext } from '../source.js';
import { ownRow, type StatusTable } from '../status.js';
import type { WsLink, WsProtocol } from '../supervisor.js';
import type { OrderDetails, OrderUpdate } from '../types.js';
import { isObject, parseJson, str } from '../wire.js';
import { z } from 'zod';
import { restOrigin, secret, sourceSchema } from '../source-schema.js';
import { authFailureFor, type AuthFailureTable, type EngineProvider } from './descriptor.js';
import { OWNERSHIP_DEFAULTS, SatoriexOwnership } from './satoriex-ownership.js';
import { GENEROUS_HORIZON_DAYS } from '../retention.js';

/**
 * Order `status` values and the user-channel event names that are about an order (the status model,
 * docs/headless.md).
 */
export const SATORIEX_STATUS: StatusTable = {
  open: { status: 'processing', label: 'open' },
  partially_filled: { status: 'processing', label: 'partially filled' },
  filled: { status: 'completed', label: 'filled' },
  canceled: { status: 'canceled', label: 'canceled' },
  rejected: { status: 'failed', label: 'rejected' },
  expired: { status: 'expired', label: 'expired' },
  order_filled: { status: 'completed', label: 'order filled' },
  deposit_confirmed: { status: 'completed', label: 'deposit confirmed' },
  withdraw_requested: { status: 'pending', label: 'withdraw requested' },
  withdraw_submitted: { status: 'processing', label: 'withdraw submitted' },
  withdraw_approved: { status: 'processing', label: 'withdraw approved' },
  withdraw_confirmed: { status: 'completed', label: 'withdraw confirmed' },
  withdraw_rejected: { status: 'failed', label: 'withdraw rejected' },
  withdraw_failed: { status: 'failed', label: 'withdraw failed' },
};

type Route = 'order-status' | 'order-event' | 'activity' | 'marketdata' | 'ignore';

/** How each documented `type` is handled. Anything else is reported as unknown. */
const ROUTES: Readonly<Record<string, Route>> = {
  order: 'order-status',
  order_update: 'order-status',
  order_filled: 'order-event',
  deposit_confirmed: 'order-event',
  withdraw_requested: 'order-event',
  withdraw_submitted: 'order-event',
  withdraw_approved: 'order-event',
  withdraw_confirmed: 'order-event',
  withdraw_rejected: 'order-event',
  withdraw_failed: 'order-event',
  trade: 'activity',
  settlement: 'activity',
  comment: 'activity',
  wallet_changed: 'activity',
  kyc_approved: 'activity',
  kyc_rejected: 'activity',
  proposal_approved: 'activity',
  proposal_rejected: 'activity',
  referral_bonus: 'activity',
  dispute_filed: 'activity',
  mention: 'activity',
  market_resolved: 'activity',
  price_update: 'marketdata',
  orderbook: 'ignore',
  subscribed: 'ignore',
  pong: 'ignore',
};

/** The page names `order_id`; deposits and withdrawals carry their own id field. */
const ID_FIELDS = ['order_id', 'withdrawal_id', 'withdraw_id', 'deposit_id', 'id'] as const;

export const FALLBACK_POLL_MS = 60_000;
/** `/me/orders` pages followed per listing at most (a cursor that never ends is a broken server). */
export const MAX_PAGES = 1_000;
/** Upgrade refusals and close codes that mean "your token". */
const AUTH_REFUSALS: AuthFailureTable = {
  'http 401': 'token rejected (HTTP 401)',
  'http 403': 'token rejected (HTTP 403)',
  'close 4401': 'token rejected (close 4401)',
  'close 1008': 'token rejected (close 1008, policy violation)',
};

export class SatoriexProtocol implements WsProtocol {
  readonly defaultHeartbeatMs = SATORIEX_PROVIDER.defaultHeartbeatMs;
  /** Whose orders the market channels carry: only the user's become orders. */
  readonly ownership: SatoriexOwnership;

  constructor(
    private readonly cfg: SourceConfigOf<'satoriex'>,
    private readonly ctx: SourceContext,
  ) {
    this.ownership = new SatoriexOwnership({
      ...OWNERSHIP_DEFAULTS,
      ...(cfg.restUrl ? { refresh: () => this.learnOwnership() } : {}),
      stranger: (orderId) => ctx.log.debug({ orderId }, "another user's order: not tracked"),
    });
  }

  endpoint() {
    const url = new URL(this.cfg.url);
    url.searchParams.set('token', this.cfg.token);
    return { url: url.toString() };
  }

  authFailure(e: { httpStatus?: number; closeCode?: number }): string | undefined {
    return authFailureFor(AUTH_REFUSALS, e);
  }

  onOpen(link: WsLink): void {
    for (const market_id of this.cfg.markets) {
      link.sendJson({ type: 'subscribe', market_id });
      if (this.cfg.marketData) link.sendJson({ type: 'subscribe_marketdata', market_id });
    }
    link.ready(); // the user channel is bound on connect; there is no welcome to wait for
  }

  // Every frame carries a `type` (SatoriEx's WebSocket events page lists the types per channel but
  // prints no payload: `market_id` is the page's own name, the other fields are those the
  // simulator sends and the tests pin):
  //
  //   market:{id}      { "type": "order", "order_id": "ord_1", "market_id": "mkt_abc123",
  //                      "status": "open", "side": "buy", "price": "0.35", "size": "100",
  //                      "timestamp": "2026-01-01T12:00:00.000Z" }
  //                    { "type": "order_update", "order_id": "ord_1", "market_id": "mkt_abc123",
  //                      "status": "partially_filled", "size": "50" }
  //                    { "type": "trade", "trade_id": "trd_1a2b3c", "market_id": "mkt_abc123", … }
  //   user             { "type": "order_filled", "order_id": "ord_1", "market_id": "mkt_abc123",
  //                      "timestamp": "2026-01-01T12:00:05.000Z" }
  //                    { "type": "withdraw_requested", "withdrawal_id": "wd_1",
  //                      "amount": "250.00", "currency": "USDC", "timestamp": "…" }
  //                    { "type": "wallet_changed", "balance": "1250.00", "currency": "USDC", … }
  //   marketdata:{id}  { "type": "price_update", "market_id": "mkt_abc123", "mid": "0.55",
  //                      "best_bid": "0.54", "best_ask": "0.56", "timestamp": "…" }
  //   our subscribe    { "type": "subscribed", "channel": "market:mkt_abc123" }
  onMessage(text: string): void {
    const msg = parseJson(text);
    if (!isObject(msg) || typeof msg.type !== 'string') {
      return this.ctx.protocolError('not a typed JSON message', text);
    }
    const route = ownRow(ROUTES, msg.type);
    if (!route) return this.ctx.protocolError(`unknown message type "${msg.type}"`, text);
    if (route === 'ignore') return;
    this.dispatch(route, msg.type as string, msg, text);
  }

  watch(): void {
    // Orders are tracked as they appear on the user channel and the subscribed markets.
  }

  unwatch(): void {}

  dispose(): void {
    this.ownership.dispose();
  }

  // One routed frame. `order` / `order_update` carry the order's `status`; a user-channel event is
  // its own status, with the id in a field of its own:
  //
  //   { "type": "order", "order_id": "ord_1", "status": "filled", … }      status "filled"
  //   { "type": "deposit_confirmed", "deposit_id": "dep_1", … }          status "deposit_confirmed"
  private dispatch(route: Route, type: string, msg: Record<string, unknown>, text: string): void {
    if (route === 'activity' || route === 'marketdata') {
      if (route === 'marketdata' && !this.cfg.marketData) return;
      const entityId = idOf(msg) ?? str(msg.market_id);
      const detail = activityDetail(msg);
      return this.ctx.activity({
        event: type,
        ...(entityId ? { entityId } : {}),
        ...(detail ? { detail } : {}),
      });
    }
    const orderId = idOf(msg);
    // `order` / `order_update` carry a `status`; user-channel events are their own status, except
    // an `order_filled` that filled less than the order's size.
    const providerStatus =
      route === 'order-status' ? str(msg.status) : isPartialFill(type, msg) ? PARTIAL : type;
    if (!orderId) return this.ctx.protocolError(`${type} without an order id`, text);
    // The user channel only ever speaks of the user's own orders.
    if (route === 'order-event') this.ownership.claim(orderId);
    if (!providerStatus) {
      // A resting order modified without a status change: nothing for the status model.
      return this.ctx.activity({ event: type, entityId: orderId });
    }
    const mapped = ownRow(SATORIEX_STATUS, providerStatus);
    if (!mapped) return this.ctx.protocolError(`unknown SatoriEx status "${providerStatus}"`, text);
    const update = { orderId, status: mapped.status, providerStatus, details: details(msg) };
    if (route === 'order-event') return this.ctx.order(update);
    // Market channels carry every user's orders: only the user's become orders.
    this.ownership.offer(orderId, () => this.ctx.order(update));
  }

  // `GET /api/v1/me/orders` with `Authorization: Bearer <jwt>`, the page's fallback poll (its body
  // as the simulator answers it: market orders only, deposits and withdrawals are not listed; the
  // page defines no paging, `next_cursor` is the simulator's choice, docs/providers.md):
  //
  //   { "orders": [{ "order_id": "ord_1", "market_id": "mkt_abc123", "status": "canceled",
  //                  "side": "buy", "price": "0.35", "size": "100",
  //                  "updated_at": "2026-01-01T12:00:00.000Z" }],
  //     "next_cursor": "c1" }          (then `?cursor=c1`, until `next_cursor` is null or absent)
  /** The /me/orders snapshot, page by page (the engine's catch-up reads it). */
  async *list(signal: AbortSignal): AsyncGenerator<OrderUpdate[]> {
    if (!this.cfg.restUrl) return;
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const query = cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`;
      const body = await getJson(
        `${this.cfg.restUrl}/api/v1/me/orders${query}`,
        { Authorization: `Bearer ${this.cfg.token}` },
        undefined,
        signal,
      );
      if (!isObject(body) || !Array.isArray(body.orders)) {
        throw new Error('GET /api/v1/me/orders answered without an "orders" array');
      }
      const page = this.usable(body.orders);
      // Ownership first: stream events waiting on an unknown id are older than this read.
      this.ownership.listed(page.map((u) => u.orderId));
      yield page;
      cursor = str(body.next_cursor);
      if (!cursor) return;
    }
    throw new Error(`GET /api/v1/me/orders: more than ${MAX_PAGES} pages`);
  }

  /**
   * An unknown id on a market channel: one read of /me/orders to learn whose it is. The read only
   * teaches ownership; what it says about each order is the catch-up's business, not applied here.
   */
  private async learnOwnership(): Promise<void> {
    const refresh = new AbortController();
    const deadline = setTimeout(() => refresh.abort(), REST_TIMEOUT_MS);
    try {
      for await (const page of this.list(refresh.signal)) void page;
    } finally {
      clearTimeout(deadline);
    }
  }

  private usable(orders: unknown[]): OrderUpdate[] {
    const out: OrderUpdate[] = [];
    for (const o of orders) {
      const orderId = isObject(o) ? idOf(o) : undefined;
      const status = isObject(o) ? str(o.status) : undefined;
      const mapped = status === undefined ? undefined : ownRow(SATORIEX_STATUS, status);
      if (!isObject(o) || !orderId || !status || !mapped) {
        this.ctx.protocolError('unusable order in /me/orders', JSON.stringify(o));
        continue;
      }
      out.push({ orderId, status: mapped.status, providerStatus: status, details: details(o) });
    }
    return out;
  }
}

const PARTIAL = 'partially_filled';

/**
 * `order_filled` with `filled_size` below `size` filled only part of the order (both are numbers
 * as strings; without both, the page's word stands: filled).
 */
function isPartialFill(type: string, msg: Record<string, unknown>): boolean {
  if (type !== 'order_filled') return false;
  const filled = Number(str(msg.filled_size));
  const size = Number(str(msg.size));
  return (
    Number.isFinite(filled) &&
    Number.isFinite(size) &&
    str(msg.filled_size) !== undefined &&
    str(msg.size) !== undefined &&
    filled < size
  );
}

function idOf(msg: Record<string, unknown>): string | undefined {
  for (const field of ID_FIELDS) {
    const id = str(msg[field]);
    if (id) return id;
  }
  return undefined;
}

function details(msg: Record<string, unknown>): OrderDetails {
  const d: OrderDetails = {};
  const market = str(msg.market_id);
  const size = str(msg.size) ?? str(msg.amount);
  const currency = str(msg.currency);
  if (market) d.pair = market;
  if (size) d.amountIn = size;
  if (currency) d.currencyIn = currency;
  const reason = str(msg.reason);
  if (reason) d.reason = reason;
  return d;
}

function activityDetail(msg: Record<string, unknown>): string | undefined {
  const parts = ['status', 'amount', 'currency', 'mid', 'price', 'size']
    .map((k) => (str(msg[k]) ? `${k} ${str(msg[k])}` : undefined))
    .filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** SatoriEx as the engine registry sees it. */
const satoriexSchema = sourceSchema('satoriex', {
  token: secret,
  markets: z.array(z.string().trim().min(1)).default([]),
  marketData: z.boolean().default(false),
  restUrl: restOrigin.optional(),
});

export const SATORIEX_PROVIDER: EngineProvider<typeof satoriexSchema> = {
  schema: satoriexSchema,
  statuses: SATORIEX_STATUS,
  authFailures: AUTH_REFUSALS,
  defaultHeartbeatMs: 20_000,
  // `GET /api/v1/me/orders` is the whole account: a snapshot on every connect and every 60 s.
  catchUp: { mode: 'list', requires: 'restUrl', pollMs: FALLBACK_POLL_MS },
  // `/me/orders` has no stated window and the market channels may re-announce old orders.
  resendHorizonDays: GENEROUS_HORIZON_DAYS,
  connect: { kind: 'ws', protocol: (cfg, ctx) => new SatoriexProtocol(cfg, ctx) },
};
