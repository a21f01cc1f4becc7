// Orangepill (its "WebSocket Subscriptions" page): plain WebSocket; the realm key goes in a
// `subscribe` message, answered by `info` (realm echoed = in, realm "NONE" + an `error` = bad key);
// a text `PING` keepalive every 10 s; notifications for everything in the realm. The page documents
// the flat shape `{type, event, data: id}` but its own example reads `notification.data.event`:
// both are accepted. No REST: a gap cannot be caught up (see docs/providers.md).
import type { SourceConfigOf } from '../config.js';
import type { SourceContext } from '../source.js';
import { ownRow, type StatusTable } from '../status.js';
import type { WsLink, WsProtocol } from '../supervisor.js';
import { isObject, parseJson, str } from '../wire.js';
import { secret, sourceSchema } from '../source-schema.js';
import { authFailureFor, type AuthFailureTable, type EngineProvider } from './descriptor.js';
import { GENEROUS_HORIZON_DAYS } from '../retention.js';

/**
 * Every documented event about a transaction, deposit, withdrawal, payment or forward (the status
 * model, docs/headless.md).
 * Any other event (user.*, identity.*, account.*, currency.*, alias.*, …) is activity.
 */
export const ORANGEPILL_STATUS: StatusTable = {
  'transaction.processing': { status: 'processing', label: 'transaction processing' },
  'transaction.updated': { status: 'processing', label: 'transaction updated' },
  'transaction.done': { status: 'completed', label: 'transaction done' },
  'transaction.processed': { status: 'completed', label: 'transaction processed' },
  'transaction.failed': { status: 'failed', label: 'transaction failed' },
  'deposit.pending': { status: 'pending', label: 'deposit pending' },
  'deposit.received': { status: 'processing', label: 'deposit received' },
  'deposit.processing': { status: 'processing', label: 'deposit processing' },
  'deposit.gas': { status: 'processing', label: 'deposit gas' },
  'deposit.processed': { status: 'completed', label: 'deposit processed' },
  'deposit.failed': { status: 'failed', label: 'deposit failed' },
  'withdrawal.creating': { status: 'pending', label: 'withdrawal creating' },
  'withdrawal.processing': { status: 'processing', label: 'withdrawal processing' },
  'withdrawal.processed': { status: 'completed', label: 'withdrawal processed' },
  'withdrawal.failed': { status: 'failed', label: 'withdrawal failed' },
  'apps.forward.done': { status: 'completed', label: 'forward done' },
  'apps.forward.failed': { status: 'failed', label: 'forward failed' },
  'apps.payment.pending': { status: 'pending', label: 'payment pending' },
  'apps.payment.status': { status: 'processing', label: 'payment status' },
  'apps.payment.processing': { status: 'processing', label: 'payment processing' },
  'apps.payment.done': { status: 'completed', label: 'payment done' },
  'apps.payment.failed': { status: 'failed', label: 'payment failed' },
  'apps.deposit.pending': { status: 'pending', label: 'deposit pending' },
  'apps.deposit.processing': { status: 'processing', label: 'deposit processing' },
  'apps.deposit.done': { status: 'completed', label: 'deposit done' },
  'apps.deposit.failed': { status: 'failed', label: 'deposit failed' },
};

/**
 * The refusal of a realm key: an `error` message before the realm was accepted (after `info` with
 * realm "NONE").
 */
const AUTH_REFUSALS: AuthFailureTable = {
  'message error': 'realm key rejected',
};

/**
 * Entity families that are orders; an undocumented event of these families is flagged, not guessed.
 */
const ORDER_FAMILIES = ['transaction.', 'deposit.', 'withdrawal.', 'apps.'];

export class OrangepillProtocol implements WsProtocol {
  readonly defaultHeartbeatMs = ORANGEPILL_PROVIDER.defaultHeartbeatMs;
  /** This connection's realm answer was "NONE": the `error` that follows says why. */
  private refused = false;
  /** This connection's realm was echoed back: the key works, whatever error comes later. */
  private accepted = false;

  constructor(
    private readonly cfg: SourceConfigOf<'orangepill'>,
    private readonly ctx: SourceContext,
  ) {}

  endpoint() {
    return { url: this.cfg.url };
  }

  onOpen(link: WsLink): void {
    this.refused = false;
    this.accepted = false;
    link.sendJson({ type: 'subscribe', realm: this.cfg.realmKey });
  }

  // What the stream sends (Orangepill's WebSocket Subscriptions page). A good realm key in our
  // subscribe is answered by `info` echoing the realm, then the subscribe event response:
  //
  //   { "type": "info", "realm": "c9d4744c-0eae-4457-a665-2c18b9ac132b", "timestamp": 1671547687 }
  //   { "type": "subscribe", "realm": "c9d4744c-0eae-4457-a665-2c18b9ac132b",
  //     "timestamp": 1671547687 }
  //
  // a bad one by `info` with realm NONE, then an `error` whose `realm` carries the reason:
  //
  //   { "type": "info", "realm": "NONE", "timestamp": 1671547687 }
  //   { "type": "error", "realm": "Invalid Realm Key.", "timestamp": 1671547687 }
  //
  // (an `error` after the realm was accepted, such as
  //   { "type": "error", "realm": "Rate limit exceeded.", "timestamp": 1671547690 }
  // is not about the key),
  //
  // and an event as a notification, flat as the page's "Event data" shows it:
  //
  //   { "type": "notification", "event": "transaction.processed",
  //     "data": "63967141191e9023f356df9f", "timestamp": "162553625262" }
  //
  // or nested, as the page's JavaScript example reads it (`notification.data.event`):
  //
  //   { "type": "notification", "data": { "event": "transaction.processed",
  //     "data": "63967141191e9023f356df9f", "timestamp": "162553625262" } }
  onMessage(text: string, link: WsLink): void {
    if (text === 'PING' || text === 'PONG') return; // keepalive echoes, if the server sends any
    const msg = parseJson(text);
    if (!isObject(msg)) return this.ctx.protocolError('not a JSON object', text);
    const type = str(msg.type);
    if (type === 'info' || type === 'subscribe') {
      if (msg.realm === 'NONE') {
        this.refused = true; // the `error` that follows carries the reason
        return;
      }
      if (!this.refused) {
        this.accepted = true;
        link.ready();
      }
      return;
    }
    // The page's only error example answers a bad realm key. Once the realm was accepted, an error
    // (a rate limit, say) says nothing about the key: reported, and the stream goes on; if the
    // server then closes, the ordinary backoff applies.
    if (type === 'error' && this.accepted) {
      return this.ctx.protocolError(`server error: ${str(msg.realm) ?? 'no reason given'}`, text);
    }
    const refused = authFailureFor(AUTH_REFUSALS, { message: type });
    if (refused) return link.authFailed(`${refused}: ${str(msg.realm) ?? 'error'}`);
    if (type === 'unsubscribe') return;
    // Flat: {type:"notification", event, data:"<id>"}; nested: {data:{event, data:"<id>"}}.
    const inner = isObject(msg.data) ? msg.data : msg;
    const event = str(inner.event);
    if (type !== undefined && type !== 'notification') {
      return this.ctx.protocolError(`unknown message type "${type}"`, text);
    }
    if (!event) return this.ctx.protocolError('notification without an event name', text);
    this.onEvent(event, str(inner.data), text);
  }

  keepalive(link: WsLink): void {
    link.send('PING');
  }

  watch(): void {
    // Realm-wide stream: every entity of the realm arrives; nothing to subscribe per order.
  }

  unwatch(): void {}

  // The event name and the id of the affected entity, out of either notification shape; an order
  // event looks up ORANGEPILL_STATUS, anything else (`user.created`, …) is activity:
  //
  //   "event": "deposit.processed", "data": "63967141191e9023f356df9f"
  private onEvent(event: string, entityId: string | undefined, text: string): void {
    const mapped = ownRow(ORANGEPILL_STATUS, event);
    if (mapped) {
      if (!entityId) return this.ctx.protocolError(`${event} without an entity id`, text);
      return this.ctx.order({ orderId: entityId, status: mapped.status, providerStatus: event });
    }
    if (ORDER_FAMILIES.some((family) => event.startsWith(family))) {
      return this.ctx.protocolError(`undocumented Orangepill order event "${event}"`, text);
    }
    this.ctx.activity({ event, ...(entityId ? { entityId } : {}) });
  }
}

/** Orangepill as the engine registry sees it. */
const orangepillSchema = sourceSchema('orangepill', { realmKey: secret });

export const ORANGEPILL_PROVIDER: EngineProvider<typeof orangepillSchema> = {
  schema: orangepillSchema,
  statuses: ORANGEPILL_STATUS,
  authFailures: AUTH_REFUSALS,
  /** The page's keepAlive(timeout = 10000). */
  defaultHeartbeatMs: 10_000,
  // No REST, no replay: an event sent while the link is down is gone.
  catchUp: { mode: 'none' },
  // A realm-wide stream; the page says nothing about what it may send again, or for how long.
  resendHorizonDays: GENEROUS_HORIZON_DAYS,
  connect: { kind: 'ws', protocol: (cfg, ctx) => new OrangepillProtocol(cfg, ctx) },
};
