// Houdini Swap (its "WebSocket: Order Status Updates" page): plain WebSocket with `Authorization:
// partnerId:secret` checked in two stages, as the page says: the header's FORMAT at the HTTP
// upgrade (401 missing, 400 malformed), the credentials right after the socket opens (AUTH_FAILED
// error, then close code 4401). Typed JSON messages; order_update only on a status change, never as
// a reply to subscribe; subscriptions die with the connection. REST on the same server lets a
// reconnecting client catch up.
import type { IncomingMessage } from 'node:http';
import type { RestCall, RestRoute } from './rest-routes.js';
import {
  WsSimulator,
  parseJsonObject,
  randomHex,
  refuseNonGet,
  sendJson,
  type Json,
  type UpgradeVerdict,
  type WsHub,
  type WsPeer,
} from './sim-base.js';
import { credential, someOf, type SimulatorDescriptor } from './descriptor.js';
import { lifecycle, script } from './scripts.js';
import type { Simulator, SimulatorOptions } from './types.js';

/** Status codes of the page's table, -2 INITIALIZING to 8 DELETED. */
export const HOUDINI_STATUS_LABELS: Readonly<Record<number, string>> = {
  [-2]: 'INITIALIZING',
  [-1]: 'NEW',
  0: 'WAITING',
  1: 'CONFIRMING',
  2: 'EXCHANGING',
  3: 'ANONYMIZING',
  4: 'FINISHED',
  5: 'EXPIRED',
  6: 'FAILED',
  7: 'REFUNDED',
  8: 'DELETED',
};

export interface HoudiniCredentials {
  partnerId: string;
  secret: string;
}

const WS_PATH = '/ws';
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;
/** How far back Houdini's REST reaches (the page: orders older than 48 hours are deleted). */
export const HOUDINI_REST_WINDOW_MS = 48 * 60 * 60 * 1000;
/** The page: no deposit within 30 minutes means EXPIRED. */
const EXPIRY_MS = 30 * 60 * 1000;

interface HoudiniOrder {
  houdiniId: string;
  created: string;
  expires: string;
  status: number;
  inAmount: number;
  inSymbol: string;
  outAmount: number;
  outSymbol: string;
  senderAddress: string;
  receiverAddress: string;
  anonymous: boolean;
}

interface HdPeer {
  authed: boolean;
  all: boolean;
  ids: Set<string>;
}

type AuthHeader =
  { kind: 'missing' } | { kind: 'malformed' } | { kind: 'ok'; partnerId: string; secret: string };

// The upgrade's credentials header (Houdini Swap's WebSocket order-updates page), also required by
// the REST API:
//
//   Authorization: {partnerId}:{secret}
function parseAuthorization(header: string | undefined): AuthHeader {
  if (header === undefined || header.trim() === '') return { kind: 'missing' };
  const parts = header.trim().split(':');
  const [partnerId, secret] = parts;
  if (parts.length !== 2 || !partnerId || !secret) return { kind: 'malformed' };
  return { kind: 'ok', partnerId, secret };
}

function toCode(status: string | number): number {
  const code = typeof status === 'number' ? status : Number(status.trim());
  if (!Number.isInteger(code))
    throw new TypeError(`Houdini status must be a number code, got ${status}`);
  return code;
}

const SYMBOLS: readonly [string, number, string, number][] = [
  ['BTC', 0.01, 'XMR', 3.9],
  ['ETH', 0.5, 'USDT', 1710],
  ['SOL', 12, 'BTC', 0.026],
];

function newOrder(houdiniId: string, status: number, index: number): HoudiniOrder {
  const [inSymbol, inAmount, outSymbol, outAmount] = SYMBOLS[index % SYMBOLS.length] ?? [
    'BTC',
    0.01,
    'XMR',
    3.9,
  ];
  const now = Date.now();
  return {
    houdiniId,
    created: new Date(now).toISOString(),
    expires: new Date(now + EXPIRY_MS).toISOString(),
    status,
    inAmount,
    inSymbol,
    outAmount,
    outSymbol,
    senderAddress: `bc1q${randomHex(19)}`,
    receiverAddress: `4${randomHex(47)}`,
    anonymous: index % 2 === 0,
  };
}

/** The Houdini simulator's own controls, beside the shared ones. */
export interface HoudiniSim extends Simulator {
  /** Moves an order's `created` and `expires` back by `ms`, as if it were that much older. */
  age(orderId: string, ms: number): void;
  /** While on, orders created more than 48 h ago are gone from REST (list and lookup: 404). */
  forgetAfter48h(on: boolean): void;
}

class HoudiniSimulator extends WsSimulator<HdPeer> implements HoudiniSim {
  readonly provider = 'houdini' as const;
  private readonly store = new Map<string, HoudiniOrder>();
  protected readonly hub: WsHub<HdPeer>;
  private readonly maxPageSize: number;
  private forgetOld: boolean;

  constructor(options: SimulatorOptions<HoudiniCredentials>) {
    super(
      {
        partnerId: options.credentials?.partnerId ?? `partner-${randomHex(4)}`,
        secret: options.credentials?.secret ?? randomHex(16),
      },
      options,
    );
    this.maxPageSize = options.houdiniMaxPageSize ?? MAX_PAGE_SIZE;
    if (!(Number.isInteger(this.maxPageSize) && this.maxPageSize > 0))
      throw new RangeError(`houdiniMaxPageSize must be a positive integer`);
    this.forgetOld = options.houdiniForgetAfter48h ?? this.strict;
    this.hub = this.attachWs<HdPeer>({
      path: WS_PATH,
      verify: (req) => this.verifyUpgrade(req),
      // Credentials are checked only once the socket is open (the page): remembered here, acted on
      // below.
      init: (req) => ({
        authed: this.credentialsValid(req.headers.authorization),
        all: false,
        ids: new Set(),
      }),
      onOpen: (peer) => this.onOpen(peer),
      onText: (peer, text) => this.onText(peer, text),
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}${WS_PATH}`;
  }

  private verifyUpgrade(req: IncomingMessage): UpgradeVerdict {
    const auth = parseAuthorization(req.headers.authorization);
    if (auth.kind === 'missing')
      return { ok: false, status: 401, message: 'Missing Authorization header' };
    if (auth.kind === 'malformed') {
      return {
        ok: false,
        status: 400,
        message: 'Malformed Authorization header (must be partnerId:secret)',
      };
    }
    return { ok: true };
  }

  private credentialsValid(header: string | undefined): boolean {
    const auth = parseAuthorization(header);
    return (
      auth.kind === 'ok' &&
      auth.partnerId === this.credentials.partnerId &&
      auth.secret === this.credentials.secret
    );
  }

  private onOpen(peer: WsPeer<HdPeer>): void {
    if (peer.state.authed) {
      this.hub.send(peer, { type: 'welcome', partnerId: this.credentials.partnerId });
      return;
    }
    this.counters.authFailures += 1;
    this.hub.send(peer, { type: 'error', code: 'AUTH_FAILED', message: 'Invalid credentials' });
    peer.socket.close(4401, 'Invalid credentials');
  }

  // Client frames (Houdini Swap's WebSocket order-updates page): subscribe to all orders or to
  // specific ones (additive), unsubscribe from all or from some, and the keepalive:
  //
  //   { "type": "subscribe" }
  //   { "type": "subscribe", "houdiniIds": ["H1", "H2"] }
  //   { "type": "unsubscribe" }
  //   { "type": "unsubscribe", "houdiniIds": ["H2"] }
  //   { "type": "ping" }
  private onText(peer: WsPeer<HdPeer>, text: string): void {
    if (!peer.state.authed) return;
    const message = parseJsonObject(text);
    if (!message || typeof message.type !== 'string') {
      this.hub.send(peer, {
        type: 'error',
        code: 'INVALID_MESSAGE',
        message: 'Message is not valid JSON or missing type field',
      });
      return;
    }
    const ids = message.houdiniIds;
    if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => typeof id === 'string'))) {
      this.hub.send(peer, {
        type: 'error',
        code: 'INVALID_MESSAGE',
        message: 'houdiniIds must be an array of strings',
      });
      return;
    }
    const { state } = peer;
    switch (message.type) {
      case 'subscribe':
        if (ids === undefined) {
          state.all = true;
          this.hub.send(peer, { type: 'subscribed', all: true });
        } else {
          for (const id of ids as string[]) state.ids.add(id);
          this.hub.send(peer, { type: 'subscribed', houdiniIds: [...state.ids] });
        }
        return;
      case 'unsubscribe':
        if (ids === undefined) {
          state.all = false;
          state.ids.clear();
          this.hub.send(peer, { type: 'unsubscribed', all: true });
          return;
        }
        if (state.all) {
          // The page's quirk: a specific unsubscribe while in all-orders mode resets to nothing.
          state.all = false;
          state.ids.clear();
        } else {
          for (const id of ids as string[]) state.ids.delete(id);
        }
        this.hub.send(peer, { type: 'unsubscribed', houdiniIds: ids });
        return;
      case 'ping':
        this.hub.send(peer, { type: 'pong' });
        return;
      default:
        this.hub.send(peer, {
          type: 'error',
          code: 'UNKNOWN_MESSAGE_TYPE',
          message: `Unknown message type: ${message.type}`,
        });
    }
  }

  // The REST requests a reconnecting client catches up with, behind the same Authorization header:
  //
  //   GET /v2/orders?page=1&pageSize=100
  //   GET /v2/orders/{houdiniId}
  private readonly routes: readonly RestRoute[] = [
    { path: '/v2/orders', handle: (call) => this.authorized(call) && this.listOrders(call) },
    {
      path: '/v2/orders/{houdiniId}',
      handle: (call) => this.authorized(call) && this.oneOrder(call),
    },
  ];

  protected override restRoutes(): readonly RestRoute[] {
    return this.routes;
  }

  /** Credentials first (401), then the method (405), as before any REST answer. */
  private authorized(call: RestCall): boolean {
    if (!this.credentialsValid(call.req.headers.authorization)) {
      sendJson(call.res, 401, { error: 'unauthorized' });
      return false;
    }
    return !refuseNonGet(call);
  }

  /**
   * The page: "8 DELETED — Deleted (order older than 48 hours)"; with the switch on, REST forgets
   * it.
   */
  private inRest(order: HoudiniOrder, now: number): boolean {
    return !this.forgetOld || now - Date.parse(order.created) <= HOUDINI_REST_WINDOW_MS;
  }

  private oneOrder({ res, params }: RestCall): void {
    const order = this.store.get(params.houdiniId ?? '');
    if (order && this.inRest(order, Date.now())) sendJson(res, 200, order);
    else sendJson(res, 404, { error: 'not found' });
  }

  private listOrders({ url, res }: RestCall): void {
    const page = Number(url.searchParams.get('page') ?? '1');
    const pageSize = Number(url.searchParams.get('pageSize') ?? String(DEFAULT_PAGE_SIZE));
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(pageSize) || pageSize < 1) {
      sendJson(res, 400, { error: 'page and pageSize must be positive integers' });
      return;
    }
    const size = Math.min(pageSize, this.maxPageSize);
    const now = Date.now();
    // Newest first, as order lists usually are.
    const all = [...this.store.values()].reverse().filter((order) => this.inRest(order, now));
    sendJson(res, 200, {
      total: all.length,
      totalPages: Math.ceil(all.length / size),
      orders: all.slice((page - 1) * size, page * size),
    });
  }

  age(orderId: string, ms: number): void {
    const order = this.store.get(orderId);
    if (!order) throw new Error(`Houdini simulator: no order ${orderId}`);
    const shift = (iso: string) => new Date(Date.parse(iso) - ms).toISOString();
    order.created = shift(order.created);
    order.expires = shift(order.expires);
  }

  forgetAfter48h(on: boolean): void {
    this.forgetOld = on;
  }

  private covers(state: HdPeer, houdiniId: string): boolean {
    return state.authed && (state.all || state.ids.has(houdiniId));
  }

  private push(order: HoudiniOrder): void {
    this.hub.broadcast({ type: 'order_update', data: order }, (peer) =>
      this.covers(peer.state, order.houdiniId),
    );
  }

  setStatus(orderId: string, status: string | number, opts: { restOnly?: boolean } = {}): void {
    const code = toCode(status);
    let order = this.store.get(orderId);
    if (order) order.status = code;
    else {
      order = newOrder(orderId, code, this.store.size);
      this.store.set(orderId, order);
    }
    if (!opts.restOnly) this.push(order);
  }

  replay(orderId: string, status: string | number): void {
    const code = toCode(status);
    const stored = this.store.get(orderId);
    this.push(stored ? { ...stored, status: code } : newOrder(orderId, code, 0));
  }

  /**
   * Houdini defines no activity events; a frame of that type reaches every authenticated socket.
   */
  emitActivity(event: string, entityId?: string): void {
    const message: Json = { type: event, ...(entityId !== undefined && { id: entityId }) };
    this.hub.broadcast(message, (peer) => peer.state.authed);
  }

  sendRaw(text: string): void {
    this.hub.broadcast(text);
  }

  connections(): number {
    return this.hub.count((peer) => peer.state.authed);
  }

  orders(): Map<string, string | number> {
    return new Map([...this.store].map(([id, order]) => [id, order.status]));
  }
}

export async function startHoudiniSimulator(
  options: SimulatorOptions<HoudiniCredentials> = {},
): Promise<HoudiniSim> {
  const sim = new HoudiniSimulator(options);
  await sim.listen();
  return sim;
}

/** Houdini Swap in the demo and the soak (descriptor.ts); listed in index.ts. */
export const HOUDINI_SIMULATOR: SimulatorDescriptor = {
  start: (options) => startHoudiniSimulator(options),
  sourceId: 'hd',
  demo: {
    // 4 FINISHED; 5 EXPIRED; 6 FAILED; 7 REFUNDED; 8 DELETED.
    script: (id) =>
      script(
        lifecycle(id('HD', 3001), [
          [1, -2],
          [4, -1],
          [8, 0],
          [14, 1],
          [22, 2],
          [30, 3],
          [40, 4],
        ]),
        lifecycle(id('HD', 3002), [
          [1.5, -1],
          [6, 0],
          [36, 5],
        ]),
        lifecycle(id('HD', 3003), [
          [2, 0],
          [12, 1],
          [28, 6],
        ]),
        lifecycle(id('HD', 3004), [
          [2.5, 0],
          [16, 1],
          [26, 2],
          [46, 7],
        ]),
        lifecycle(id('HD', 3005), [
          [3, -1],
          [54, 8],
        ]),
      ),
    source: (sim) => ({
      id: 'hd',
      provider: 'houdini',
      label: 'Houdini Swap (demo)',
      url: sim.url,
      restUrl: sim.restUrl,
      partnerId: credential(sim, 'partnerId'),
      secret: credential(sim, 'secret'),
      orders: [],
    }),
  },
  soak: {
    lifecycle: (rng) => [...someOf(rng, [-1, 0, 1, 2, 3]), rng.pick([4, 5, 6, 7, 8])],
    source: (sim) => ({
      id: 'hd',
      provider: 'houdini',
      url: sim.url,
      restUrl: sim.restUrl,
      partnerId: sim.credentials.partnerId ?? '',
      secret: sim.credentials.secret ?? '',
      orders: [],
    }),
    frame: (orderId, status) =>
      JSON.stringify({ type: 'order_update', data: { houdiniId: orderId, status } }),
  },
};
