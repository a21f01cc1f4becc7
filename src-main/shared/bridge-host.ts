// The main side of the bridge, for every transport (Electron IPC, the web-mode WebSocket, tests):
// validates commands, answers snapshots, streams engine events to windows as ordered, batched
// changes, pushes source status (last-message age, heartbeat RTT) at most once per second, and
// applies the notification policy so the Electron shell only shows what it is told. No Electron here.
import { parseConfig, SECRET_FIELDS, sourceSchemas, type SourceConfig } from '../engine/config.js';
import type { Engine, SourceStatus } from '../engine/engine.js';
import type { Logger } from '../engine/log.js';
import type { OrderStore } from '../engine/store.js';
import { STATUS_TABLES } from '../engine/providers/index.js';
import { PROVIDERS, type AlertLine, type EngineEvent, type ProviderKey } from '../engine/types.js';
import {
  activityNotice,
  AlertCoalescer,
  decideActivity,
  decideAlert,
  type AlertNotice,
  type CoalescerOptions,
} from './alert-policy.js';
import {
  COMMAND_CHANNELS,
  type BridgeChange,
  type BridgeCommands,
  type BridgeSnapshot,
  type ChangeBatch,
  type CommandName,
  type CommandResult,
  type NotificationPrefs,
  type SourceView,
  type StatusLabels,
} from './bridge.js';
import { ALERTABLE_STATUSES, HELD_LIMIT, type SettingsPort } from './settings-port.js';

/** One window (or browser tab) attached to the host. */
export interface BridgeClient {
  send(batch: ChangeBatch): void;
}

/** How the host switches the demo simulators on and off (absent: the face has no demo). */
export interface DemoControl {
  /** Start the simulators; returns their raw source configs and a function that starts their scripts. */
  start(): Promise<{ sources: unknown[]; run(): void }>;
  stop(): Promise<void>;
}

/** The part of the Engine the host uses (the real Engine satisfies it; tests pass a fake). */
export type EnginePort = Pick<
  Engine,
  | 'on'
  | 'snapshot'
  | 'watch'
  | 'unwatch'
  | 'reconnect'
  | 'reconnectAll'
  | 'upsertSource'
  | 'removeSource'
  | 'sourceStatus'
  | 'sourceConfigs'
  | 'problems'
> & { readonly store: Pick<OrderStore, 'get'> };

export interface BridgeHostOptions {
  engine: EnginePort;
  settings: SettingsPort;
  platform: BridgeSnapshot['platform'];
  /** Whether the engine currently runs the demo sources. */
  demo: boolean;
  log: Logger;
  demoControl?: DemoControl;
  /** Opens a URL in the user's browser (Electron: shell.openExternal); absent: command refused. */
  openExternal?: (url: string) => void | Promise<void>;
  /** Problems to show from the start (e.g. a damaged settings file), besides the engine's. */
  problems?: string[];
  /** Changes are sent at most this often; default 50 ms. */
  flushIntervalMs?: number;
  /** Source status (age, RTT) is re-checked this often while a window is attached; default 1000 ms. */
  statusIntervalMs?: number;
  coalescer?: CoalescerOptions;
  now?: () => number;
}

interface ClientSlot {
  client: BridgeClient;
  /** seq of the snapshot this client holds; undefined until it asked for one. */
  readyAt: number | undefined;
}

export const MAX_ORDER_ID_LENGTH = 128;

type Handlers = {
  [K in CommandName]: (request: unknown, from?: BridgeClient) => Promise<BridgeCommands[K]['res']>;
};

const ok: CommandResult = { ok: true };
function fail(error: string, field?: string): CommandResult {
  return field === undefined ? { ok: false, error } : { ok: false, error, field };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(COMMAND_CHANNELS, name);
}

const STATUS_LABELS: StatusLabels = Object.fromEntries(
  PROVIDERS.map((p) => [
    p,
    Object.fromEntries(Object.entries(STATUS_TABLES[p]).map(([code, v]) => [code, v.label])),
  ]),
) as StatusLabels;

const COMMON_KEYS = new Set(['id', 'provider', 'label', 'enabled']);
const SECRETS = new Set<string>(SECRET_FIELDS);

function secretFieldsOf(provider: ProviderKey): string[] {
  return Object.keys(sourceSchemas[provider].shape).filter((k) => SECRETS.has(k));
}

/** What the window may see of a source: settings without credentials, and which are set. */
export function sourceView(status: SourceStatus, cfg: SourceConfig | undefined): SourceView {
  const settings: SourceView['settings'] = {};
  const secretsSet: Record<string, boolean> = {};
  if (cfg) {
    for (const [key, value] of Object.entries(cfg)) {
      if (COMMON_KEYS.has(key) || SECRETS.has(key)) continue;
      if (
        typeof value === 'string' ||
        typeof value === 'number' ||
        typeof value === 'boolean' ||
        (Array.isArray(value) && value.every((v) => typeof v === 'string'))
      ) {
        settings[key] = value;
      }
    }
    const raw = cfg as Record<string, unknown>;
    for (const key of secretFieldsOf(cfg.provider)) {
      secretsSet[key] = typeof raw[key] === 'string' && raw[key] !== '';
    }
  }
  return { ...status, watched: [...status.watched], settings, secretsSet };
}

/** `[1, '2']` → ['1', '2']; "a, b c" → ['a', 'b', 'c']. */
function toList(value: unknown): unknown {
  if (typeof value === 'string') {
    return value
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return value;
}

export class BridgeHost {
  private readonly engine: EnginePort;
  private readonly settings: SettingsPort;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly flushIntervalMs: number;
  private readonly statusIntervalMs: number;
  private readonly clients = new Set<ClientSlot>();
  private readonly alertListeners = new Set<(notice: AlertNotice) => void>();
  private readonly coalescer: AlertCoalescer;
  private readonly lastSentSource = new Map<string, string>();
  private readonly hostProblems: string[];
  private demo: boolean;
  private prefs: NotificationPrefs;
  private held: AlertLine[];
  private seq = 0;
  private queue: BridgeChange[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private lastFlushAt = 0;
  private switching = false;
  private readonly unsubscribe: () => void;
  private readonly handlers: Handlers;

  constructor(private readonly opts: BridgeHostOptions) {
    this.engine = opts.engine;
    this.settings = opts.settings;
    this.log = opts.log;
    this.demo = opts.demo;
    this.now = opts.now ?? Date.now;
    this.flushIntervalMs = opts.flushIntervalMs ?? 50;
    this.statusIntervalMs = opts.statusIntervalMs ?? 1_000;
    this.hostProblems = [...(opts.problems ?? [])];
    this.prefs = this.settings.getPrefs();
    this.held = this.settings.getHeldAlerts();
    this.coalescer = new AlertCoalescer((n) => this.deliver(n), opts.coalescer);
    this.unsubscribe = this.engine.on((event) => this.onEngineEvent(event));
    this.handlers = {
      snapshot: async (_req, from) => this.snapshotFor(from),
      addOrder: async (req) => this.addOrder(req),
      removeOrder: async (req) => this.removeOrder(req),
      saveSource: (req) => this.saveSource(req),
      removeSource: (req) => this.removeSource(req),
      reconnect: async (req) => this.reconnect(req),
      setPrefs: (req) => this.setPrefs(req),
      setDemo: (req) => this.setDemo(req),
      openExternal: (req) => this.openExternal(req),
      dismissHeld: async () => this.dismissHeld(),
    };
  }

  // ---- public API ---------------------------------------------------------------------------

  /**
   * Run a command. `request` is validated here (it crosses a trust boundary: IPC or a socket), so
   * transports may pass what they received as is. `from` is the calling window: a `snapshot` from
   * an attached client makes it receive every change after that snapshot, in order.
   * Never throws: failures are `{ ok: false, error, field? }` naming the offending field.
   */
  invoke<K extends CommandName>(
    command: K,
    request: BridgeCommands[K]['req'],
    from?: BridgeClient,
  ): Promise<BridgeCommands[K]['res']> {
    return this.dispatch(command, request, from) as Promise<BridgeCommands[K]['res']>;
  }

  /** Untyped entry point for transports: an unknown command name is refused. */
  async dispatch(command: unknown, request: unknown, from?: BridgeClient): Promise<unknown> {
    if (!isCommandName(command)) return fail(`unknown command ${JSON.stringify(command)}`);
    try {
      return await this.handlers[command](request, from);
    } catch (err) {
      this.log.error({ command, err: (err as Error).message }, 'bridge command failed');
      return fail((err as Error).message);
    }
  }

  /**
   * Attach a window. It receives nothing until it asks for its snapshot (invoke('snapshot', …, client));
   * then every later change, batched (at most one batch per ~50 ms), seq increasing. Returns detach.
   */
  attach(client: BridgeClient): () => void {
    const slot: ClientSlot = { client, readyAt: undefined };
    this.clients.add(slot);
    this.ensureStatusTimer();
    return () => {
      this.clients.delete(slot);
      if (this.clients.size === 0) {
        clearInterval(this.statusTimer);
        this.statusTimer = undefined;
      }
    };
  }

  /**
   * Notices to show as OS notifications: engine alerts that pass the prefs (status chosen, source
   * not muted, not paused), bursts coalesced into one summary, and activity the user turned on.
   * Alerts held back (paused, muted) are kept in `heldAlerts` for the window instead.
   */
  onAlert(listener: (notice: AlertNotice) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  /** A notification was clicked: tell the windows to show this order. */
  focusOrder(source: string, orderId: string): void {
    this.enqueue({ type: 'focus-order', source, orderId });
  }

  /** Show a problem in every window (e.g. a settings file that could not be read). */
  addProblem(problem: string): void {
    this.hostProblems.push(problem);
    this.enqueue({ type: 'problems', problems: this.problems() });
  }

  get currentPrefs(): NotificationPrefs {
    return structuredClone(this.prefs);
  }

  get heldAlerts(): AlertLine[] {
    return [...this.held];
  }

  get isDemo(): boolean {
    return this.demo;
  }

  /** Full state for a window; `from` (an attached client) is then streamed changes after it. */
  snapshot(from?: BridgeClient): BridgeSnapshot {
    return this.snapshotFor(from);
  }

  /** Send what is queued now (tests, shutdown). */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.lastFlushAt = this.now();
    const changes = this.queue;
    this.queue = [];
    if (changes.length === 0) return;
    const last = this.seq;
    const first = last - changes.length + 1;
    for (const slot of this.clients) {
      if (slot.readyAt === undefined || slot.readyAt >= last) continue;
      const skip = Math.max(0, slot.readyAt - first + 1);
      const batch: ChangeBatch = { seq: last, changes: skip > 0 ? changes.slice(skip) : changes };
      try {
        slot.client.send(batch);
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'sending changes to a window failed');
      }
    }
  }

  dispose(): void {
    this.unsubscribe();
    this.coalescer.flush();
    this.coalescer.dispose();
    this.flush();
    clearTimeout(this.flushTimer);
    clearInterval(this.statusTimer);
    this.flushTimer = undefined;
    this.statusTimer = undefined;
    this.clients.clear();
  }

  // ---- change stream -------------------------------------------------------------------------

  private hasReadyClient(): boolean {
    for (const slot of this.clients) if (slot.readyAt !== undefined) return true;
    return false;
  }

  private enqueue(change: BridgeChange): void {
    this.seq += 1;
    // Nobody holds a snapshot yet: whoever asks later gets this change inside the snapshot.
    if (!this.hasReadyClient()) return;
    this.queue.push(change);
    if (this.flushTimer) return;
    const wait = Math.max(0, this.lastFlushAt + this.flushIntervalMs - this.now());
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  private onEngineEvent(event: EngineEvent): void {
    this.enqueue({ type: 'event', event });
    if (event.kind === 'connection') this.pushSource(event.source, true);
    else if (event.kind === 'alert') this.onEngineAlert(event);
    else if (event.kind === 'activity') {
      if (decideActivity(event, this.prefs, this.now()) === 'notify') {
        this.deliver(activityNotice(event, this.prefs.sound));
      }
    }
  }

  private onEngineAlert(alert: AlertLine): void {
    const decision = decideAlert(alert, this.prefs, this.now());
    if (decision === 'notify') this.coalescer.push(alert, this.prefs.sound);
    else if (decision === 'hold') {
      this.held.push(alert);
      if (this.held.length > HELD_LIMIT) this.held.splice(0, this.held.length - HELD_LIMIT);
      this.persist(this.settings.setHeldAlerts(this.held));
      this.enqueue({ type: 'held', heldAlerts: [...this.held] });
    }
  }

  private deliver(notice: AlertNotice): void {
    for (const listener of this.alertListeners) {
      try {
        listener(notice);
      } catch (err) {
        this.log.error({ err: (err as Error).message }, 'alert listener failed');
      }
    }
  }

  private configOf(id: string): SourceConfig | undefined {
    return this.engine.sourceConfigs().find((c) => c.id === id);
  }

  /** Queue the source's view if it changed since last sent (or always, when forced). */
  private pushSource(id: string, force = false): void {
    const status = this.engine.sourceStatus(id);
    if (!status) return;
    const view = sourceView(status, this.configOf(id));
    const text = JSON.stringify(view);
    if (!force && this.lastSentSource.get(id) === text) return;
    this.lastSentSource.set(id, text);
    this.enqueue({ type: 'source', source: view });
  }

  private ensureStatusTimer(): void {
    if (this.statusTimer) return;
    this.statusTimer = setInterval(() => {
      if (!this.hasReadyClient()) return;
      for (const cfg of this.engine.sourceConfigs()) this.pushSource(cfg.id);
    }, this.statusIntervalMs);
    this.statusTimer.unref();
  }

  private problems(): string[] {
    return [...this.engine.problems, ...this.hostProblems];
  }

  private snapshotFor(from?: BridgeClient): BridgeSnapshot {
    const snap = this.engine.snapshot();
    const configs = new Map(this.engine.sourceConfigs().map((c) => [c.id, c]));
    const sources = snap.sources.map((s) => sourceView(s, configs.get(s.id)));
    for (const view of sources) this.lastSentSource.set(view.id, JSON.stringify(view));
    if (from) {
      for (const slot of this.clients) if (slot.client === from) slot.readyAt = this.seq;
    }
    return {
      seq: this.seq,
      demo: this.demo,
      demoAvailable: this.opts.demoControl !== undefined,
      statusLabels: STATUS_LABELS,
      sources,
      orders: snap.orders.filter((o) => configs.has(o.source)),
      activity: snap.activity,
      alerts: snap.alerts,
      heldAlerts: [...this.held],
      problems: this.problems(),
      prefs: structuredClone(this.prefs),
      platform: { ...this.opts.platform },
    };
  }

  private persist(result: Promise<void> | void): void {
    if (result instanceof Promise) {
      result.catch((err: Error) => {
        this.log.error({ err: err.message }, 'saving settings failed');
        this.addProblem(`saving settings failed: ${err.message}`);
      });
    }
  }

  // ---- commands ------------------------------------------------------------------------------

  private sourceField(req: Record<string, unknown>): string | CommandResult {
    const source = req.source;
    if (typeof source !== 'string' || source.trim() === '')
      return fail('choose a source', 'source');
    if (!this.engine.sourceStatus(source)) return fail(`no source "${source}"`, 'source');
    return source;
  }

  private addOrder(req: unknown): CommandResult {
    if (!isRecord(req)) return fail('request must be an object');
    const source = this.sourceField(req);
    if (typeof source !== 'string') return source;
    if (typeof req.orderId !== 'string') return fail('enter an order id', 'orderId');
    const orderId = req.orderId.trim();
    if (orderId === '') return fail('enter an order id', 'orderId');
    if (orderId.length > MAX_ORDER_ID_LENGTH) {
      return fail(`must be at most ${MAX_ORDER_ID_LENGTH} characters`, 'orderId');
    }
    // eslint-disable-next-line no-control-regex
    if (/[\s\u0000-\u001f\u007f]/.test(orderId)) {
      return fail('must not contain spaces or control characters', 'orderId');
    }
    const status = this.engine.sourceStatus(source);
    if (status?.watched.includes(orderId) || this.engine.store.get(source, orderId)) {
      return fail('this order is already in the list', 'orderId');
    }
    this.engine.watch(source, orderId);
    this.pushSource(source, true);
    return ok;
  }

  private removeOrder(req: unknown): CommandResult {
    if (!isRecord(req)) return fail('request must be an object');
    const source = this.sourceField(req);
    if (typeof source !== 'string') return source;
    const orderId = req.orderId;
    if (typeof orderId !== 'string' || orderId === '') return fail('missing order id', 'orderId');
    const watched = this.engine.sourceStatus(source)?.watched.includes(orderId) ?? false;
    if (!watched && !this.engine.store.get(source, orderId)) {
      return fail(`order "${orderId}" is not tracked`, 'orderId');
    }
    this.engine.unwatch(source, orderId);
    this.enqueue({ type: 'order-removed', source, orderId });
    this.pushSource(source, true);
    return ok;
  }

  /** Builds the raw config from the form (keeping stored secrets left empty) and validates it. */
  private buildSource(req: unknown): SourceConfig | CommandResult {
    if (!isRecord(req)) return fail('request must be an object');
    const { provider, replaces, fields, label, enabled } = req;
    if (typeof req.id !== 'string' || req.id.trim() === '') return fail('enter an id', 'id');
    const id = req.id.trim();
    if (typeof provider !== 'string' || !(PROVIDERS as readonly string[]).includes(provider)) {
      return fail('choose a provider', 'provider');
    }
    const key = provider as ProviderKey;
    if (replaces !== undefined && typeof replaces !== 'string') {
      return fail('must be a string', 'replaces');
    }
    if (fields !== undefined && !isRecord(fields)) return fail('must be an object', 'fields');
    if (label !== undefined && typeof label !== 'string') return fail('must be text', 'label');
    if (enabled !== undefined && typeof enabled !== 'boolean') {
      return fail('must be true or false', 'enabled');
    }
    const configs = this.engine.sourceConfigs();
    const editing = replaces === undefined ? undefined : configs.find((c) => c.id === replaces);
    if (replaces !== undefined && !editing) return fail(`no source "${replaces}" to edit`, 'id');
    if (configs.some((c) => c.id === id && c !== editing)) {
      return fail('a source with this id already exists', 'id');
    }
    const raw: Record<string, unknown> =
      editing && editing.provider === key ? { ...(editing as Record<string, unknown>) } : {};
    const shape = sourceSchemas[key].shape as Record<string, unknown>;
    for (const [name, value] of Object.entries(fields ?? {})) {
      if (COMMON_KEYS.has(name)) continue;
      if (!Object.hasOwn(shape, name)) return fail(`not a ${key} setting`, name);
      const empty = value === '' || value === null || value === undefined;
      if (SECRETS.has(name)) {
        // Left empty on edit: keep the stored value (the window never had it).
        if (!empty) raw[name] = typeof value === 'string' ? value.trim() : value;
        continue;
      }
      if (empty) {
        delete raw[name];
        continue;
      }
      if (name === 'orders' || name === 'markets') raw[name] = toList(value);
      else if (name === 'heartbeatIntervalMs' && typeof value === 'string') {
        raw[name] = /^\s*\d+\s*$/.test(value) ? Number(value) : value;
      } else raw[name] = typeof value === 'string' ? value.trim() : value;
    }
    raw.id = id;
    raw.provider = key;
    if (label !== undefined) {
      if (label.trim()) raw.label = label.trim();
      else delete raw.label;
    }
    if (enabled !== undefined) raw.enabled = enabled;
    const result = sourceSchemas[key].safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.map(String).join('.') || undefined;
      const top = issue?.path[0];
      const missing = issue?.code === 'invalid_type' && raw[String(top)] === undefined;
      return fail(missing ? 'is required' : (issue?.message ?? 'invalid'), field);
    }
    return result.data as SourceConfig;
  }

  private async saveSource(req: unknown): Promise<CommandResult> {
    const built = this.buildSource(req);
    if ('ok' in built) return built;
    if (this.demo) {
      return fail('Demo sources are built in: switch to your own providers first.');
    }
    const replaces = isRecord(req) && typeof req.replaces === 'string' ? req.replaces : undefined;
    if (replaces !== undefined && replaces !== built.id) {
      await this.engine.removeSource(replaces);
      this.lastSentSource.delete(replaces);
      this.enqueue({ type: 'source-removed', id: replaces });
    }
    await this.engine.upsertSource(built);
    this.persist(this.settings.setSources(this.engine.sourceConfigs()));
    this.log.info({ source: built.id, provider: built.provider }, 'source saved');
    this.pushSource(built.id, true);
    return ok;
  }

  private async removeSource(req: unknown): Promise<CommandResult> {
    if (!isRecord(req) || typeof req.id !== 'string') return fail('missing source id', 'id');
    if (this.demo) {
      return fail('Demo sources are built in: switch to your own providers first.');
    }
    if (!this.engine.sourceStatus(req.id)) return fail(`no source "${req.id}"`, 'id');
    await this.engine.removeSource(req.id);
    this.lastSentSource.delete(req.id);
    this.persist(this.settings.setSources(this.engine.sourceConfigs()));
    this.enqueue({ type: 'source-removed', id: req.id });
    return ok;
  }

  private reconnect(req: unknown): CommandResult {
    const source = isRecord(req) ? req.source : undefined;
    if (source === undefined) {
      this.engine.reconnectAll();
      return ok;
    }
    if (typeof source !== 'string' || !this.engine.sourceStatus(source)) {
      return fail(`no source ${JSON.stringify(source)}`, 'source');
    }
    this.engine.reconnect(source);
    return ok;
  }

  private async setPrefs(req: unknown): Promise<CommandResult> {
    if (!isRecord(req)) return fail('request must be an object');
    const next = structuredClone(this.prefs);
    const strings = (v: unknown): v is string[] =>
      Array.isArray(v) && v.every((x) => typeof x === 'string');
    for (const [key, value] of Object.entries(req)) {
      switch (key) {
        case 'statuses':
          if (
            !strings(value) ||
            !value.every((s) => (ALERTABLE_STATUSES as string[]).includes(s))
          ) {
            return fail(`must list statuses among ${ALERTABLE_STATUSES.join(', ')}`, key);
          }
          next.statuses = ALERTABLE_STATUSES.filter((s) => value.includes(s));
          break;
        case 'sound':
          if (typeof value !== 'boolean') return fail('must be true or false', key);
          next.sound = value;
          break;
        case 'pausedUntil':
          if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
            return fail('must be a time (epoch ms) or null', key);
          }
          next.pausedUntil = value;
          break;
        case 'mutedSources':
        case 'activityAlerts':
          if (!strings(value)) return fail('must be a list of names', key);
          next[key] = [...new Set(value)];
          break;
        default:
          return fail('unknown preference', key);
      }
    }
    this.prefs = next;
    await this.settings.setPrefs(next);
    this.enqueue({ type: 'prefs', prefs: structuredClone(next) });
    return ok;
  }

  private async setDemo(req: unknown): Promise<CommandResult> {
    if (!isRecord(req) || typeof req.demo !== 'boolean')
      return fail('must be true or false', 'demo');
    const demo = req.demo;
    if (demo === this.demo) return ok;
    const control = this.opts.demoControl;
    if (!control) return fail('the demo is not available here', 'demo');
    if (this.switching) return fail('already switching, try again in a moment', 'demo');
    this.switching = true;
    try {
      for (const cfg of this.engine.sourceConfigs()) {
        await this.engine.removeSource(cfg.id);
        this.lastSentSource.delete(cfg.id);
        this.enqueue({ type: 'source-removed', id: cfg.id });
      }
      let run: (() => void) | undefined;
      let sources: SourceConfig[];
      if (demo) {
        const started = await control.start();
        sources = parseConfig({ sources: started.sources }).config.sources;
        run = () => started.run();
      } else {
        await control.stop();
        sources = this.settings.getSources() ?? [];
      }
      for (const cfg of sources) await this.engine.upsertSource(cfg);
      this.demo = demo;
      await this.settings.setDemo(demo);
      this.enqueue({ type: 'demo', demo });
      for (const cfg of sources) this.pushSource(cfg.id, true);
      run?.();
      this.log.info({ demo }, demo ? 'switched to the demo' : 'switched to your own providers');
      return ok;
    } finally {
      this.switching = false;
    }
  }

  private async openExternal(req: unknown): Promise<CommandResult> {
    if (!isRecord(req) || typeof req.url !== 'string') return fail('missing url', 'url');
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return fail('not a valid URL', 'url');
    }
    if (url.protocol !== 'https:') return fail('only https links are opened', 'url');
    if (!this.opts.openExternal) return fail('opening links is not available here', 'url');
    await this.opts.openExternal(url.toString());
    return ok;
  }

  private dismissHeld(): CommandResult {
    this.held = [];
    this.persist(this.settings.setHeldAlerts([]));
    this.enqueue({ type: 'held', heldAlerts: [] });
    return ok;
  }
}
