// The desktop SettingsPort: electron-store (atomic JSON in userData) for preferences, sources and
// held alerts; every credential field sealed with safeStorage before it reaches the file. Reads are
// served from memory; writes of one tick are coalesced into one electron-store `set`. A file that
// cannot be parsed is moved aside and reported (electron-store would otherwise throw at start).
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import ElectronStore from 'electron-store';
import { SECRET_FIELDS, type SourceConfig } from '../engine/config.js';
import type { AlertLine } from '../engine/types.js';
import type { NotificationPrefs } from '../shared/bridge.js';
import { TARGET_SECRET_FIELDS, type NotifyTarget } from '../shared/notify.js';
import {
  HELD_LIMIT,
  normalizeNotify,
  normalizePrefs,
  type NotifySettings,
  type SettingsPort,
} from '../shared/settings-port.js';
import type { SecretBox } from './secrets.js';

export const SETTINGS_NAME = 'settings';

/** A source as written to disk: credential fields removed, their sealed values under `sealed`. */
type StoredSource = Record<string, unknown> & { sealed?: Record<string, string> };

interface StoredDoc {
  version: 1;
  prefs?: unknown;
  sources?: StoredSource[];
  heldAlerts?: AlertLine[];
  demo?: boolean;
  /** Forwarding targets, their secret fields sealed like a source's. */
  notify?: { targets: StoredSource[]; quietHours?: unknown };
}

type DocKey = Exclude<keyof StoredDoc, 'version'>;

/** What the shell needs of a key-value store (electron-store has it; tests may pass a fake). */
export interface KeyValueStore {
  readonly store: Record<string, unknown>;
  readonly path: string;
  set(values: Record<string, unknown>): void;
}

export interface DesktopSettingsOptions {
  /** Folder of the settings file (app.getPath('userData')). */
  dir: string;
  secrets: SecretBox;
  /** Opens the store; defaults to electron-store. Throws on an unreadable file. */
  open?: (dir: string) => KeyValueStore;
}

const SECRET_SET = new Set<string>(SECRET_FIELDS);

function secretFieldsOfTarget(target: NotifyTarget): ReadonlySet<string> {
  return new Set(TARGET_SECRET_FIELDS[target.type] ?? []);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function openElectronStore(dir: string): KeyValueStore {
  return new ElectronStore<Record<string, unknown>>({
    name: SETTINGS_NAME,
    cwd: dir,
    clearInvalidConfig: false,
    defaults: { version: 1 },
  });
}

export class DesktopSettings implements SettingsPort {
  /** Problems to show the user (damaged file set aside, secrets that could not be decrypted). */
  readonly problems: string[] = [];
  private readonly store: KeyValueStore;
  private readonly secrets: SecretBox;
  private doc: StoredDoc;
  private readonly dirty = new Set<DocKey>();
  private flushing: Promise<void> | undefined;

  constructor(opts: DesktopSettingsOptions) {
    this.secrets = opts.secrets;
    const open = opts.open ?? openElectronStore;
    let store: KeyValueStore;
    try {
      store = open(opts.dir);
    } catch (err) {
      const file = join(opts.dir, `${SETTINGS_NAME}.json`);
      const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      let where = aside;
      try {
        renameSync(file, aside);
      } catch {
        where = '(could not move it)';
      }
      this.problems.push(
        `${SETTINGS_NAME}.json could not be read (${(err as Error).message}); kept aside as ${where}, starting with default settings`,
      );
      store = open(opts.dir);
    }
    this.store = store;
    const raw = store.store;
    this.doc = { version: 1, ...(isRecord(raw) ? raw : {}) } as StoredDoc;
  }

  get path(): string {
    return this.store.path;
  }

  getPrefs(): NotificationPrefs {
    return normalizePrefs(this.doc.prefs);
  }

  setPrefs(prefs: NotificationPrefs): Promise<void> {
    return this.put('prefs', structuredClone(prefs));
  }

  getSources(): SourceConfig[] | undefined {
    if (!Array.isArray(this.doc.sources)) return undefined;
    return this.doc.sources
      .filter(isRecord)
      .map((stored) => this.unseal(stored) as unknown as SourceConfig);
  }

  setSources(sources: SourceConfig[]): Promise<void> {
    return this.put(
      'sources',
      sources.map((s) => this.seal(s)),
    );
  }

  getHeldAlerts(): AlertLine[] {
    return Array.isArray(this.doc.heldAlerts) ? structuredClone(this.doc.heldAlerts) : [];
  }

  setHeldAlerts(alerts: AlertLine[]): Promise<void> {
    return this.put('heldAlerts', structuredClone(alerts.slice(-HELD_LIMIT)));
  }

  getDemo(): boolean | undefined {
    return typeof this.doc.demo === 'boolean' ? this.doc.demo : undefined;
  }

  setDemo(demo: boolean): Promise<void> {
    return this.put('demo', demo);
  }

  getNotify(): NotifySettings | undefined {
    const stored = this.doc.notify;
    if (!isRecord(stored) || !Array.isArray(stored.targets)) return undefined;
    return normalizeNotify({
      ...stored,
      targets: stored.targets.filter(isRecord).map((t) => this.unseal(t, 'notify target')),
    });
  }

  setNotify(notify: NotifySettings): Promise<void> {
    const targets = notify.targets.map((t) => this.seal(t, secretFieldsOfTarget(t)));
    return this.put('notify', {
      targets,
      ...(notify.quietHours ? { quietHours: structuredClone(notify.quietHours) } : {}),
    });
  }

  /** Resolves once everything set so far is written. */
  flush(): Promise<void> {
    return this.flushing ?? Promise.resolve();
  }

  private seal(
    source: SourceConfig | NotifyTarget,
    secretKeys: ReadonlySet<string> = SECRET_SET,
  ): StoredSource {
    const stored: StoredSource = {};
    const sealed: Record<string, string> = {};
    for (const [key, value] of Object.entries(source)) {
      if (secretKeys.has(key) && typeof value === 'string') sealed[key] = this.secrets.seal(value);
      else stored[key] = structuredClone(value) as unknown;
    }
    if (Object.keys(sealed).length > 0) stored.sealed = sealed;
    return stored;
  }

  /** The stored thing with its secrets opened; `what` names it in a problem. */
  private unseal(stored: StoredSource, what = 'source'): Record<string, unknown> {
    const { sealed, ...rest } = stored;
    const source: Record<string, unknown> = structuredClone(rest);
    for (const [key, value] of Object.entries(isRecord(sealed) ? sealed : {})) {
      try {
        source[key] = this.secrets.open(String(value));
      } catch {
        // The value never appears in the message: only which field of which source.
        const id = typeof rest.id === 'string' ? rest.id : '?';
        const problem = `${what} "${id}": the stored ${key} could not be decrypted (keyring changed?); enter it again`;
        if (!this.problems.includes(problem)) this.problems.push(problem);
      }
    }
    return source;
  }

  private put<K extends DocKey>(key: K, value: StoredDoc[K]): Promise<void> {
    this.doc[key] = value;
    this.dirty.add(key);
    this.flushing ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.flushing = undefined;
        const values: Record<string, unknown> = {};
        for (const k of this.dirty) values[k] = this.doc[k];
        this.dirty.clear();
        try {
          this.store.set(values);
          resolve();
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    return this.flushing;
  }
}
