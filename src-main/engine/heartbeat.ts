// The heartbeat of one live connection, for every provider (plain WebSocket and socket.io alike):
// a keepalive every interval, a silence deadline of two intervals (the only way to notice a
// half-open TCP link in seconds rather than the ~2 h of TCP keepalive), and the keepalive's round
// trip. Its timers belong to the connection's undo list, so they end with the connection.
import type { Logger } from './log.js';
import type { UndoList } from './undo-list.js';

/** Silence longer than this many intervals (no frame, no pong) means the link is dead. */
export const DEADLINE_INTERVALS = 2;

export interface HeartbeatOptions {
  intervalMs: number;
  log: Logger;
  /** Send one keepalive; the round trip is timed from here to the next `pong()`. */
  ping(): void;
  /** The silence deadline passed: drop the link so that it is reconnected. */
  expired(): void;
  rtt(ms: number): void;
  /** Monotonic clock in ms, injectable for tests. */
  now?: () => number;
}

export class Heartbeat {
  private deadline: NodeJS.Timeout | undefined;
  private expiredOnce = false;
  private pinging = false;
  private pingSentAt: number | undefined;
  private readonly now: () => number;

  constructor(
    private readonly undo: UndoList,
    private readonly o: HeartbeatOptions,
  ) {
    this.now = o.now ?? (() => performance.now());
  }

  /**
   * Start the silence deadline. A plain WebSocket does this as soon as the socket is open, before
   * the provider's own hello, so a server that goes quiet mid-handshake is caught too.
   */
  watchSilence(): void {
    if (this.deadline || this.expiredOnce || this.undo.closed) return;
    const silentMs = DEADLINE_INTERVALS * this.o.intervalMs;
    this.deadline = this.undo.timeout(() => {
      // A fired timer that is refreshed runs again: stop feeding it before reporting.
      this.deadline = undefined;
      this.expiredOnce = true;
      this.o.log.warn(
        { silentMs },
        'no traffic within the heartbeat deadline: connection presumed half-open',
      );
      this.o.expired();
    }, silentMs);
  }

  /** Once the session is up: a keepalive every interval (and the deadline, if not yet running). */
  start(): void {
    this.watchSilence();
    if (this.pinging || this.undo.closed) return;
    this.pinging = true;
    const timer = this.undo.interval(() => {
      this.pingSentAt = this.now();
      this.o.ping();
    }, this.o.intervalMs);
    // Keepalives alone must not hold a process open that has nothing else to do.
    timer.unref?.();
  }

  /** Any inbound traffic: the link is alive, push the deadline back. */
  heard(): void {
    // Refreshing a cleared timer may revive it: a late frame after the end must do nothing.
    if (this.undo.closed) return;
    this.deadline?.refresh();
  }

  /** The answer to our keepalive: alive, and the round trip when a ping is outstanding. */
  pong(): void {
    this.heard();
    if (this.pingSentAt === undefined) return;
    this.o.rtt(this.now() - this.pingSentAt);
    this.pingSentAt = undefined;
  }
}
