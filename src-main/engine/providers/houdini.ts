// Houdini Swap (its "WebSocket: Order Status Updates" page): plain WebSocket, `Authorization:
// partnerId:secret` on the upgrade, `welcome` once the credentials check out (else `error`
// AUTH_FAILED and close code 4401), typed JSON messages, additive `subscribe` with or without
// `houdiniIds`, app-level `ping`/`pong`, and `order_update` carrying the full order. Subscriptions
// do not survive a disconnect: resubscribe; the engine's catch-up (catch-up.ts) then pages
// `GET /v2/orders` (all-orders mode) and looks up `/v2/orders/{id}` through `list` / `lookup` here.
// Houdini's REST keeps orders for 48 h only: an older one answers 404 and is reported unverified.
import type { CatchUpPort, LookupResult } from '../catch-up.js';
import type { SourceConfigOf } from '../config.js';
import { getJson, RestError } from '../rest.js';
import type { SourceContext } from '../source.js';
import { ownRow, type StatusTable } from '../status.js';
import type { WsLink, WsProtocol } from '../supervisor.js';
import type { OrderDetails, OrderUpdate } from '../types.js';
import { isObject, parseJson, str } from '../wire.js';
import { orderIds, restOrigin, secret, sourceSchema } from '../source-schema.js';
import { authFailureFor, type AuthFailureTable, type EngineProvider } from './descriptor.js';

/** The page's "Order Status Codes", mapped as the status model, docs/headless.md says. */
export const HOUDINI_STATUS: StatusTable = {
  '-2': { status: 'pending', label: 'INITIALIZING' },
  '-1': { status: 'pending', label: 'NEW' },
  '0': { status: 'pending', label: 'WAITING' },
  '1': { status: 'processing', label: 'CONFIRMING' },
  '2': { status: 'processing', label: 'EXCHANGING' },
  '3': { status: 'processing', label: 'ANONYMIZING' },
  '4': { status: 'completed', label: 'FINISHED' },
  '5': { status: 'expired', label: 'EXPIRED' },
  '6': { status: 'failed', label: 'FAILED' },
  '7': { status: 'refunded', label: 'REFUNDED' },
  '8': { status: 'deleted', label: 'DELETED' },
};

/** Upgrade refusals, close codes and the error code that mean "your credentials", per the page. */
const AUTH_REFUSALS: AuthFailureTable = {
  'http 401': 'Authorization header missing (HTTP 401)',
  'http 400': 'Authorization header malformed, must be partnerId:secret (HTTP 400)',
  'close 4401': 'credentials rejected (AUTH_FAILED, close 4401)',
  'message AUTH_FAILED': 'credentials rejected (AUTH_FAILED)',
};

export const REST_PAGE_SIZE = 100;
/** Deadline of the lookup made when an order is added while connected. */
const REST_LOOKUP_MS = 10_000;
const MAX_PAGES = 1_000;

export class HoudiniProtocol implements WsProtocol {
  readonly defaultHeartbeatMs = HOUDINI_PROVIDER.defaultHeartbeatMs;
  /** A 404 from `/v2/orders/{id}`: Houdini removes orders from REST after 48 h. */
  readonly unknownMeans = 'beyond_rest_window' as const;
  /** Only in all-orders mode: listing every partner order would track orders nobody asked for. */
  readonly list: CatchUpPort['list'];
  /**
   * The page: `subscribe` without houdiniIds = all orders; the config: empty `orders` selects it.
   */
  private readonly allOrders: boolean;

  constructor(
    private readonly cfg: SourceConfigOf<'houdini'>,
    private readonly ctx: SourceContext,
    private readonly pageSize = REST_PAGE_SIZE,
  ) {
    this.allOrders = cfg.orders.length === 0;
    if (this.allOrders) this.list = (signal) => this.pages(signal);
  }

  endpoint() {
    return {
      url: this.cfg.url,
      headers: { Authorization: `${this.cfg.partnerId}:${this.cfg.secret}` },
    };
  }

  authFailure(e: { httpStatus?: number; closeCode?: number }): string | undefined {
    return authFailureFor(AUTH_REFUSALS, e);
  }

  onOpen(): void {
    // Credentials are checked after the upgrade: wait for `welcome` before subscribing.
  }

  // Every frame is a JSON object with a `type` (Houdini Swap's WebSocket order-updates page, whose
  // quick start reads `message.partnerId`, `message.houdiniIds` and `message.data.houdiniId`; the
  // `all` flag and the error texts are as the simulator fills them in):
  //
  //   { "type": "welcome", "partnerId": "your-partner-id" }
  //   { "type": "order_update", "data": { "houdiniId": "example-houdini-id", "status": 4, … } }
  //   { "type": "subscribed", "all": true }
  //   { "type": "subscribed", "houdiniIds": ["H1", "H2"] }
  //   { "type": "unsubscribed", "houdiniIds": ["H2"] }
  //   { "type": "pong" }
  //   { "type": "error", "code": "AUTH_FAILED", "message": "Invalid credentials" }
  //   { "type": "error", "code": "UNKNOWN_MESSAGE_TYPE", "message": "Unknown message type: dance" }
  onMessage(text: string, link: WsLink): void {
    const msg = parseJson(text);
    if (!isObject(msg) || typeof msg.type !== 'string') {
      return this.ctx.protocolError('not a typed JSON message', text);
    }
    switch (msg.type) {
      case 'welcome':
        this.subscribe(link);
        return link.ready();
      case 'order_update':
        return this.onOrder(msg.data, text);
      case 'pong':
      case 'subscribed':
      case 'unsubscribed':
        return;
      case 'error': {
        const code = str(msg.code) ?? 'UNKNOWN';
        const refused = authFailureFor(AUTH_REFUSALS, { message: code });
        if (refused) return link.authFailed(refused);
        return this.ctx.protocolError(`server error ${code}: ${str(msg.message) ?? ''}`, text);
      }
      default:
        return this.ctx.protocolError(`unknown message type "${msg.type}"`, text);
    }
  }

  keepalive(link: WsLink): void {
    link.sendJson({ type: 'ping' });
  }

  watch(id: string, link: WsLink | undefined): void {
    // The stream only speaks when an order changes: its current state comes from REST.
    if (!this.allOrders) link?.sendJson({ type: 'subscribe', houdiniIds: [id] });
    void this.lookupNow(id);
  }

  unwatch(id: string, link: WsLink | undefined): void {
    // Seed: an unsubscribe with ids while in all-orders mode resets the subscription to none.
    // In that mode the engine just forgets the order; nothing goes on the wire.
    if (!this.allOrders) link?.sendJson({ type: 'unsubscribe', houdiniIds: [id] });
  }

  private subscribe(link: WsLink): void {
    const ids = this.ctx.watched();
    if (this.allOrders) link.sendJson({ type: 'subscribe' });
    else if (ids.length > 0) link.sendJson({ type: 'subscribe', houdiniIds: ids });
  }

  private onOrder(data: unknown, text: string): void {
    const update = toUpdate(data);
    if (typeof update === 'string') return this.ctx.protocolError(update, text);
    this.ctx.order(update);
  }

  private headers(): Record<string, string> {
    return { Authorization: `${this.cfg.partnerId}:${this.cfg.secret}` };
  }

  // One page of `GET /v2/orders?page=1&pageSize=100` (the WebSocket page names only the endpoint;
  // `total` / `totalPages` are what the simulator answers and this loop reads):
  //
  //   { "total": 5, "totalPages": 3, "orders": [{ "houdiniId": "H5", "status": 4, … }, …] }
  /** Every order of the partner, page by page (bounded). */
  private async *pages(signal: AbortSignal): AsyncGenerator<OrderUpdate[]> {
    for (let page = 1, pages = 1; page <= pages && page <= MAX_PAGES; page += 1) {
      const body = await getJson(
        `${this.cfg.restUrl}/v2/orders?page=${page}&pageSize=${this.pageSize}`,
        this.headers(),
        undefined,
        signal,
      );
      if (!isObject(body) || !Array.isArray(body.orders)) {
        throw new Error('GET /v2/orders answered without an "orders" array');
      }
      pages = typeof body.totalPages === 'number' ? body.totalPages : page;
      yield this.usable(body.orders);
    }
  }

  /** `GET /v2/orders/{houdiniId}`: one order, or `'unknown'` (404: never known, or older than 48 h). */
  async lookup(id: string, signal: AbortSignal): Promise<LookupResult> {
    let body: unknown;
    try {
      body = await getJson(
        `${this.cfg.restUrl}/v2/orders/${encodeURIComponent(id)}`,
        this.headers(),
        undefined,
        signal,
      );
    } catch (err) {
      if (err instanceof RestError && err.status === 404) return 'unknown';
      throw err;
    }
    const update = toUpdate(body);
    if (typeof update === 'string') throw new Error(`GET /v2/orders/{id}: ${update}`);
    return update;
  }

  /** An order added while connected: its current state now (the pass after a reconnect is not). */
  private async lookupNow(id: string): Promise<void> {
    if (!this.cfg.restUrl) return;
    try {
      const result = await this.lookup(id, AbortSignal.timeout(REST_LOOKUP_MS));
      if (result !== 'unknown') this.ctx.order(result, { origin: 'rest' });
    } catch (err) {
      this.ctx.log.warn({ orderId: id, err: (err as Error).message }, 'order lookup failed');
    }
  }

  private usable(orders: unknown[]): OrderUpdate[] {
    const out: OrderUpdate[] = [];
    for (const order of orders) {
      const update = toUpdate(order);
      if (typeof update === 'string') this.ctx.protocolError(update, JSON.stringify(order));
      else out.push(update);
    }
    return out;
  }
}

// The order, alike in `order_update.data` and in `GET /v2/orders/{houdiniId}` (Houdini Swap's
// order-details API reference; `status` is a code of the Order Status Codes table):
//
//   {
//     "houdiniId": "example-houdini-id",
//     "created": "2026-01-01T12:00:00.000Z",
//     "expires": "2026-01-01T12:30:00.000Z",
//     "receiverAddress": "0x9f1f9a5c0f1d9a5c0f1d9a5c0f1d9a5c0f1d9a5c",
//     "anonymous": false,
//     "status": 0,
//     "inAmount": 0.25,
//     "inSymbol": "BTC",
//     "outAmount": 3.52,
//     "outSymbol": "ETH"
//   }
/** The order object of `order_update.data` and of the REST API, or why it is unusable. */
function toUpdate(data: unknown): OrderUpdate | string {
  if (!isObject(data)) return 'order without a data object';
  const id = str(data.houdiniId);
  const code = str(data.status);
  if (!id || code === undefined) return 'order without houdiniId or status';
  const mapped = ownRow(HOUDINI_STATUS, code);
  if (!mapped) return `unknown Houdini status code ${code}`;
  const details: OrderDetails = {};
  const fields = [
    ['amountIn', data.inAmount],
    ['currencyIn', data.inSymbol],
    ['amountOut', data.outAmount],
    ['currencyOut', data.outSymbol],
  ] as const;
  for (const [key, value] of fields) {
    const v = str(value);
    if (v) details[key] = v;
  }
  return { orderId: id, status: mapped.status, providerStatus: code, details };
}

/** Houdini Swap as the engine registry sees it. */
const houdiniSchema = sourceSchema('houdini', {
  restUrl: restOrigin.optional(),
  partnerId: secret.refine((v) => !v.includes(':'), 'must not contain ":"'),
  secret,
  orders: orderIds.default([]),
});

export const HOUDINI_PROVIDER: EngineProvider<typeof houdiniSchema> = {
  schema: houdiniSchema,
  statuses: HOUDINI_STATUS,
  authFailures: AUTH_REFUSALS,
  defaultHeartbeatMs: 20_000,
  // `GET /v2/orders` pages through every order (all-orders mode); watched orders are looked up by
  // id.
  catchUp: { mode: 'list', requires: 'restUrl' },
  // "8 DELETED — Deleted (order older than 48 hours)": after 48 h the order is gone from the REST
  // (which covers the last 48 h) and its last stream word (8) is behind it. 7 days leaves margin for
  // clocks and late delivery.
  resendHorizonDays: 7,
  connect: {
    kind: 'ws',
    protocol: (cfg, ctx, tuning) => new HoudiniProtocol(cfg, ctx, tuning.houdiniPageSize),
  },
};
