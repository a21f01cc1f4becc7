// The one shape every loopback simulator has, whatever protocol it speaks, so that tests and the
// demo can drive all five providers the same way.
import type { ProviderKey } from '../engine/types.js';

/** A text frame a client sent (socket.io: `${event} ${JSON.stringify(args)}`). */
export interface ReceivedFrame {
  at: number;
  connection: number;
  text: string;
}

/**
 * One step of a scripted lifecycle. `after` is milliseconds since the script started (divided by
 * the speed), not since the previous step, so several lifecycles can be interleaved in one list.
 */
export type ScriptStep =
  | {
      after: number;
      orderId: string;
      status: string | number;
      restOnly?: boolean;
      market?: string;
    }
  | { after: number; activity: string; orderId?: string };

export interface SimulatorStats {
  /** TCP connections the fault proxy accepted (every attempt, including refused upgrades). */
  accepted: number;
  authFailures: number;
  restCalls: number;
}

export interface Simulator {
  readonly provider: ProviderKey;
  /** Exactly what goes in the config "url" (ozzobit: path = namespace; satoriex: without token). */
  readonly url: string;
  /** houdini, satoriex: REST origin `http://127.0.0.1:PORT`. */
  readonly restUrl?: string;
  /** Valid credentials keyed by config field name. */
  readonly credentials: Record<string, string>;
  /**
   * Create or move an order to a provider-native status (number code or event name) and push it to
   * subscribed clients as the protocol does. restOnly: change only what REST (or a resubscribe)
   * answers, as if it happened while the client was away; push nothing.
   */
  setStatus(
    orderId: string,
    status: string | number,
    opts?: { restOnly?: boolean; market?: string },
  ): void;
  /** Push a message for the order WITHOUT changing stored state: a stale or duplicate frame. */
  replay(orderId: string, status: string | number): void;
  /** Push a non-order event (activity). */
  emitActivity(event: string, entityId?: string): void;
  /** Send a raw text frame to every connected client (ozzobit: as an `order:update` event). */
  sendRaw(text: string): void;
  /** Reset every proxied TCP connection abruptly: no close frame. */
  drop(): void;
  /** Stall all bytes both ways while keeping sockets open (true); resume for new links (false). */
  halfOpen(on: boolean): void;
  /** Close the listening server and all clients, then listen again on the same port. */
  restart(): Promise<void>;
  /** Clients currently connected and authenticated / subscribed. */
  connections(): number;
  readonly stats: Readonly<SimulatorStats>;
  readonly received: ReceivedFrame[];
  /** Current native status of every known order. */
  orders(): Map<string, string | number>;
  /**
   * Run `fn` (setStatus, replay… calls) with every client connection corked: the frames it pushes
   * leave in one write per connection, as when a reconnect delivers a backlog at once. The bench
   * floods through this, so the simulator is never the bottleneck it measures.
   */
  burst(fn: () => void): void;
  /** Run scripted steps; resolves when the last step ran, or when the simulator closes. */
  runScript(steps: readonly ScriptStep[], speed?: number): Promise<void>;
  close(): Promise<void>;
}

/** Options every start function accepts; each provider reads only what applies to it. */
export interface SimulatorOptions<C = Record<string, string>> {
  credentials?: Partial<C>;
  /** socket.io server heartbeat (ozzobit only). */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** Orangepill notification shape; 'alternate' switches with every message. */
  orangepillShape?: 'flat' | 'nested' | 'alternate';
}
