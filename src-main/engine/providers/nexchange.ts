// n.exchange (its "WebSocket Usage" page): plain WebSocket, no auth, `{subscribe: REF}` per order,
// `{subscribed: REF}` ack, `order_status_update` pushes with a numeric `status`. No keepalive or
// REST in the page: the supervisor's ping frames find dead links. The page never says a subscribe
// is answered with the current status, so catch-up is `lookup` over the public v1 REST API
// (`GET {restUrl}/en/api/v1/orders/{ref}/`, docs/config.md), run by the engine after every connect;
// without `restUrl` an order that finished during a gap is reported unverified, not guessed.
import type { LookupResult } from '../catch-up.js';
import type { SourceConfigOf } from '../config.js';
import { getJson, RestError } from '../rest.js';
import type { SourceContext } from '../source.js';
import { ownRow, type StatusTable } from '../status.js';
import type { WsLink, WsProtocol } from '../supervisor.js';
import type { OrderDetails, OrderUpdate } from '../types.js';
import { isObject, parseJson, str } from '../wire.js';
import { httpUrl, orderIds, restOrigin, sourceSchema } from '../source-schema.js';
import type { EngineProvider } from './descriptor.js';
import { GENEROUS_HORIZON_DAYS } from '../retention.js';

/** The page's "Status Codes", mapped as the status model, docs/headless.md says. */
export const NEXCHANGE_STATUS: StatusTable = {
  '0': { status: 'canceled', label: 'CANCELED' },
  '6': { status: 'processing', label: 'INITIATED REFUND' },
  '7': { status: 'failed', label: 'REFUND FAILED' },
  '8': { status: 'refunded', label: 'REFUNDED' },
  '9': { status: 'on_hold', label: 'PENDING KYC' },
  '11': { status: 'pending', label: 'INITIAL' },
  '12': { status: 'processing', label: 'UNCONFIRMED PAYMENT' },
  '13': { status: 'processing', label: 'PAID' },
  '14': { status: 'processing', label: 'PRE-RELEASE' },
  '15': { status: 'processing', label: 'RELEASED' },
  '16': { status: 'completed', label: 'COMPLETED' },
};

export class NexchangeProtocol implements WsProtocol {
  readonly defaultHeartbeatMs = NEXCHANGE_PROVIDER.defaultHeartbeatMs;

  constructor(
    private readonly cfg: SourceConfigOf<'nexchange'>,
    private readonly ctx: SourceContext,
  ) {}

  // The page shows a browser's `new WebSocket(url)`, which always sends `Origin`. n.exchange runs
  // Django Channels, whose origin validator refuses an upgrade without one unless every host is
  // allowed; `ws` sends none by itself, so we send the configured one, else the URL's own.
  endpoint() {
    return {
      url: this.cfg.url,
      headers: { Origin: this.cfg.origin ?? defaultOrigin(this.cfg.url) },
    };
  }

  onOpen(link: WsLink): void {
    // No handshake to wait for: the socket is the session.
    link.ready();
    for (const ref of this.ctx.watched()) link.sendJson({ subscribe: ref });
  }

  // Two kinds of frame arrive (n.exchange's WebSocket Usage page). The confirmation of a subscribe:
  //
  //   { "subscribed": "ORDER_REFERENCE_123" }
  //
  // and an order status update, `status` being a code of the page's Status Codes table:
  //
  //   {
  //     "unique_reference": "ORDER_REFERENCE_123",
  //     "status": 13,
  //     "status_name": [[13, "PAID"]],
  //     "amount_base": "0.001",
  //     "amount_quote": "50.00",
  //     "deposit_currency": "BTC",
  //     "withdraw_currency": "USD",
  //     "pair": { "name": "BTCUSD", "base": "BTC", "quote": "USD" },
  //     "created_on": "2024-01-01T12:00:00Z",
  //     "modified_on": "2024-01-01T12:00:00Z",
  //     "message_type": "order_status_update",
  //     "websocket_timestamp": "2024-01-01T12:00:00Z"
  //   }
  onMessage(text: string): void {
    const msg = parseJson(text);
    if (!isObject(msg)) return this.ctx.protocolError('not a JSON object', text);
    if (typeof msg.subscribed === 'string') {
      this.ctx.log.debug({ ref: msg.subscribed }, 'subscribed');
      return;
    }
    if (msg.message_type !== 'order_status_update') {
      return this.ctx.protocolError(
        'unknown message (no "subscribed", no order_status_update)',
        text,
      );
    }
    const update = toUpdate(msg);
    if (typeof update === 'string') return this.ctx.protocolError(update, text);
    this.ctx.order(update);
  }

  // The order as `GET {restUrl}/en/api/v1/orders/{ref}/` answers it: the fields of an
  // order_status_update without `message_type` / `websocket_timestamp`, the status as `status`
  // (a code), as `status_name: [[13, "PAID"]]`, or both. A 404 means the reference is unknown.
  async lookup(ref: string, signal: AbortSignal): Promise<LookupResult> {
    let body: unknown;
    try {
      body = await getJson(
        `${this.cfg.restUrl}/en/api/v1/orders/${encodeURIComponent(ref)}/`,
        {},
        undefined,
        signal,
      );
    } catch (err) {
      if (err instanceof RestError && err.status === 404) return 'unknown';
      throw err;
    }
    if (!isObject(body)) throw new Error('GET /en/api/v1/orders/{ref}/ answered no object');
    const update = toUpdate(body);
    if (typeof update === 'string') throw new Error(`GET /en/api/v1/orders/{ref}/: ${update}`);
    return update;
  }

  watch(ref: string, link: WsLink | undefined): void {
    link?.sendJson({ subscribe: ref });
  }

  unwatch(): void {
    // The page has no unsubscribe message: the engine simply stops tracking the order.
  }
}

/** An order object of the stream or of REST, or why it is unusable. */
function toUpdate(msg: Record<string, unknown>): OrderUpdate | string {
  const ref = str(msg.unique_reference);
  const code = str(msg.status) ?? statusNameCode(msg.status_name);
  if (!ref || code === undefined) return 'order without unique_reference or status';
  const mapped = ownRow(NEXCHANGE_STATUS, code);
  if (!mapped) return `unknown n.exchange status code ${code}`;
  return { orderId: ref, status: mapped.status, providerStatus: code, details: details(msg) };
}

/** `status_name: [[13, "PAID"]]`: the code of its first pair. */
function statusNameCode(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : undefined;
  return Array.isArray(first) ? str(first[0]) : undefined;
}

// The part of an order_status_update read here (n.exchange's WebSocket Usage page). BTC is both
// `pair.base` and the deposit currency, so 0.001 BTC goes in and 50.00 USD comes out:
//
//   "amount_base": "0.001", "amount_quote": "50.00",
//   "deposit_currency": "BTC", "withdraw_currency": "USD",
//   "pair": { "name": "BTCUSD", "base": "BTC", "quote": "USD" }
function details(msg: Record<string, unknown>): OrderDetails {
  const pair = isObject(msg.pair) ? msg.pair : {};
  const depositCcy = str(msg.deposit_currency);
  const withdrawCcy = str(msg.withdraw_currency);
  // amount_base is denominated in pair.base; whichever side the user deposits is "in".
  const baseIsDeposit = depositCcy !== undefined && depositCcy === str(pair.base);
  const d: OrderDetails = {};
  const pairName = str(pair.name);
  const amountIn = str(baseIsDeposit ? msg.amount_base : msg.amount_quote);
  const amountOut = str(baseIsDeposit ? msg.amount_quote : msg.amount_base);
  if (pairName) d.pair = pairName;
  if (amountIn) d.amountIn = amountIn;
  if (depositCcy) d.currencyIn = depositCcy;
  if (amountOut) d.amountOut = amountOut;
  if (withdrawCcy) d.currencyOut = withdrawCcy;
  return d;
}

/** A stream URL's origin as a browser on that site would send it: `wss:` → `https:`, `ws:` → `http:`. */
export function defaultOrigin(streamUrl: string): string {
  const url = new URL(streamUrl);
  const scheme = ownRow(WEB_SCHEME, url.protocol) ?? url.protocol;
  return `${scheme}//${url.host}`;
}

const WEB_SCHEME: Readonly<Record<string, string>> = {
  'wss:': 'https:',
  'ws:': 'http:',
};

/** n.exchange as the engine registry sees it. */
const nexchangeSchema = sourceSchema('nexchange', {
  orders: orderIds.default([]),
  restUrl: restOrigin.optional(),
  /** The `Origin` header of the upgrade; absent: `defaultOrigin(url)`. Kept as its origin part. */
  origin: httpUrl.transform((value) => new URL(value).origin).optional(),
});

export const NEXCHANGE_PROVIDER: EngineProvider<typeof nexchangeSchema> = {
  schema: nexchangeSchema,
  statuses: NEXCHANGE_STATUS,
  // No credentials, so nothing can say they are wrong.
  authFailures: {},
  // The protocol has no keepalive of its own: this is the period of our WebSocket pings.
  defaultHeartbeatMs: 20_000,
  // `GET {restUrl}/en/api/v1/orders/{ref}/` per known order; nothing without restUrl.
  catchUp: { mode: 'lookup', requires: 'restUrl' },
  // The page says nothing about how long an order can be subscribed to or looked up.
  resendHorizonDays: GENEROUS_HORIZON_DAYS,
  connect: { kind: 'ws', protocol: (cfg, ctx) => new NexchangeProtocol(cfg, ctx) },
};
