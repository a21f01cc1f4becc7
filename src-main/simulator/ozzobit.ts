// OZZOBiT (its "WebSockets" page): socket.io, namespace /ws (the path of the configured url),
// engine path the socket.io default. Auth is `handshake.auth.apiKey` (+ optional env) checked by
// namespace middleware, so a bad key surfaces on the client as `connect_error` with the server's
// message. Clients emit `subscribe:order {orderId}` or `subscribe:partner`; the server emits
// `order:update`. The app-level `ping` is answered with an `order:update` PONG (and the ack, if one
// was passed). The page never says `subscribe:order` is answered with the current state; only when
// started with `strict: false` does the simulator do so anyway (see strict.ts). The REST stand-in is
// the order lookup the client catches up with: GET /api/v2/orders/{orderId}, the API key as a bearer
// token.
import { Server as IoServer, type Socket } from 'socket.io';
import type { RestCall, RestRoute } from './rest-routes.js';
import {
  BaseSimulator,
  isoNow,
  randomHex,
  refuseNonGet,
  sendJson,
  underlyingSocket,
  type Corkable,
  type Json,
} from './sim-base.js';
import { credential, someOf, type SimulatorDescriptor } from './descriptor.js';
import { activity, lifecycle, script } from './scripts.js';
import type { Simulator, SimulatorOptions } from './types.js';

export const OZZOBIT_ORDER_EVENTS = [
  'ORDER_CREATED',
  'ORDER_PROCESSING',
  'ORDER_COMPLETED',
  'ORDER_FAILED',
  'ORDER_CANCELLED',
] as const;

export interface OzzobitCredentials {
  apiKey: string;
}

/** The REST states the contract lists, by the socket event that means the same. */
export const OZZOBIT_REST_STATES: ReadonlyMap<string, string> = new Map([
  ['ORDER_CREATED', 'PENDING_PAYMENT'],
  ['ORDER_PROCESSING', 'PROCESSING'],
  ['ORDER_COMPLETED', 'COMPLETED'],
  ['ORDER_FAILED', 'FAILED'],
  ['ORDER_CANCELLED', 'CANCELLED'],
]);

/** The OZZOBiT simulator's own controls, beside the shared ones. */
export interface OzzobitSim extends Simulator {
  /** While on, every socket is disconnected by the server right after it connects. */
  kickOnConnect(on: boolean): void;
  /** Sockets kicked so far. */
  readonly kicks: number;
  /**
   * While on, the namespace handshake is never answered: the engine.io connection opens, the
   * namespace CONNECT never completes (neither connect nor connect_error reaches the client).
   */
  holdHandshake(on: boolean): void;
  /** Namespace handshakes held so far. */
  readonly held: number;
}

const NAMESPACE = '/ws';
const ENVIRONMENTS: readonly unknown[] = ['STAGING', 'PRODUCTION'];

interface OzOrder {
  orderId: string;
  event: string;
  amount: string;
  currency: string;
  txHash: string;
}

interface OzPeer {
  id: number;
  orders: Set<string>;
  partner: boolean;
}

/** Runs a socket event handler so that nothing a client sends can throw out of it. */
function guarded<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      handler(...args);
    } catch {
      // Garbage from a client is not the server's problem.
    }
  };
}

function stringifyArgs(args: unknown[]): string {
  try {
    return JSON.stringify(args);
  } catch {
    return '[unserializable]';
  }
}

class OzzobitSimulator extends BaseSimulator implements OzzobitSim {
  readonly provider = 'ozzobit' as const;
  private readonly io: IoServer;
  private readonly peers = new Map<Socket, OzPeer>();
  private readonly store = new Map<string, OzOrder>();
  private readonly rest: Required<
    Pick<SimulatorOptions, 'ozzobitRestEnvelope' | 'ozzobitRestStatus' | 'ozzobitRestIdField'>
  >;
  private kicking = false;
  private holding = false;
  kicks = 0;
  held = 0;

  constructor(options: SimulatorOptions<OzzobitCredentials>) {
    super({ apiKey: options.credentials?.apiKey ?? `oz_live_${randomHex(16)}` }, options);
    this.rest = {
      ozzobitRestEnvelope: options.ozzobitRestEnvelope ?? 'bare',
      ozzobitRestStatus: options.ozzobitRestStatus ?? 'event',
      ozzobitRestIdField: options.ozzobitRestIdField ?? 'orderId',
    };
    this.io = new IoServer(this.http, {
      serveClient: false,
      maxHttpBufferSize: 1024 * 1024,
      ...(options.pingIntervalMs !== undefined && { pingInterval: options.pingIntervalMs }),
      ...(options.pingTimeoutMs !== undefined && { pingTimeout: options.pingTimeoutMs }),
    });
    // Only /ws exists at OZZOBiT; a client that lost the path must fail loudly, not sit silent.
    this.io.use((_socket, next) => next(new Error('invalid namespace')));
    const nsp = this.io.of(NAMESPACE);
    // A server that never answers the namespace handshake: `next` is simply never called.
    nsp.use((_socket, next) => {
      if (!this.holding) return next();
      this.held += 1;
    });
    // The handshake's `auth` (OZZOBiT's WebSockets page), checked before the namespace connects:
    //
    //   io('wss://OZZOBiT.com/ws', { auth: { apiKey: 'YOUR_API_KEY', env: 'STAGING' }, … })
    nsp.use((socket, next) => {
      const auth: Record<string, unknown> = socket.handshake.auth ?? {};
      const envOk = auth.env === undefined || ENVIRONMENTS.includes(auth.env);
      if (auth.apiKey === this.credentials.apiKey && envOk) return next();
      this.counters.authFailures += 1;
      next(new Error('unauthorized: invalid API key'));
    });
    nsp.on('connection', (socket) => this.onConnection(socket));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}${NAMESPACE}`;
  }

  kickOnConnect(on: boolean): void {
    this.kicking = on;
  }

  holdHandshake(on: boolean): void {
    this.holding = on;
  }

  private onConnection(socket: Socket): void {
    if (this.kicking) {
      // The client sees `disconnect` with reason "io server disconnect" and, per socket.io, does
      // not reconnect by itself: what it does next is the client's own decision.
      this.kicks += 1;
      socket.disconnect(true);
      return;
    }
    const peer: OzPeer = { id: this.newConnectionId(), orders: new Set(), partner: false };
    this.peers.set(socket, peer);
    socket.on('disconnect', () => this.peers.delete(socket));
    socket.onAny(
      guarded((event: string, ...args: unknown[]) => {
        const data = typeof args.at(-1) === 'function' ? args.slice(0, -1) : args;
        this.logFrame(peer.id, `${event} ${stringifyArgs(data)}`);
      }),
    );
    // Client events (OZZOBiT's WebSockets page): one order, or every order of the partner.
    //
    //   socket.emit('subscribe:order', { orderId: 'your-order-id' })
    socket.on(
      'subscribe:order',
      guarded((payload: unknown) => {
        const orderId =
          typeof payload === 'object' && payload !== null
            ? (payload as Record<string, unknown>).orderId
            : undefined;
        if (typeof orderId !== 'string' || orderId === '') return;
        peer.orders.add(orderId);
        if (this.strict) return; // the page promises no answer to a subscribe
        // The current state right away: a courtesy the page never promises (see strict.ts).
        const order = this.store.get(orderId);
        if (order) socket.emit('order:update', this.message(order, order.event));
      }),
    );
    //   socket.emit('subscribe:partner')
    socket.on(
      'subscribe:partner',
      guarded(() => {
        peer.partner = true;
      }),
    );
    // The heartbeat ping (OZZOBiT's WebSockets page lists only its answer, the PONG event); an ack,
    // if the client passed one, gets the same PONG:
    //
    //   socket.emit('ping')   ->   order:update { "event": "PONG", "timestamp": "…" }
    socket.on(
      'ping',
      guarded((...args: unknown[]) => {
        const pong = { event: 'PONG', timestamp: isoNow() };
        socket.emit('order:update', pong);
        const ack = args.at(-1);
        if (typeof ack === 'function') (ack as (reply: unknown) => void)(pong);
      }),
    );
  }

  private message(order: OzOrder, event: string): Json {
    const base: Json = {
      event,
      orderId: order.orderId,
      amount: order.amount,
      currency: order.currency,
    };
    switch (event) {
      case 'ORDER_PROCESSING':
        base.step = 'PAYMENT_CONFIRMATION';
        break;
      case 'ORDER_COMPLETED':
        base.txHash = order.txHash;
        break;
      case 'ORDER_FAILED':
        base.reason = 'Payment declined by card issuer';
        base.errorCode = 'PAYMENT_DECLINED';
        break;
      case 'ORDER_CANCELLED':
        base.cancelledBy = 'USER';
        break;
    }
    base.timestamp = isoNow();
    return base;
  }

  // The order lookup (OZZOBiT's REST order API, not on the WebSockets page):
  //
  //   GET /api/v2/orders/{orderId}
  //   Authorization: Bearer <apiKey>
  private readonly routes: readonly RestRoute[] = [
    { path: '/api/v2/orders/{orderId}', handle: (call) => this.lookup(call) },
  ];

  protected override restRoutes(): readonly RestRoute[] {
    return this.routes;
  }

  private lookup(call: RestCall): void {
    const { req, res, params } = call;
    if (req.headers.authorization !== `Bearer ${this.credentials.apiKey}`) {
      sendJson(res, 401, { error: 'unauthorized: invalid API key' });
      return;
    }
    if (refuseNonGet(call)) return;
    const order = this.store.get(params.orderId ?? '');
    if (!order) {
      sendJson(res, 404, { error: 'order not found' });
      return;
    }
    const body = this.restOrder(order);
    sendJson(res, 200, this.rest.ozzobitRestEnvelope === 'data' ? { data: body } : body);
  }

  /** The socket message's fields, with the id and status fields the switches ask for. */
  private restOrder(order: OzOrder): Json {
    const fields = this.message(order, order.event);
    delete fields.event;
    delete fields.orderId;
    delete fields.timestamp;
    const status =
      this.rest.ozzobitRestStatus === 'state'
        ? (OZZOBIT_REST_STATES.get(order.event) ?? order.event)
        : order.event;
    return {
      [this.rest.ozzobitRestIdField]: order.orderId,
      status,
      ...fields,
      updatedAt: isoNow(),
    };
  }

  private push(order: OzOrder, event: string): void {
    const message = this.message(order, event);
    for (const [socket, peer] of this.peers) {
      if (peer.partner || peer.orders.has(order.orderId)) socket.emit('order:update', message);
    }
  }

  private orderFor(orderId: string, event: string): OzOrder {
    return (
      this.store.get(orderId) ?? {
        orderId,
        event,
        amount: (100 + this.store.size * 25).toFixed(2),
        currency: 'EUR',
        txHash: `0x${randomHex(32)}`,
      }
    );
  }

  setStatus(orderId: string, status: string | number, opts: { restOnly?: boolean } = {}): void {
    const order = this.orderFor(orderId, String(status));
    order.event = String(status);
    this.store.set(orderId, order);
    if (!opts.restOnly) this.push(order, order.event);
  }

  replay(orderId: string, status: string | number): void {
    this.push(this.orderFor(orderId, String(status)), String(status));
  }

  /** Partner-wide events (KYC) go to every authenticated socket, whatever it subscribed to. */
  emitActivity(event: string, entityId?: string): void {
    const message: Json =
      event === 'KYC_STATUS_CHANGED'
        ? { event, userId: entityId ?? 'user-1', newStatus: 'APPROVED' }
        : { event, ...(entityId !== undefined && { id: entityId }) };
    message.timestamp = isoNow();
    this.io.of(NAMESPACE).emit('order:update', message);
  }

  sendRaw(text: string): void {
    let payload: unknown = text;
    try {
      payload = JSON.parse(text);
    } catch {
      // Not JSON: sent as the string itself.
    }
    this.io.of(NAMESPACE).emit('order:update', payload);
  }

  connections(): number {
    return this.io.of(NAMESPACE).sockets.size;
  }

  orders(): Map<string, string | number> {
    return new Map([...this.store].map(([id, order]) => [id, order.event]));
  }

  protected clientSockets(): Iterable<Corkable | undefined> {
    // socket.io → engine.io connection → its websocket transport → the `ws` socket → TCP.
    return [...this.io.of(NAMESPACE).sockets.values()].map((s) =>
      underlyingSocket((s.conn.transport as unknown as { socket?: unknown }).socket),
    );
  }

  protected disconnectAll(): void {
    // Connections still in the handshake need nothing: the proxy reset their TCP already.
    this.io.of(NAMESPACE).disconnectSockets(true);
    this.peers.clear();
  }

  protected shutdown(): Promise<void> {
    // Not io.close(): it would also close the http server, which BaseSimulator closes itself.
    this.io.engine.close();
    return Promise.resolve();
  }
}

export async function startOzzobitSimulator(
  options: SimulatorOptions<OzzobitCredentials> = {},
): Promise<OzzobitSim> {
  const sim = new OzzobitSimulator(options);
  await sim.listen();
  return sim;
}

/** OZZOBiT in the demo and the soak (descriptor.ts); listed in index.ts. */
export const OZZOBIT_SIMULATOR: SimulatorDescriptor = {
  start: (options) => startOzzobitSimulator(options),
  sourceId: 'oz',
  demo: {
    script: (id) =>
      script(
        lifecycle(id('OZ', 2001), [
          [1, 'ORDER_CREATED'],
          [8, 'ORDER_PROCESSING'],
          [22, 'ORDER_COMPLETED'],
        ]),
        lifecycle(id('OZ', 2002), [
          [1.8, 'ORDER_CREATED'],
          [14, 'ORDER_PROCESSING'],
          [40, 'ORDER_FAILED'],
        ]),
        lifecycle(id('OZ', 2003), [
          [3, 'ORDER_CREATED'],
          [30, 'ORDER_CANCELLED'],
        ]),
        activity(12, 'KYC_STATUS_CHANGED', id('oz-user', 1)),
      ),
    source: (sim) => ({
      id: 'oz',
      provider: 'ozzobit',
      label: 'OZZOBiT (demo)',
      url: sim.url,
      apiKey: credential(sim, 'apiKey'),
      env: 'STAGING',
      restUrl: sim.restUrl,
      orders: [],
      allOrders: true,
    }),
  },
  soak: {
    lifecycle: (rng) => [
      ...someOf(rng, ['ORDER_CREATED', 'ORDER_PROCESSING']),
      rng.pick(['ORDER_COMPLETED', 'ORDER_FAILED', 'ORDER_CANCELLED']),
    ],
    source: (sim, orders) => ({
      id: 'oz',
      provider: 'ozzobit',
      url: sim.url,
      apiKey: sim.credentials.apiKey ?? '',
      env: 'STAGING',
      // Subscribed one by one, and looked up over REST after every (re)connect (the catch-up).
      restUrl: sim.restUrl,
      orders,
    }),
    // socket.io's own reconnection (≤ reconnectionDelayMax apart), then the adapter's slow retry
    // (or its backoff after the server's own disconnect, whichever waits longer).
    retryWaitMs: (tuning) =>
      Math.max(tuning.ozzobit?.slowRetryMs ?? 0, tuning.ozzobit?.retryBackoff?.capMs ?? 0) ||
      undefined,
    frame: (orderId, status) => JSON.stringify({ event: status, orderId }),
    faults: {
      // The link drops and every socket that comes back is disconnected by the server at once.
      kick: {
        weight: 2,
        gap: true,
        begin: (sim) => {
          const oz = sim as OzzobitSim; // the simulator this descriptor's `start` made
          oz.kickOnConnect(true);
          sim.drop();
          return () => oz.kickOnConnect(false);
        },
      },
      // The link drops and the namespace handshake of every new socket is never answered.
      'held-handshake': {
        weight: 1,
        gap: true,
        begin: (sim) => {
          const oz = sim as OzzobitSim;
          oz.holdHandshake(true);
          sim.drop();
          return () => oz.holdHandshake(false);
        },
      },
    },
  },
};
