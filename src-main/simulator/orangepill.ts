// Orangepill (its "WebSocket Subscriptions" page): plain WebSocket at /, the realm key travels in a
// subscribe message (so a bad key is an `error` frame on an open socket, not a refused upgrade).
// The client's text `PING` keepalive gets no application answer. Notifications carry only the event
// name and the entity id, and the page shows two shapes (flat in the event table, nested in its own
// JS example): the simulator sends both, alternating by default, so clients must accept either.
import { randomUUID } from 'node:crypto';
import {
  WsSimulator,
  parseJsonObject,
  randomHex,
  type Json,
  type WsHub,
  type WsPeer,
} from './sim-base.js';
import { credential, someOf, type SimulatorDescriptor } from './descriptor.js';
import { activity, lifecycle, script } from './scripts.js';
import type { Simulator, SimulatorOptions } from './types.js';

export interface OrangepillCredentials {
  realmKey: string;
}

export type OrangepillShape = 'flat' | 'nested' | 'alternate';

interface OpPeer {
  subscribed: boolean;
}

const unixSeconds = (): number => Math.floor(Date.now() / 1000);

/** The Orangepill simulator's own controls, beside the shared ones. */
export interface OrangepillSim extends Simulator {
  /**
   * Sends `{"type":"error","realm":reason,…}` to every connection whose subscription was accepted,
   * without closing it or ending the subscription (a rate limit, say: the page's error frame is not
   * only for a bad key).
   */
  sendError(reason?: string): void;
  /** While set, every accepted subscribe is followed by such an error frame (undefined: off). */
  errorAfterAccept(reason: string | undefined): void;
}

/** An error that is not about the realm key. */
export const ORANGEPILL_RATE_LIMIT_ERROR = 'Rate limit exceeded.';

class OrangepillSimulator extends WsSimulator<OpPeer> implements OrangepillSim {
  readonly provider = 'orangepill' as const;
  /**
   * Last event per entity: Orangepill keeps no order state we could query, this is for assertions.
   */
  private readonly store = new Map<string, string>();
  protected readonly hub: WsHub<OpPeer>;
  private readonly shape: OrangepillShape;
  private sent = 0;
  private errorAfterSubscribe: string | undefined;

  constructor(options: SimulatorOptions<OrangepillCredentials>) {
    super(
      {
        // Realm keys are UUIDs in the page's examples.
        realmKey: options.credentials?.realmKey ?? randomUUID(),
      },
      options,
    );
    this.shape = options.orangepillShape ?? 'alternate';
    this.hub = this.attachWs<OpPeer>({
      path: '/',
      verify: () => ({ ok: true }),
      init: () => ({ subscribed: false }),
      onText: (peer, text) => this.onText(peer, text),
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  // Client frames (Orangepill's WebSocket Subscriptions page): the realm key in a subscribe or an
  // unsubscribe, and the JavaScript example's text keepalive, sent every 10 s:
  //
  //   { "type": "subscribe", "realm": "c9d4744c-0eae-4457-a665-2c18b9ac132b" }
  //   { "type": "unsubscribe", "realm": "c9d4744c-0eae-4457-a665-2c18b9ac132b" }
  //   PING
  private onText(peer: WsPeer<OpPeer>, text: string): void {
    // The keepalive: logged, never answered (only ws-level pings get pongs, from `ws` itself).
    if (text.trim() === 'PING') return;
    const message = parseJsonObject(text);
    const type = message?.type;
    if (type !== 'subscribe' && type !== 'unsubscribe') return;
    const realm = message?.realm;
    if (realm !== this.credentials.realmKey) {
      this.counters.authFailures += 1;
      // The socket stays open: the client may try again with another key.
      this.hub.send(peer, { type: 'info', realm: 'NONE', timestamp: unixSeconds() });
      this.hub.send(peer, { type: 'error', realm: 'Invalid Realm Key.', timestamp: unixSeconds() });
      return;
    }
    peer.state.subscribed = type === 'subscribe';
    this.hub.send(peer, { type: 'info', realm, timestamp: unixSeconds() });
    this.hub.send(peer, { type, realm, timestamp: unixSeconds() });
    if (type === 'subscribe' && this.errorAfterSubscribe !== undefined)
      this.hub.send(peer, this.errorFrame(this.errorAfterSubscribe));
  }

  private errorFrame(reason: string): Json {
    // The page's error frame carries its reason in `realm`.
    return { type: 'error', realm: reason, timestamp: unixSeconds() };
  }

  sendError(reason = ORANGEPILL_RATE_LIMIT_ERROR): void {
    this.hub.broadcast(this.errorFrame(reason), (peer) => peer.state.subscribed);
  }

  errorAfterAccept(reason: string | undefined): void {
    this.errorAfterSubscribe = reason;
  }

  private notification(event: string, entityId: string): Json {
    const timestamp = String(Date.now());
    const flat = this.shape === 'flat' || (this.shape === 'alternate' && this.sent % 2 === 0);
    this.sent += 1;
    return flat
      ? { type: 'notification', event, data: entityId, timestamp }
      : { type: 'notification', data: { event, data: entityId, timestamp } };
  }

  private push(event: string, entityId: string): void {
    // One shape per event: every subscriber of the same event sees the same frame.
    this.hub.broadcast(this.notification(event, entityId), (peer) => peer.state.subscribed);
  }

  setStatus(orderId: string, status: string | number, opts: { restOnly?: boolean } = {}): void {
    this.store.set(orderId, String(status));
    if (!opts.restOnly) this.push(String(status), orderId);
  }

  replay(orderId: string, status: string | number): void {
    this.push(String(status), orderId);
  }

  emitActivity(event: string, entityId?: string): void {
    this.push(event, entityId ?? randomHex(12));
  }

  sendRaw(text: string): void {
    this.hub.broadcast(text);
  }

  connections(): number {
    return this.hub.count((peer) => peer.state.subscribed);
  }

  orders(): Map<string, string | number> {
    return new Map(this.store);
  }
}

export async function startOrangepillSimulator(
  options: SimulatorOptions<OrangepillCredentials> = {},
): Promise<OrangepillSim> {
  const sim = new OrangepillSimulator(options);
  await sim.listen();
  return sim;
}

/** The soak's Orangepill families: the steps in order, the last one a choice of terminal events. */
const SOAK_FAMILIES: readonly (readonly string[])[] = [
  ['deposit.pending', 'deposit.received', 'deposit.processing', 'deposit.processed|deposit.failed'],
  ['transaction.processing', 'transaction.done|transaction.failed'],
  ['withdrawal.creating', 'withdrawal.processing', 'withdrawal.processed|withdrawal.failed'],
  ['apps.payment.pending', 'apps.payment.processing', 'apps.payment.done|apps.payment.failed'],
];

/** Orangepill in the demo and the soak (descriptor.ts); listed in index.ts. */
export const ORANGEPILL_SIMULATOR: SimulatorDescriptor = {
  start: (options) => startOrangepillSimulator(options),
  sourceId: 'op',
  demo: {
    script: (id) =>
      script(
        lifecycle(id('OP', 4001), [
          [1, 'deposit.pending'],
          [6, 'deposit.received'],
          [12, 'deposit.processing'],
          [18, 'deposit.gas'],
          [26, 'deposit.processed'],
        ]),
        lifecycle(id('OP', 4002), [
          [2, 'transaction.processing'],
          [20, 'transaction.done'],
        ]),
        lifecycle(id('OP', 4003), [
          [3, 'withdrawal.creating'],
          [34, 'withdrawal.failed'],
        ]),
        lifecycle(id('OP', 4004), [
          [4, 'apps.payment.pending'],
          [16, 'apps.payment.processing'],
          [44, 'apps.payment.done'],
        ]),
        activity(1.5, 'user.created', id('op-user', 1)),
        activity(30, 'account.incoming', id('op-account', 1)),
      ),
    source: (sim) => ({
      id: 'op',
      provider: 'orangepill',
      label: 'Orangepill (demo)',
      url: sim.url,
      realmKey: credential(sim, 'realmKey'),
    }),
  },
  soak: {
    lifecycle: (rng) => {
      const family = rng.pick(SOAK_FAMILIES);
      const last = (family.at(-1) as string).split('|');
      return [...someOf(rng, family.slice(0, -1)), rng.pick(last)];
    },
    source: (sim) => ({
      id: 'op',
      provider: 'orangepill',
      url: sim.url,
      realmKey: sim.credentials.realmKey ?? '',
    }),
    frame: (orderId, status) =>
      JSON.stringify({ type: 'notification', event: status, data: orderId, timestamp: '1' }),
    faults: {
      // A rate limit on the accepted connection now, and after every subscribe while it lasts.
      'error-after-accept': {
        weight: 2,
        gap: false,
        begin: (sim) => {
          const op = sim as OrangepillSim; // the simulator this descriptor's `start` made
          op.errorAfterAccept(ORANGEPILL_RATE_LIMIT_ERROR);
          op.sendError(ORANGEPILL_RATE_LIMIT_ERROR);
          return () => op.errorAfterAccept(undefined);
        },
      },
    },
  },
};
