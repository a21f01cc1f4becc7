// n.exchange (its "WebSocket Usage" page): plain WebSocket, no auth, `{subscribe: REF}` per order,
// `{subscribed: REF}` ack, `order_status_update` pushes with a numeric `status`. No keepalive or
// REST in the page: the supervisor's ping frames find dead links, and resubscribing after a
// reconnect is the catch-up (the server answers a subscribe with the order's current status).
import type { SourceConfigOf } from '../config.js';
import type { SourceContext } from '../source.js';
import { ownRow, type StatusTable } from '../status.js';
import type { WsLink, WsProtocol } from '../supervisor.js';
import type { OrderDetails } from '../types.js';
import { isObject, parseJson, str } from '../wire.js';
import { orderIds, restOrigin, sourceSchema } from '../source-schema.js';
import type { EngineProvider } from './descriptor.js';

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
    const ref = str(msg.unique_reference);
    const code = str(msg.status);
    if (!ref || code === undefined) {
      return this.ctx.protocolError('order_status_update without unique_reference or status', text);
    }
    const mapped = ownRow(NEXCHANGE_STATUS, code);
    if (!mapped) return this.ctx.protocolError(`unknown n.exchange status code ${code}`, text);
    this.ctx.order({
      orderId: ref,
      status: mapped.status,
      providerStatus: code,
      details: details(msg),
    });
  }

  watch(ref: string, link: WsLink | undefined): void {
    link?.sendJson({ subscribe: ref });
  }

  unwatch(): void {
    // The page has no unsubscribe message: the engine simply stops tracking the order.
  }
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
  /** The `Origin` header of the upgrade; absent: `defaultOrigin(url)`. Kept as its origin part. */
  origin: restOrigin.transform((value) => new URL(value).origin).optional(),
});

export const NEXCHANGE_PROVIDER: EngineProvider<typeof nexchangeSchema> = {
  schema: nexchangeSchema,
  statuses: NEXCHANGE_STATUS,
  // No credentials, so nothing can say they are wrong.
  authFailures: {},
  // The protocol has no keepalive of its own: this is the period of our WebSocket pings.
  defaultHeartbeatMs: 20_000,
  // The server answers a (re)subscribe with the order's current status.
  catchUp: { mode: 'lookup' },
  connect: { kind: 'ws', protocol: (cfg, ctx) => new NexchangeProtocol(cfg, ctx) },
};
