// The settings port: what the bridge host persists besides the engine's own state (orders, alert
// ledger). The Electron shell implements it over electron-store + safeStorage (secrets encrypted
// at rest); web mode and the headless CLI use JsonFileSettings in the state folder; tests use
// MemorySettings. No Electron import here.
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SourceConfig } from '../engine/config.js';
import type { AlertLine } from './lines.js';
import { HELD_LIMIT } from './limits.js';
import { ALERTABLE_STATUSES } from './statuses.js';
import type { NotificationPrefs } from './bridge.js';
import type { NotifyTarget, QuietHours } from './notify.js';

/** Where alerts are forwarded and when they wait: the window's target settings. */
export interface NotifySettings {
  targets: NotifyTarget[];
  quietHours?: QuietHours;
}

// Defined with the status model and the other limits (the window uses them too); re-exported for
// the main side, which reads its settings vocabulary from here.
export { ALERTABLE_STATUSES } from './statuses.js';
export { HELD_LIMIT } from './limits.js';

export function defaultPrefs(): NotificationPrefs {
  return {
    statuses: [...ALERTABLE_STATUSES],
    sound: true,
    pausedUntil: null,
    mutedSources: [],
    activityAlerts: [],
    mutedUntil: {},
    outcomeSounds: { completed: false, failed: true },
  };
}

/**
 * Synchronous reads (the host reads at start and on every command), writes that may be async.
 * Implementations must write atomically and must never log secret values.
 */
export interface SettingsPort {
  /** Notification preferences; defaults (see defaultPrefs) when nothing was saved. */
  getPrefs(): NotificationPrefs;
  setPrefs(prefs: NotificationPrefs): Promise<void> | void;
  /**
   * The user's own sources with their secrets in clear (the port protects them at rest).
   * undefined = never saved (first run).
   */
  getSources(): SourceConfig[] | undefined;
  setSources(sources: SourceConfig[]): Promise<void> | void;
  /** Alerts held while notifications were paused or the source muted, oldest first. */
  getHeldAlerts(): AlertLine[];
  setHeldAlerts(alerts: AlertLine[]): Promise<void> | void;
  /** Whether the user chose the demo; undefined = never chosen (see startsInDemo). */
  getDemo(): boolean | undefined;
  setDemo(demo: boolean): Promise<void> | void;
  /**
   * Forwarding targets with their secrets in clear (the port protects them at rest) and quiet
   * hours; undefined = never saved.
   */
  getNotify(): NotifySettings | undefined;
  setNotify(notify: NotifySettings): Promise<void> | void;
}

/** A stored notify document, ill-typed parts dropped (targets are checked again when used). */
export function normalizeNotify(raw: unknown): NotifySettings | undefined {
  if (!isRecord(raw) || !Array.isArray(raw.targets)) return undefined;
  const targets = raw.targets.filter(isRecord) as unknown as NotifyTarget[];
  const q = raw.quietHours;
  const quietHours =
    isRecord(q) && typeof q.from === 'string' && typeof q.to === 'string'
      ? (structuredClone(q) as unknown as QuietHours)
      : undefined;
  return { targets: structuredClone(targets), ...(quietHours ? { quietHours } : {}) };
}

/** First run rule shared by every face: the demo when the user never chose and has no sources. */
export function startsInDemo(settings: SettingsPort): boolean {
  const chosen = settings.getDemo();
  if (chosen !== undefined) return chosen;
  return (settings.getSources() ?? []).length === 0;
}

interface SettingsDoc {
  version: 1;
  prefs?: Partial<NotificationPrefs>;
  sources?: SourceConfig[];
  heldAlerts?: AlertLine[];
  demo?: boolean;
  notify?: NotifySettings;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Stored prefs merged over the defaults, ill-typed fields ignored (a damaged file never throws).
 */
export function normalizePrefs(raw: unknown): NotificationPrefs {
  const prefs = defaultPrefs();
  if (!isRecord(raw)) return prefs;
  const strings = (v: unknown) =>
    Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  const statuses = strings(raw.statuses);
  if (statuses) {
    prefs.statuses = ALERTABLE_STATUSES.filter((s) => statuses.includes(s));
  }
  if (typeof raw.sound === 'boolean') prefs.sound = raw.sound;
  if (raw.pausedUntil === null || typeof raw.pausedUntil === 'number') {
    prefs.pausedUntil = raw.pausedUntil;
  }
  prefs.mutedSources = strings(raw.mutedSources) ?? prefs.mutedSources;
  prefs.activityAlerts = strings(raw.activityAlerts) ?? prefs.activityAlerts;
  if (isRecord(raw.mutedUntil)) {
    for (const [source, until] of Object.entries(raw.mutedUntil)) {
      if (typeof until === 'number' && Number.isFinite(until)) prefs.mutedUntil[source] = until;
    }
  }
  if (isRecord(raw.outcomeSounds)) {
    for (const outcome of ['completed', 'failed'] as const) {
      const on = raw.outcomeSounds[outcome];
      if (typeof on === 'boolean') prefs.outcomeSounds[outcome] = on;
    }
  }
  return prefs;
}

/** Tests: everything in memory; `writes` counts setter calls. */
export class MemorySettings implements SettingsPort {
  writes = 0;
  private prefs: NotificationPrefs;
  private sources: SourceConfig[] | undefined;
  private held: AlertLine[] = [];
  private demo: boolean | undefined;
  private notify: NotifySettings | undefined;

  constructor(
    init: {
      prefs?: Partial<NotificationPrefs>;
      sources?: SourceConfig[];
      demo?: boolean;
      notify?: NotifySettings;
    } = {},
  ) {
    this.prefs = { ...defaultPrefs(), ...init.prefs };
    this.sources = init.sources && structuredClone(init.sources);
    this.demo = init.demo;
    this.notify = init.notify && structuredClone(init.notify);
  }

  getPrefs(): NotificationPrefs {
    return structuredClone(this.prefs);
  }
  setPrefs(prefs: NotificationPrefs): void {
    this.prefs = structuredClone(prefs);
    this.writes += 1;
  }
  getSources(): SourceConfig[] | undefined {
    return this.sources && structuredClone(this.sources);
  }
  setSources(sources: SourceConfig[]): void {
    this.sources = structuredClone(sources);
    this.writes += 1;
  }
  getHeldAlerts(): AlertLine[] {
    return structuredClone(this.held);
  }
  setHeldAlerts(alerts: AlertLine[]): void {
    this.held = structuredClone(alerts);
    this.writes += 1;
  }
  getDemo(): boolean | undefined {
    return this.demo;
  }
  setDemo(demo: boolean): void {
    this.demo = demo;
    this.writes += 1;
  }
  getNotify(): NotifySettings | undefined {
    return this.notify && structuredClone(this.notify);
  }
  setNotify(notify: NotifySettings): void {
    this.notify = structuredClone(notify);
    this.writes += 1;
  }
}

export const SETTINGS_FILE = 'settings.json';

/**
 * Web mode and headless: one JSON document in the state folder, read once at construction,
 * written atomically (temp file, fsync, rename), file mode 0600 because it holds credentials in
 * clear (there is no OS keyring to ask here; the window says so via platform.secretsProtected).
 * Writes are coalesced: several setters in one tick cost one write.
 */
export class JsonFileSettings implements SettingsPort {
  readonly path: string;
  /** Set when the file existed but could not be used; it was moved aside (shown as a problem). */
  readonly problem: string | undefined;
  private doc: SettingsDoc = { version: 1 };
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(stateDir: string) {
    this.path = join(stateDir, SETTINGS_FILE);
    mkdirSync(dirname(this.path), { recursive: true });
    let text: string | undefined;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.problem = `cannot read ${this.path}: ${(err as Error).message}`;
      }
    }
    if (text === undefined) return;
    try {
      const parsed: unknown = JSON.parse(text);
      if (!isRecord(parsed) || parsed.version !== 1) throw new Error('unexpected shape');
      this.doc = parsed as unknown as SettingsDoc;
    } catch (err) {
      const aside = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      try {
        renameSync(this.path, aside);
      } catch {
        // keep going with defaults; the problem below tells the user
      }
      this.problem = `${SETTINGS_FILE} is damaged (${(err as Error).message}); kept aside as ${aside}, using defaults`;
    }
  }

  getPrefs(): NotificationPrefs {
    return normalizePrefs(this.doc.prefs);
  }
  setPrefs(prefs: NotificationPrefs): Promise<void> {
    this.doc.prefs = structuredClone(prefs);
    return this.save();
  }
  getSources(): SourceConfig[] | undefined {
    return Array.isArray(this.doc.sources) ? structuredClone(this.doc.sources) : undefined;
  }
  setSources(sources: SourceConfig[]): Promise<void> {
    this.doc.sources = structuredClone(sources);
    return this.save();
  }
  getHeldAlerts(): AlertLine[] {
    return Array.isArray(this.doc.heldAlerts) ? structuredClone(this.doc.heldAlerts) : [];
  }
  setHeldAlerts(alerts: AlertLine[]): Promise<void> {
    this.doc.heldAlerts = structuredClone(alerts.slice(-HELD_LIMIT));
    return this.save();
  }
  getDemo(): boolean | undefined {
    return typeof this.doc.demo === 'boolean' ? this.doc.demo : undefined;
  }
  setDemo(demo: boolean): Promise<void> {
    this.doc.demo = demo;
    return this.save();
  }
  getNotify(): NotifySettings | undefined {
    return normalizeNotify(this.doc.notify);
  }
  setNotify(notify: NotifySettings): Promise<void> {
    this.doc.notify = structuredClone(notify);
    return this.save();
  }

  /** Resolves once everything set so far is on disk. */
  flush(): Promise<void> {
    return this.writing;
  }

  private save(): Promise<void> {
    this.dirty = true;
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      const tmp = `${this.path}.${process.pid}.tmp`;
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(JSON.stringify(this.doc, null, 2), 'utf8');
        await fh.datasync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.path);
    });
    return this.writing;
  }
}
