// The attention list on disk: attention.json in the state folder, written atomically (temp file,
// fsync, rename) and coalesced (a burst of alerts costs one write after the one under way). A file
// that cannot be read starts an empty list: losing read marks is better than not starting.
import { mkdirSync, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { AttentionEntry } from '../attention.js';
import type { AttentionStore } from './attention-log.js';

export const ATTENTION_FILE = 'attention.json';

function isEntry(v: unknown): v is AttentionEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.key === 'string' &&
    typeof e.read === 'boolean' &&
    typeof e.alert === 'object' &&
    e.alert !== null &&
    (e.reason === undefined || typeof e.reason === 'string')
  );
}

export class AttentionFile implements AttentionStore {
  readonly path: string;
  private writing: Promise<void> = Promise.resolve();
  private pending: readonly AttentionEntry[] | undefined;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, ATTENTION_FILE);
  }

  load(): AttentionEntry[] {
    try {
      const doc: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
      const entries = (doc as { entries?: unknown } | null)?.entries;
      return Array.isArray(entries) ? entries.filter(isEntry) : [];
    } catch {
      return [];
    }
  }

  save(entries: readonly AttentionEntry[]): Promise<void> {
    this.pending = entries;
    // A failed write (reported by the caller) must not stop the later ones.
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        const next = this.pending;
        if (next === undefined) return;
        this.pending = undefined;
        const tmp = `${this.path}.${process.pid}.tmp`;
        const fh = await open(tmp, 'w', 0o600);
        try {
          await fh.writeFile(JSON.stringify({ version: 1, entries: next }), 'utf8');
          await fh.datasync();
        } finally {
          await fh.close();
        }
        await rename(tmp, this.path);
      });
    return this.writing;
  }

  /** Resolves once everything saved so far is on disk. */
  flush(): Promise<void> {
    return this.writing;
  }
}
