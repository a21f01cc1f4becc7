// The durable outbox (docs/config.md, "Delivery"): every alert a target is due to receive is on disk
// before the first attempt, and stays until the target took it or it was given up. One append-only
// journal in the state folder, through the persistence port (append + fsync):
//
//   {"op":"add","seq":N,"alert":{…},"targets":["hook",…],"at":ISO,"heldUntil"?:ISO}
//   {"op":"try","target":"hook","id":"…","attempt":N}          a failed attempt (numbering survives a restart)
//   {"op":"summary","seq":N,"target":"hook","id":"summary:…","members":["…",…],"at":ISO}
//   {"op":"done","target":"hook","id":"…","state":"delivered"|"failed"}
//
// Replaying it gives the pending work. It is rewritten with only that work at start and whenever
// finished lines outnumber live ones, so it stays about as large as the backlog. A damaged line is
// handled like the alert ledger's: named in a problem, the file set aside whole, every good entry
// kept and written back.
import type { Logger } from '../log.js';
import type { PersistencePort } from '../persistence.js';
import { STATUSES } from '../types.js';
import type { ForwardAlert } from './payload.js';

export const OUTBOX_FILE = 'outbox.ndjson';
/** Rewrite once this many finished lines have piled up (and they outnumber the live ones). */
const COMPACT_AFTER_LINES = 500;
/** A problem names at most this many damaged line numbers. */
const NAMED_LINES = 10;

export interface OutboxAlert {
  seq: number;
  alert: ForwardAlert;
  /** Targets that have not yet taken it (or given up). */
  targets: Set<string>;
  /** When it was recorded (ms): the 24 h horizon counts from here. */
  atMs: number;
  /** Held by quiet hours until this instant (ISO), then sent in a summary. */
  heldUntil?: string;
  /** Failed attempts per target so far. */
  attempts: Map<string, number>;
}

export interface OutboxSummary {
  seq: number;
  target: string;
  id: string;
  members: string[];
  atMs: number;
  attempts: number;
}

type Line =
  | {
      op: 'add';
      seq: number;
      alert: ForwardAlert;
      targets: string[];
      at: string;
      heldUntil?: string;
      attempts?: Record<string, number>;
    }
  | { op: 'try'; target: string; id: string; attempt: number }
  | {
      op: 'summary';
      seq: number;
      target: string;
      id: string;
      members: string[];
      at: string;
      attempts?: number;
    }
  | { op: 'done'; target: string; id: string; state: 'delivered' | 'failed' };

const KNOWN_STATUS: ReadonlySet<string> = new Set(STATUSES);

export class Outbox {
  /** Live alerts by id, in recording order (Map keeps insertion order). */
  readonly alerts = new Map<string, OutboxAlert>();
  /** Live summaries by target, then id. */
  readonly summaries = new Map<string, Map<string, OutboxSummary>>();
  private nextSeq = 1;
  private lines = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly port: PersistencePort,
    private readonly log: Logger,
  ) {}

  get liveEntries(): number {
    let n = this.alerts.size;
    for (const s of this.summaries.values()) n += s.size;
    return n;
  }

  /** Read the journal. Returns problems for the stream (a damaged file, set aside). */
  async load(): Promise<string[]> {
    const bad: number[] = [];
    let text: string | undefined;
    try {
      text = await this.port.read(OUTBOX_FILE);
    } catch (err) {
      const aside = await this.port.setAside(OUTBOX_FILE);
      return [
        `${OUTBOX_FILE} could not be read (${(err as Error).message}); kept aside as ${aside ?? '(could not move)'}`,
      ];
    }
    if (text === undefined) return [];
    const rows = text.split('\n');
    rows.forEach((row, i) => {
      if (!row.trim()) return;
      this.lines += 1;
      if (!this.apply(row)) bad.push(i + 1);
    });
    const problems: string[] = [];
    if (bad.length > 0) {
      const aside = await this.port.setAside(OUTBOX_FILE);
      const named = bad.slice(0, NAMED_LINES).join(', ') + (bad.length > NAMED_LINES ? ', …' : '');
      problems.push(
        `${OUTBOX_FILE}: ${bad.length} damaged line(s) skipped (line ${named}); ${this.liveEntries} pending deliveries kept; the original is kept aside as ${aside ?? '(could not move)'}`,
      );
      this.log.error({ lines: bad.length }, 'outbox damaged');
    }
    // Start from a file holding just the pending work (and, after damage, a fresh one).
    if (bad.length > 0 || this.lines > this.liveEntries) await this.rewrite();
    return problems;
  }

  /** One journal line into memory; false when it is damaged. */
  private apply(row: string): boolean {
    let line: Line;
    try {
      line = JSON.parse(row) as Line;
    } catch {
      return false;
    }
    if (typeof line !== 'object' || line === null) return false;
    switch (line.op) {
      case 'add': {
        if (!validAlert(line.alert) || !Array.isArray(line.targets) || !isInt(line.seq))
          return false;
        const atMs = Date.parse(line.at);
        if (Number.isNaN(atMs)) return false;
        this.alerts.set(line.alert.id, {
          seq: line.seq,
          alert: line.alert,
          targets: new Set(line.targets.filter((t) => typeof t === 'string')),
          atMs,
          ...(typeof line.heldUntil === 'string' ? { heldUntil: line.heldUntil } : {}),
          attempts: new Map(Object.entries(line.attempts ?? {}).filter(([, n]) => isInt(n))),
        });
        this.nextSeq = Math.max(this.nextSeq, line.seq + 1);
        return true;
      }
      case 'try': {
        if (typeof line.target !== 'string' || typeof line.id !== 'string' || !isInt(line.attempt))
          return false;
        const summary = this.summaries.get(line.target)?.get(line.id);
        if (summary) summary.attempts = line.attempt;
        else this.alerts.get(line.id)?.attempts.set(line.target, line.attempt);
        return true;
      }
      case 'summary': {
        if (
          typeof line.target !== 'string' ||
          typeof line.id !== 'string' ||
          !Array.isArray(line.members) ||
          !isInt(line.seq)
        )
          return false;
        const atMs = Date.parse(line.at);
        if (Number.isNaN(atMs)) return false;
        this.summaryMap(line.target).set(line.id, {
          seq: line.seq,
          target: line.target,
          id: line.id,
          members: line.members.filter((m) => typeof m === 'string'),
          atMs,
          attempts: isInt(line.attempts) ? line.attempts : 0,
        });
        this.nextSeq = Math.max(this.nextSeq, line.seq + 1);
        return true;
      }
      case 'done': {
        if (typeof line.target !== 'string' || typeof line.id !== 'string') return false;
        this.forget(line.target, line.id);
        return true;
      }
      default:
        return false;
    }
  }

  private summaryMap(target: string): Map<string, OutboxSummary> {
    let m = this.summaries.get(target);
    if (!m) this.summaries.set(target, (m = new Map()));
    return m;
  }

  /** Drop `id` (an alert or a summary) from `target`'s work, in memory. */
  private forget(target: string, id: string): void {
    const summary = this.summaries.get(target)?.get(id);
    if (summary) {
      this.summaries.get(target)!.delete(id);
      for (const member of summary.members) this.dropTarget(member, target);
      return;
    }
    this.dropTarget(id, target);
  }

  private dropTarget(id: string, target: string): void {
    const entry = this.alerts.get(id);
    if (!entry) return;
    entry.targets.delete(target);
    entry.attempts.delete(target);
    if (entry.targets.size === 0) this.alerts.delete(id);
  }

  /**
   * Record an alert for these targets; resolves once it is on disk. An alert already recorded
   * (a repeat after a crash between this write and the ledger's) gains only the targets it lacked.
   */
  add(
    alert: ForwardAlert,
    targets: string[],
    atMs: number,
    heldUntil?: string,
  ): Promise<OutboxAlert> {
    const known = this.alerts.get(alert.id);
    if (known) {
      const missing = targets.filter((t) => !known.targets.has(t));
      if (missing.length === 0) return Promise.resolve(known);
      for (const t of missing) known.targets.add(t);
      return this.append({
        op: 'add',
        seq: known.seq,
        alert,
        targets: [...known.targets],
        at: new Date(known.atMs).toISOString(),
        ...(known.heldUntil ? { heldUntil: known.heldUntil } : {}),
      }).then(() => known);
    }
    const entry: OutboxAlert = {
      seq: this.nextSeq++,
      alert,
      targets: new Set(targets),
      atMs,
      ...(heldUntil ? { heldUntil } : {}),
      attempts: new Map(),
    };
    this.alerts.set(alert.id, entry);
    return this.append({
      op: 'add',
      seq: entry.seq,
      alert,
      targets,
      at: new Date(atMs).toISOString(),
      ...(heldUntil ? { heldUntil } : {}),
    }).then(() => entry);
  }

  /** Group held alerts into one summary for a target; resolves once on disk. */
  addSummary(target: string, id: string, members: string[], atMs: number): Promise<OutboxSummary> {
    const summary: OutboxSummary = { seq: this.nextSeq++, target, id, members, atMs, attempts: 0 };
    this.summaryMap(target).set(id, summary);
    return this.append({
      op: 'summary',
      seq: summary.seq,
      target,
      id,
      members,
      at: new Date(atMs).toISOString(),
    }).then(() => summary);
  }

  attempted(target: string, id: string, attempt: number): Promise<void> {
    return this.append({ op: 'try', target, id, attempt });
  }

  /** The target took it, or it was given up: gone from the outbox. */
  done(target: string, id: string, state: 'delivered' | 'failed'): Promise<void> {
    this.forget(target, id);
    const written = this.append({ op: 'done', target, id, state });
    if (this.lines >= COMPACT_AFTER_LINES && this.lines > 2 * this.liveEntries) {
      return written.then(() => this.rewrite());
    }
    return written;
  }

  /** Drop a target's work entirely (the target was removed or disabled). */
  dropTargetWork(target: string): Promise<void> {
    for (const [id, entry] of [...this.alerts])
      if (entry.targets.has(target)) this.dropTarget(id, target);
    this.summaries.delete(target);
    return this.rewrite();
  }

  private append(line: Line): Promise<void> {
    this.lines += 1;
    const text = `${JSON.stringify(line)}\n`;
    const run = this.chain.then(() => this.port.appendDurable(OUTBOX_FILE, text));
    this.chain = run.catch((err: unknown) => {
      this.log.error({ err: (err as Error).message }, 'outbox write failed');
    });
    return run;
  }

  /** Replace the journal with the pending work only (queued behind any append in flight). */
  rewrite(): Promise<void> {
    const run = this.chain.then(async () => {
      const lines: string[] = [];
      for (const e of this.alerts.values()) {
        lines.push(
          `${JSON.stringify({
            op: 'add',
            seq: e.seq,
            alert: e.alert,
            targets: [...e.targets],
            at: new Date(e.atMs).toISOString(),
            ...(e.heldUntil ? { heldUntil: e.heldUntil } : {}),
            ...(e.attempts.size > 0 ? { attempts: Object.fromEntries(e.attempts) } : {}),
          } satisfies Line)}\n`,
        );
      }
      for (const byId of this.summaries.values()) {
        for (const s of byId.values()) {
          lines.push(
            `${JSON.stringify({
              op: 'summary',
              seq: s.seq,
              target: s.target,
              id: s.id,
              members: s.members,
              at: new Date(s.atMs).toISOString(),
              ...(s.attempts > 0 ? { attempts: s.attempts } : {}),
            } satisfies Line)}\n`,
          );
        }
      }
      await this.port.rewriteLog(OUTBOX_FILE, lines);
      this.lines = lines.length;
    });
    this.chain = run.catch((err: unknown) => {
      this.log.error({ err: (err as Error).message }, 'outbox rewrite failed');
    });
    return run;
  }

  /** Waits for every write queued so far. */
  settled(): Promise<void> {
    return this.chain;
  }
}

function isInt(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0;
}

function validAlert(a: unknown): a is ForwardAlert {
  if (typeof a !== 'object' || a === null) return false;
  const r = a as Record<string, unknown>;
  return (
    ['id', 'source', 'provider', 'orderId', 'title', 'body', 'at'].every(
      (k) => typeof r[k] === 'string',
    ) &&
    typeof r.status === 'string' &&
    KNOWN_STATUS.has(r.status)
  );
}
