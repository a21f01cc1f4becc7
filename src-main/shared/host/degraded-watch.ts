// "Monitoring degraded": when an enabled source has been offline or auth_failed for a while (5 min
// by default), say so once, and once more when it is connected again. Pure: the caller feeds
// connection states and the time (an injected clock), asks what is due, and shows the notices.
// Shared by every face (desktop notifications, web mode).
import type { ConnectionState } from '../statuses.js';

/** How long a source must stay unable to see before we say so. */
export const DEGRADED_AFTER_MS = 5 * 60_000;

/** What an episode's state does to it (a table, so a new connection state cannot be forgotten). */
const EFFECT: Readonly<Record<ConnectionState, 'bad' | 'keep' | 'good'>> = {
  // Unable to see: opens an episode (or continues one).
  offline: 'bad',
  auth_failed: 'bad',
  // Retrying: an open episode goes on (a source cycling offline → reconnecting → offline has not
  // been seeing in between); no episode opens from these alone.
  connecting: 'keep',
  reconnecting: 'keep',
  // Seeing again: the episode ends.
  connected: 'good',
};

interface Episode {
  /** When the source was first seen offline / auth_failed in this episode. */
  since: number;
  /** The worst state seen last (shown in the notice). */
  state: ConnectionState;
  /** Whether the degraded notice went out (then the recovery gets one too). */
  told: boolean;
}

export interface DegradedNotice {
  kind: 'degraded' | 'recovered';
  source: string;
  /** offline / auth_failed for a degraded notice; connected for a recovery. */
  state: ConnectionState;
  /** Start of the episode (epoch ms): tells two episodes of one source apart. */
  since: number;
}

export class DegradedWatch {
  private readonly episodes = new Map<string, Episode>();

  constructor(
    private readonly now: () => number,
    private readonly afterMs = DEGRADED_AFTER_MS,
  ) {}

  /**
   * A source's connection state (enabled=false, or a removed source: `forget`). Returns the notices
   * due now (a recovery; or a degraded notice when the state arrives late).
   */
  observe(source: string, state: ConnectionState, enabled = true): DegradedNotice[] {
    if (!enabled) {
      this.forget(source);
      return [];
    }
    const effect = EFFECT[state];
    const episode = this.episodes.get(source);
    if (effect === 'good') {
      if (!episode) return [];
      this.episodes.delete(source);
      return episode.told ? [{ kind: 'recovered', source, state, since: episode.since }] : [];
    }
    if (effect === 'bad') {
      if (episode) episode.state = state;
      else this.episodes.set(source, { since: this.now(), state, told: false });
    }
    return this.due();
  }

  /** A source disabled or removed: its episode ends without a recovery notice (the user acted). */
  forget(source: string): void {
    this.episodes.delete(source);
  }

  /** Degraded notices due now; each episode's only once. */
  due(): DegradedNotice[] {
    const now = this.now();
    const out: DegradedNotice[] = [];
    for (const [source, e] of this.episodes) {
      if (e.told || now - e.since < this.afterMs) continue;
      e.told = true;
      out.push({ kind: 'degraded', source, state: e.state, since: e.since });
    }
    return out;
  }

  /** When the next degraded notice falls due (epoch ms), for the caller's timer; undefined: none. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const e of this.episodes.values()) {
      if (e.told) continue;
      const at = e.since + this.afterMs;
      if (next === undefined || at < next) next = at;
    }
    return next;
  }
}
