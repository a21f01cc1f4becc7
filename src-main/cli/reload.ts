// SIGHUP (docs/service.md): the config file is read again and the difference applied without a
// restart. Sources: added ones connect, removed ones disconnect and leave the status, the health
// and the metrics, changed ones reconnect with their new settings. A changed source keeps its
// id, so it keeps its orders, its watch list and its place in the alert ledger: an order that
// finishes around the reload alerts exactly once (the new connection catches up like any
// reconnect). An invalid file changes nothing: it is reported on stderr and as a `problem` line.
//
// The rest of the config joins through RELOAD STEPS: each step owns one part of the file and
// applies its part of a valid new config (forwarding targets and quiet hours get one each).
import {
  ConfigError,
  jsonDepth,
  MAX_CONFIG_DEPTH,
  nothingToWatch,
  parseConfigText,
  readConfigText,
  type Config,
  type SourceConfig,
} from '../engine/config.js';
import type { Engine } from '../engine/engine.js';
import type { Logger } from '../engine/log.js';
import type { ProblemLine } from '../engine/types.js';
import { TARGET_SECRET_FIELDS } from '../shared/notify.js';
import type { SecretMask } from '../shared/secret-mask.js';

export const RELOAD_FAILED_CODE = 'config_reload_failed';

/** What the sources step will do, by id, in config order. */
export interface SourcePlan {
  add: SourceConfig[];
  remove: string[];
  change: SourceConfig[];
  keep: string[];
}

/**
 * One part of the config that a reload applies. Steps run in order, each only with a file that
 * validated as a whole; `apply` returns what it changed (one short phrase each, for the log).
 */
export interface ReloadStep {
  readonly name: string;
  apply(running: Config, next: Config): Promise<string[]>;
}

/** Pure: the sources to add, remove, reconnect with new settings, and leave alone. */
export function planReload(running: Config, next: Config): SourcePlan {
  const before = new Map(running.sources.map((s) => [s.id, s]));
  const after = new Set(next.sources.map((s) => s.id));
  const plan: SourcePlan = { add: [], remove: [], change: [], keep: [] };
  for (const s of running.sources) if (!after.has(s.id)) plan.remove.push(s.id);
  for (const s of next.sources) {
    const old = before.get(s.id);
    if (!old) plan.add.push(s);
    else if (canonical(old) !== canonical(s)) plan.change.push(s);
    else plan.keep.push(s.id);
  }
  return plan;
}

/** JSON with keys sorted at every level: the same settings compare equal whatever their order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The sources step: removals first, then reconnections with new settings, then new sources. */
export function sourcesStep(engine: Pick<Engine, 'upsertSource' | 'removeSource'>): ReloadStep {
  return {
    name: 'sources',
    async apply(running, next) {
      const plan = planReload(running, next);
      for (const id of plan.remove) await engine.removeSource(id);
      for (const cfg of plan.change) await engine.upsertSource(cfg);
      for (const cfg of plan.add) await engine.upsertSource(cfg);
      return [
        ...plan.remove.map((id) => `removed source ${JSON.stringify(id)}`),
        ...plan.change.map((s) => `reconnected source ${JSON.stringify(s.id)} with new settings`),
        ...plan.add.map((s) => `added source ${JSON.stringify(s.id)}`),
      ];
    },
  };
}

/**
 * The forwarding step: `notify` targets and `quietHours` are replaced as a whole when either
 * changed. Alerts already in the outbox for a target that stays keep their place; a disabled
 * target's wait for it to be enabled again, a removed target's are dropped with a warning
 * (docs/config.md).
 */
export function notifyStep(engine: Pick<Engine, 'setNotify'>): ReloadStep {
  return {
    name: 'notify',
    async apply(running, next) {
      const before = canonical({ notify: running.notify ?? [], quiet: running.quietHours ?? null });
      const after = canonical({ notify: next.notify ?? [], quiet: next.quietHours ?? null });
      if (before === after) return [];
      const kept = new Set((next.notify ?? []).map((t) => t.id));
      const removed = (running.notify ?? []).map((t) => t.id).filter((id) => !kept.has(id));
      await engine.setNotify(next.notify ?? [], next.quietHours, { removed });
      const ids = (next.notify ?? []).map((t) => JSON.stringify(t.id)).join(', ');
      return [
        `notify targets now ${ids || 'none'}; quiet hours ${next.quietHours ? 'set' : 'off'}`,
      ];
    },
  };
}

/** `retentionDays` is read by the housekeeping set up at start: a change waits for a restart. */
export function retentionStep(): ReloadStep {
  return {
    name: 'retention',
    apply(running, next) {
      const changed = running.retentionDays !== next.retentionDays;
      return Promise.resolve(changed ? ['retentionDays takes effect at the next start'] : []);
    },
  };
}

export interface ReloaderOptions {
  path: string;
  running: Config;
  steps: readonly ReloadStep[];
  mask: SecretMask;
  log: Logger;
  /** Where the `problem` line goes (the NDJSON stream). */
  emit: (line: ProblemLine) => void;
  /** One plain line for a person (stderr). */
  say: (line: string) => void;
  now?: () => Date;
}

export type ReloadOutcome = { ok: true; changes: string[] } | { ok: false; problem: string };

/** Reloads one at a time: a SIGHUP during a reload runs one more reload after it, not beside it. */
export class ConfigReloader {
  private running: Config;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: ReloaderOptions) {
    this.running = opts.running;
  }

  get config(): Config {
    return this.running;
  }

  reload(): Promise<ReloadOutcome> {
    const next = this.queue.then(() => this.reloadNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async reloadNow(): Promise<ReloadOutcome> {
    const { path, mask, log } = this.opts;
    // ONE read: the text whose secrets join the mask is the text that is loaded. Two reads would
    // let a write in between load secrets the mask never saw.
    let next: Config;
    try {
      const text = await readConfigText(path);
      // Before anything can quote the file (an error naming a field, a warning, a connection
      // log): its secrets join the mask, also those of a file that will be refused.
      const raw = rawParts(text);
      mask.addSources(raw.sources);
      mask.add(rawTargetSecrets(raw.notify));
      const loaded = parseConfigText(text, path);
      const idle = nothingToWatch(loaded.config);
      if (idle) throw new ConfigError([idle]);
      next = loaded.config;
      for (const w of loaded.warnings) log.warn(w);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return this.refuse(err.problems.join('; '));
    }
    const changes: string[] = [];
    try {
      for (const step of this.opts.steps) changes.push(...(await step.apply(this.running, next)));
    } catch (err) {
      // A step that failed half-way: what it applied stays applied; the next reload re-plans.
      return this.refuse(`applying it failed: ${(err as Error).message}`);
    }
    this.running = next;
    log.info({ changes }, changes.length ? 'config reloaded' : 'config reloaded: no changes');
    return { ok: true, changes };
  }

  private refuse(why: string): ReloadOutcome {
    const detail = `config file ${this.opts.path} not reloaded, the running config stays: ${why}`;
    const masked = this.opts.mask.text(detail);
    this.opts.say(`orderbell: ${masked}`);
    this.opts.emit({
      kind: 'problem',
      code: RELOAD_FAILED_CODE,
      detail: masked,
      at: (this.opts.now?.() ?? new Date()).toISOString(),
    });
    return { ok: false, problem: masked };
  }
}

/** The text's `sources` and `notify` as they are, if it parses at all (for the mask; never trusted). */
function rawParts(text: string): { sources: unknown[]; notify: unknown[] } {
  const none = { sources: [], notify: [] };
  try {
    // Within the limits parseConfigText enforces: a text it refuses unparsed is not parsed here.
    if (jsonDepth(text) > MAX_CONFIG_DEPTH) return none;
    const json = JSON.parse(text) as { sources?: unknown; notify?: unknown } | null;
    const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
    return { sources: list(json?.sources), notify: list(json?.notify) };
  } catch {
    return none;
  }
}

/** Every string under a secret field name of any target type, whatever the entry's shape. */
function rawTargetSecrets(targets: unknown[]): string[] {
  const fields = new Set(Object.values(TARGET_SECRET_FIELDS).flat());
  return targets.flatMap((t) =>
    typeof t === 'object' && t !== null
      ? Object.entries(t).flatMap(([k, v]) => (fields.has(k) && typeof v === 'string' ? [v] : []))
      : [],
  );
}
