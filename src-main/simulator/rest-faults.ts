// REST faults a test (or the soak) can switch on and off on a running simulator, so catch-up code is
// exercised against origins that are slow, down, silent, flapping or rate-limiting, not only against
// a loopback server that always answers at once. Pure decision logic: BaseSimulator asks for a verdict
// per request and carries it out.

export type RestFault =
  /** Every answer is delayed by `ms`: a slow server, so the answer is as of when it leaves. */
  | { kind: 'slow'; ms: number }
  /**
   * Every answer is built when its request ARRIVES and reaches the client `ms` later: a fast server
   * behind a slow network. By the time it lands it may be older than something pushed on the
   * stream meanwhile (what a client must never apply over the newer push).
   */
  | { kind: 'late'; ms: number }
  /** The origin is down: 503, or (`reset`) the connection is cut without an answer. */
  | { kind: 'down'; answer?: 503 | 'reset' }
  /** Requests are accepted and never answered (until the fault is cleared or the simulator closes). */
  | { kind: 'hang' }
  /** 500, served, 500, served, … starting with a failure. */
  | { kind: 'flapping' }
  /** The next `count` requests get 500, later ones are served. */
  | { kind: 'failFirst'; count: number }
  /**
   * 429 with `Retry-After: retryAfterSeconds`; every request before that time has passed gets 429
   * again (with the seconds left). After `windows` such windows (default 1) requests are served.
   */
  | { kind: 'rateLimited'; retryAfterSeconds: number; windows?: number }
  /**
   * A body that never ends (`status`, default 200), written as fast as the client reads it until
   * the client goes away: what a broken or hostile origin does to a client without a size cap.
   */
  | { kind: 'endless'; status?: number };

export type RestVerdict =
  /** Built after `delayMs`, sent at once. */
  | { kind: 'serve'; delayMs: number }
  /** Built now, sent after `ms`. */
  | { kind: 'serveLate'; ms: number }
  | { kind: 'answer'; status: number; headers: Readonly<Record<string, string>>; body: unknown }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'endless'; status: number };

interface FaultState {
  /** Requests seen since the fault was set, this one included. */
  seen: number;
  windowEnd: number;
  windowsLeft: number;
}

const SERVE: RestVerdict = { kind: 'serve', delayMs: 0 };
const ERROR_500: RestVerdict = {
  kind: 'answer',
  status: 500,
  headers: {},
  body: { error: 'internal server error' },
};

function rateLimited(secondsLeft: number): RestVerdict {
  return {
    kind: 'answer',
    status: 429,
    headers: { 'retry-after': String(secondsLeft) },
    body: { error: 'too many requests' },
  };
}

type Deciders = {
  [K in RestFault['kind']]: (
    fault: Extract<RestFault, { kind: K }>,
    state: FaultState,
    now: number,
  ) => RestVerdict;
};

/** One row per fault: what the request numbered `state.seen` gets. */
const DECIDE: Deciders = {
  slow: (fault) => ({ kind: 'serve', delayMs: fault.ms }),
  late: (fault) => ({ kind: 'serveLate', ms: fault.ms }),
  down: (fault) =>
    fault.answer === 'reset'
      ? { kind: 'reset' }
      : {
          kind: 'answer',
          status: 503,
          headers: {},
          body: { error: 'service unavailable' },
        },
  hang: () => ({ kind: 'hang' }),
  endless: (fault) => ({ kind: 'endless', status: fault.status ?? 200 }),
  flapping: (_fault, state) => (state.seen % 2 === 1 ? ERROR_500 : SERVE),
  failFirst: (fault, state) => (state.seen <= fault.count ? ERROR_500 : SERVE),
  rateLimited: (fault, state, now) => {
    if (now < state.windowEnd) return rateLimited(Math.ceil((state.windowEnd - now) / 1000));
    if (state.windowsLeft <= 0) return SERVE;
    state.windowsLeft -= 1;
    state.windowEnd = now + fault.retryAfterSeconds * 1000;
    return rateLimited(fault.retryAfterSeconds);
  },
};

function validate(fault: RestFault): void {
  const bad = (what: string) => new RangeError(`REST fault ${fault.kind}: ${what}`);
  if (
    (fault.kind === 'slow' || fault.kind === 'late') &&
    !(Number.isFinite(fault.ms) && fault.ms >= 0)
  )
    throw bad('ms must be a finite number ≥ 0');
  if (fault.kind === 'failFirst' && !(Number.isInteger(fault.count) && fault.count >= 0))
    throw bad('count must be an integer ≥ 0');
  if (fault.kind === 'rateLimited') {
    if (!(Number.isInteger(fault.retryAfterSeconds) && fault.retryAfterSeconds > 0))
      throw bad('retryAfterSeconds must be an integer > 0');
    if (fault.windows !== undefined && !(Number.isInteger(fault.windows) && fault.windows >= 0))
      throw bad('windows must be an integer ≥ 0');
  }
}

/** The fault currently set on one simulator's REST origin and the state it keeps between requests. */
export class RestFaults {
  private fault: RestFault | undefined;
  private state: FaultState = { seen: 0, windowEnd: 0, windowsLeft: 0 };

  get current(): RestFault | undefined {
    return this.fault;
  }

  /** Sets (or with undefined clears) the fault; its counting starts again from the next request. */
  set(fault: RestFault | undefined): void {
    if (fault) validate(fault);
    this.fault = fault;
    this.state = {
      seen: 0,
      windowEnd: 0,
      windowsLeft: fault?.kind === 'rateLimited' ? (fault.windows ?? 1) : 0,
    };
  }

  /** What the next request gets, at time `now` (ms). */
  verdict(now: number): RestVerdict {
    const fault = this.fault;
    if (!fault) return SERVE;
    this.state.seen += 1;
    // The table is keyed by the union's own tag, so the row always fits the fault.
    const decide = DECIDE[fault.kind] as (f: RestFault, s: FaultState, n: number) => RestVerdict;
    return decide(fault, this.state, now);
  }
}
