// Catch-up after every (re)connect, one mechanism for every provider. A server is never assumed to
// replay what happened while the link was down: when a connection attempt becomes ready, every order
// the source knows that is not finished is looked up over REST (the whole account listed first where
// the provider can), and what cannot be verified is said so ("unverified since" the gap began).
//
// Everything a pass does belongs to ONE connection attempt: its hydration gate, its requests, its
// retries and its poll timer live in the attempt's undo list and die with it, so a slow answer from
// an old connection can neither open the new connection's gate nor overwrite what it heard.
import type { UnverifiedReasonCode } from '../shared/unverified.js';
import { RestError } from './rest.js';
import type { OrderReportOptions, SourceContext } from './source.js';
import { isTerminal } from './status.js';
import type { OrderUpdate } from './types.js';
import type { UndoList } from './undo-list.js';

/** One order's current state, or `'unknown'`: the provider does not know it (HTTP 404). */
export type LookupResult = OrderUpdate | 'unknown';

/** What a protocol can do to catch up, matching its descriptor's `catchUp.mode`. */
export interface CatchUpPort {
  /** The current state of one order. */
  lookup?(orderId: string, signal: AbortSignal): Promise<LookupResult>;
  /** Every order of the account, page by page. */
  list?(signal: AbortSignal): AsyncIterable<OrderUpdate[]>;
  /** What `'unknown'` means for this provider (Houdini: older than its REST's 48 h window). */
  readonly unknownMeans?: UnverifiedReason;
}

/**
 * Why an order could not be verified after a gap. Stable codes (they reach the NDJSON stream); the
 * window's words for them are in shared/unverified.ts, which must name exactly these.
 */
export const UNVERIFIED_REASONS = {
  no_catch_up: 'the provider (or this source: no restUrl) offers no way to look orders up',
  lookup_failed: 'the lookup failed',
  unknown_to_provider: 'the provider does not know the order',
  not_listed: 'the order is not in the account listing',
  beyond_rest_window: "older than the provider's REST history (Houdini: 48 h)",
} as const satisfies Record<UnverifiedReasonCode, string>;
export type UnverifiedReason = keyof typeof UNVERIFIED_REASONS;

export interface UnverifiedOrder {
  orderId: string;
  reason: UnverifiedReason;
  detail?: string;
}

/** What a pass needs from the engine besides a source's ordinary context. */
export interface CatchUpHost {
  /** Ids to verify: the source's known non-terminal orders plus watched ids not yet known. */
  openOrders(): readonly string[];
  /** One report per gap: these orders could not be verified since `since` (ISO 8601). */
  unverified(since: string, orders: readonly UnverifiedOrder[]): void;
  /** The order was verified over REST (its mark, if any, is cleared even when nothing changed). */
  verified(orderId: string): void;
}

export interface CatchUpSettings {
  /** Live events are never held back longer than this after connect. */
  holdMs: number;
  /** One deadline for the whole first round of a pass (list + lookups). */
  passDeadlineMs: number;
  /** Lookups in flight at once. */
  concurrency: number;
  /** Retries of failed lookups while the attempt lives: full-jitter exponential backoff. */
  retryBaseMs: number;
  retryCapMs: number;
  retries: number;
  /** Repeat the list this often while connected (SatoriEx's fallback poll); absent: never. */
  pollMs?: number;
  random: () => number;
  now: () => number;
}

export const CATCH_UP_DEFAULTS: Readonly<CatchUpSettings> = {
  holdMs: 3_000,
  passDeadlineMs: 20_000,
  concurrency: 4,
  retryBaseMs: 2_000,
  retryCapMs: 60_000,
  retries: 8,
  random: Math.random,
  now: Date.now,
};

export interface CatchUpOptions {
  /** The descriptor's mode is not `none` and the field it requires (`restUrl`) is set. */
  available: boolean;
  settings?: Partial<CatchUpSettings>;
}

/** Engine context plus the catch-up host: what one source's catch-up talks to. */
export type CatchUpContext = SourceContext & CatchUpHost;

/**
 * One source's catch-up. `context` is what the adapter reports through: its live (stream) order
 * reports pass the current attempt's gate. `ready(undo)` starts a pass owned by that attempt.
 */
export class CatchUp {
  readonly context: SourceContext;
  private readonly settings: CatchUpSettings;
  private port: CatchUpPort = {};
  private pass: CatchUpPass | undefined;
  /** When the source was last seen connected: the start of the current gap. */
  private gapSince: number;

  constructor(
    private readonly ctx: CatchUpContext,
    private readonly options: CatchUpOptions,
  ) {
    this.settings = { ...CATCH_UP_DEFAULTS, ...options.settings };
    // First connect after start: the gap is counted from the engine's start (the previous run's
    // last connected moment is not persisted; docs/headless.md says so).
    this.gapSince = this.settings.now();
    this.context = {
      ...ctx,
      order: (update, opts) => this.streamed(update, opts),
    };
  }

  /** The protocol (or source) that answers lookups and lists; set once it exists. */
  use(port: CatchUpPort): void {
    this.port = port;
  }

  /** The attempt is ready: look everything up. The pass ends with `undo` (the attempt's). */
  ready(undo: UndoList): void {
    const pass = new CatchUpPass(
      this.ctx,
      this.options.available ? this.port : undefined,
      this.settings,
      new Date(this.gapSince).toISOString(),
      undo,
    );
    this.pass = pass;
    undo.add(() => {
      if (this.pass === pass) this.pass = undefined;
      // The link that was up until now is gone: a new gap starts.
      this.gapSince = this.settings.now();
    });
    void pass.run();
  }

  private streamed(update: OrderUpdate, opts: OrderReportOptions | undefined): void {
    if (opts?.origin === 'rest' || !this.pass) this.ctx.order(update, opts);
    else this.pass.stream(update, opts);
  }
}

interface Failure {
  reason: UnverifiedReason;
  detail?: string;
  retryAfterMs?: number;
}

/** One attempt's catch-up: gate, first round under one deadline, bounded retries, poll. */
export class CatchUpPass {
  private readonly abort = new AbortController();
  /** Stream reports while the gate is shut, in arrival order; never capped, never dropped. */
  private held: Array<() => void> | undefined = [];
  /** Counts stream reports; a REST answer is compared with the count when its request left. */
  private seq = 0;
  private inFlight = 0;
  /** orderId → seq of its latest stream report, kept only while REST requests are in flight. */
  private readonly streamedAt = new Map<string, number>();
  /** orderId → seq at which the REST request whose answer was applied left (while the gate holds). */
  private readonly restAt = new Map<string, number>();

  constructor(
    private readonly ctx: CatchUpContext,
    private readonly port: CatchUpPort | undefined,
    private readonly settings: CatchUpSettings,
    private readonly since: string,
    private readonly undo: UndoList,
  ) {
    undo.add(() => this.abort.abort());
    // Bounded hold: a REST origin that never answers delays the stream by at most this.
    undo.timeout(() => this.release(), settings.holdMs);
  }

  get live(): boolean {
    return !this.abort.signal.aborted;
  }

  stream(update: OrderUpdate, opts: OrderReportOptions | undefined): void {
    const seq = ++this.seq;
    if (this.inFlight > 0) this.streamedAt.set(update.orderId, seq);
    if (this.held) this.held.push(() => this.deliverStream(update, opts, seq));
    else this.ctx.order(update, opts);
  }

  async run(): Promise<void> {
    const ids = this.ctx.openOrders();
    const port = this.port;
    if (!port || (!port.lookup && !port.list)) {
      this.release();
      this.report(ids.map((orderId) => ({ orderId, reason: 'no_catch_up' as const })));
      return;
    }
    let failures: Map<string, Failure>;
    try {
      failures = await this.round(ids, Boolean(port.list));
    } finally {
      this.release();
    }
    if (!this.live) return;
    this.report([...failures].map(([orderId, f]) => toUnverified(orderId, f)));
    if (this.settings.pollMs !== undefined && port.list) this.startPoll(this.settings.pollMs);
    await this.retry(failures);
  }

  /** The first list and lookups are done (or `holdMs` passed): let the stream through. */
  private release(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    for (const deliver of held) deliver();
    this.restAt.clear();
  }

  private deliverStream(update: OrderUpdate, opts: OrderReportOptions | undefined, seq: number) {
    // A REST answer requested after this report was heard is newer: applying the older report on
    // top would move the order back (2 → 1). A finished state is never skipped.
    const rest = this.restAt.get(update.orderId);
    if (rest !== undefined && rest >= seq && !isTerminal(update.status)) return;
    this.ctx.order(update, opts);
  }

  /**
   * One round under one deadline: the list (if asked), then lookups of the ids it did not cover.
   * Returns the ids that could not be verified, with why.
   */
  private async round(ids: readonly string[], withList: boolean): Promise<Map<string, Failure>> {
    const failures = new Map<string, Failure>();
    const remaining = new Set(ids);
    const round = new AbortController();
    const stop = () => round.abort();
    this.abort.signal.addEventListener('abort', stop, { once: true });
    const deadline = setTimeout(stop, this.settings.passDeadlineMs);
    try {
      let listFailure: Failure | undefined;
      if (withList && this.port?.list) {
        listFailure = await this.listAll(round.signal, remaining);
      }
      const lookup = this.port?.lookup?.bind(this.port);
      const open = new Set(this.ctx.openOrders());
      const unresolved = [...remaining].filter((id) => open.has(id));
      if (lookup) {
        await this.lookupAll(lookup, unresolved, round.signal, failures);
      } else {
        for (const id of unresolved) {
          failures.set(id, listFailure ?? { reason: 'not_listed' });
        }
      }
      if (listFailure) failures.set(LIST, listFailure);
      return failures;
    } finally {
      clearTimeout(deadline);
      this.abort.signal.removeEventListener('abort', stop);
    }
  }

  private async listAll(signal: AbortSignal, remaining: Set<string>): Promise<Failure | undefined> {
    const list = this.port?.list;
    if (!list) return undefined;
    // First complete pass of an all-orders source: history is recorded, not rung (the engine only
    // lets this silence orders it has never seen).
    const silent = !this.ctx.baselined();
    const pages = list.call(this.port, signal)[Symbol.asyncIterator]();
    try {
      for (;;) {
        const sent = this.begin();
        let page: IteratorResult<OrderUpdate[]>;
        try {
          page = await pages.next();
        } finally {
          this.end();
        }
        if (page.done) break;
        if (!this.live) return undefined;
        for (const update of page.value) {
          this.applyRest(update, sent, silent);
          remaining.delete(update.orderId);
        }
      }
      this.ctx.markBaselined();
      return undefined;
    } catch (err) {
      await pages.return?.();
      this.ctx.log.warn({ err: (err as Error).message }, 'catch-up list failed');
      return failureOf(err);
    }
  }

  private async lookupAll(
    lookup: (id: string, signal: AbortSignal) => Promise<LookupResult>,
    ids: readonly string[],
    signal: AbortSignal,
    failures: Map<string, Failure>,
  ): Promise<void> {
    const queue = [...ids];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        if (signal.aborted) {
          failures.set(id, { reason: 'lookup_failed', detail: 'catch-up deadline passed' });
          continue;
        }
        const sent = this.begin();
        try {
          const result = await lookup(id, signal);
          if (!this.live) return;
          if (result === 'unknown')
            failures.set(id, { reason: this.port?.unknownMeans ?? 'unknown_to_provider' });
          else this.applyRest(result, sent, false);
        } catch (err) {
          if (!this.live) return;
          this.ctx.log.warn({ orderId: id, err: (err as Error).message }, 'order lookup failed');
          failures.set(id, failureOf(err));
        } finally {
          this.end();
        }
      }
    };
    const workers = Math.max(1, Math.min(this.settings.concurrency, ids.length));
    await Promise.all(Array.from({ length: workers }, worker));
  }

  /** A REST request leaves: returns the stream count it is compared with. */
  private begin(): number {
    this.inFlight += 1;
    this.ctx.lookedUp?.();
    return this.seq;
  }

  private end(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0) this.streamedAt.clear();
  }

  private applyRest(update: OrderUpdate, sent: number, silent: boolean): void {
    if (!this.live) return;
    const streamed = this.streamedAt.get(update.orderId);
    // The stream spoke of this order after the request left: the answer may predate it. Only a
    // finished state is applied then (the store never moves a finished order back anyway).
    if (streamed !== undefined && streamed > sent && !isTerminal(update.status)) {
      this.ctx.verified(update.orderId);
      return;
    }
    if (this.held) this.restAt.set(update.orderId, sent);
    this.ctx.order(update, { origin: 'rest', ...(silent ? { silent: true } : {}) });
    this.ctx.verified(update.orderId);
  }

  /** Failed lookups (and a failed list) again, with jittered backoff, while the attempt lives. */
  private async retry(failures: Map<string, Failure>): Promise<void> {
    let pending = retriable(failures);
    for (let n = 0; n < this.settings.retries && pending.size > 0 && this.live; n += 1) {
      const backoff = Math.min(this.settings.retryCapMs, this.settings.retryBaseMs * 2 ** n);
      const jittered = backoff / 2 + (this.settings.random() * backoff) / 2;
      const retryAfter = Math.max(0, ...[...pending.values()].map((f) => f.retryAfterMs ?? 0));
      await this.sleep(Math.max(jittered, retryAfter));
      if (!this.live) return;
      const withList = pending.has(LIST);
      // Only ids still open: the stream may have finished some meanwhile.
      const open = new Set(this.ctx.openOrders());
      const ids = [...pending.keys()].filter((id) => open.has(id));
      pending = retriable(await this.round(ids, withList));
    }
  }

  private startPoll(ms: number): void {
    let running = false;
    this.undo.interval(() => {
      if (running || !this.live) return;
      running = true;
      void this.round([], true).finally(() => (running = false));
    }, ms);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.undo.timeout(resolve, ms);
      this.undo.add(resolve);
    });
  }

  private report(orders: UnverifiedOrder[]): void {
    const real = orders.filter((o) => o.orderId !== LIST);
    if (real.length > 0 && this.live) this.ctx.unverified(this.since, real);
  }
}

/** The key a failed list is kept under among the failures (never an order id: NUL is not one). */
const LIST = '\u0000list';

function retriable(failures: Map<string, Failure>): Map<string, Failure> {
  return new Map([...failures].filter(([, f]) => f.reason === 'lookup_failed'));
}

function failureOf(err: unknown): Failure {
  const message = (err as Error)?.message ?? String(err);
  const retryAfterMs = err instanceof RestError ? err.retryAfterMs : undefined;
  return {
    reason: 'lookup_failed',
    detail: message,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

function toUnverified(orderId: string, f: Failure): UnverifiedOrder {
  return { orderId, reason: f.reason, ...(f.detail ? { detail: f.detail } : {}) };
}
