// How many lines one source may log about unusable frames. A broken or hostile provider can send
// a million junk frames in seconds; one line each filled stderr at 5 MB/s and delayed shutdown past
// its deadline. Per source: the first LOG_BURST lines of each LOG_WINDOW_MS window are written,
// the rest are counted, and the count is said in one line when the window ends.

/** Unusable-frame lines one source may write per window. */
export const LOG_BURST = 10;
/** The window those lines are counted in. */
export const LOG_WINDOW_MS = 10_000;
/** Characters of a frame (and of what is said about it) quoted in a log line. */
export const LOG_EXCERPT_CHARS = 200;

export interface ThrottleVerdict {
  /** Write this line. */
  log: boolean;
  /** Lines suppressed in the window that just ended (to be said before this one), if any. */
  suppressedBefore?: number;
}

/** Fixed windows, opened by the first line after the previous one ended. Pure: time is passed in. */
export class LogThrottle {
  private windowStart = Number.NEGATIVE_INFINITY;
  private used = 0;
  private suppressed = 0;

  constructor(
    readonly burst = LOG_BURST,
    readonly windowMs = LOG_WINDOW_MS,
  ) {}

  take(now: number): ThrottleVerdict {
    let suppressedBefore: number | undefined;
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0) suppressedBefore = this.suppressed;
      this.windowStart = now;
      this.used = 0;
      this.suppressed = 0;
    }
    const log = this.used < this.burst;
    if (log) this.used += 1;
    else this.suppressed += 1;
    return suppressedBefore === undefined ? { log } : { log, suppressedBefore };
  }

  /** When the current window ends (ms), for a timer that says its count if no line comes later. */
  get windowEnd(): number {
    return this.windowStart + this.windowMs;
  }

  /** The count not yet said, now zeroed (the window's timer fired, or the source stops). */
  drain(): number {
    const n = this.suppressed;
    this.suppressed = 0;
    return n;
  }
}

/** At most `max` characters of provider text, marked when cut. */
export function excerpt(text: string, max = LOG_EXCERPT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}

/** The part of a logger this needs (the engine's pino child for the source). */
interface WarnLog {
  warn(obj: object, msg: string): void;
}

/**
 * One source's unusable-frame lines, throttled. The suppressed count is said when the next line
 * is allowed, or by a timer at the window's end (unref'd: it never holds a stopping process), or
 * by `close()`.
 */
export class UnusableFrameLog {
  private readonly throttle: LogThrottle;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: WarnLog,
    private readonly now: () => number = Date.now,
    burst = LOG_BURST,
    windowMs = LOG_WINDOW_MS,
  ) {
    this.throttle = new LogThrottle(burst, windowMs);
  }

  report(what: string, frame?: string): void {
    const verdict = this.throttle.take(this.now());
    if (verdict.suppressedBefore !== undefined) this.saySuppressed(verdict.suppressedBefore);
    if (verdict.log) {
      this.log.warn(
        frame === undefined ? {} : { frame: excerpt(frame) },
        `unusable frame: ${excerpt(what)}`,
      );
    } else if (!this.timer) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          this.saySuppressed(this.throttle.drain());
        },
        Math.max(0, this.throttle.windowEnd - this.now()),
      );
      this.timer.unref();
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.saySuppressed(this.throttle.drain());
  }

  private saySuppressed(n: number): void {
    if (n === 0) return;
    const { burst, windowMs } = this.throttle;
    this.log.warn(
      { suppressed: n, limit: `${burst} lines per ${windowMs / 1000} s` },
      `${n} more unusable frames suppressed (limit: ${burst} lines per ${windowMs / 1000} s)`,
    );
  }
}
