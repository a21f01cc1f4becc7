// The persistence port: the engine only reads and writes named documents and one durable log.
// The CLI and web mode use plain files (FilePersistence); tests use MemoryPersistence; the desktop
// app points FilePersistence at its userData folder and keeps settings in electron-store.
import { mkdirSync } from 'node:fs';
import { open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

export interface PersistenceStats {
  writes: number;
  bytes: number;
  appends: number;
}

export interface PersistencePort {
  /** The document's text, or undefined when it does not exist. */
  read(name: string): Promise<string | undefined>;
  /** Replace the document atomically: a crash leaves the old or the new text, never a mix. */
  write(name: string, text: string): Promise<void>;
  /**
   * The same as `write(name, parts joined)`, but the parts are pulled lazily while the file is
   * written in chunks: a large document never exists as one string, and the event loop runs
   * between chunks (no long stall while thousands of orders are saved). Optional for ports.
   */
  writeParts?(name: string, parts: Iterable<string>): Promise<void>;
  /** Append to a log and resolve only once it is on stable storage. */
  appendDurable(name: string, text: string): Promise<void>;
  /**
   * Replace a log with new content (compaction): written to a temporary file and made durable, then
   * renamed over the log, the rename itself made durable, and later appends go to the new file. A
   * crash at any point leaves the old log or the new one, whole. The caller must not append to the
   * log while this runs.
   */
  rewriteLog(name: string, parts: Iterable<string> | AsyncIterable<string>): Promise<void>;
  /**
   * `read(name)?.split('\n')`, streamed: a large log is never one string. So a text ending with a
   * line end gives a last empty line, and a missing document gives nothing. Optional: without it,
   * callers split `read`.
   */
  readLines?(name: string): AsyncIterable<string>;
  /** Move an unreadable document out of the way, keeping it for the user; returns where. */
  setAside(name: string): Promise<string | undefined>;
  readonly stats: PersistenceStats;
  close(): Promise<void>;
}

/** Characters gathered per write call of `writeParts`: 16 KB, well under a millisecond of work. */
const PART_CHUNK_CHARS = 16 * 1024;
/**
 * Bytes per read of `readLines`, and the size of the one buffer a streamed write encodes into. One
 * buffer per call, reused: a read stream allocated a fresh 64 KB block per read, ~450 of them per
 * rewrite of a year's log, and those blocks were left as holes in the allocator's memory (npm run
 * bench, figure 8).
 */
const IO_CHUNK_BYTES = 64 * 1024;

export class FilePersistence implements PersistencePort {
  readonly stats: PersistenceStats = { writes: 0, bytes: 0, appends: 0 };
  private readonly logs = new Map<string, Promise<FileHandle>>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  async read(name: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.dir, name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async write(name: string, text: string): Promise<void> {
    const path = join(this.dir, name);
    const tmp = `${path}.${process.pid}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(text, 'utf8');
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    this.stats.writes += 1;
    this.stats.bytes += Buffer.byteLength(text);
  }

  async writeParts(name: string, parts: Iterable<string>): Promise<void> {
    const path = join(this.dir, name);
    const tmp = await this.writeTemp(path, parts);
    await rename(tmp.path, path);
    this.stats.writes += 1;
    this.stats.bytes += tmp.bytes;
  }

  async rewriteLog(name: string, parts: Iterable<string> | AsyncIterable<string>): Promise<void> {
    const path = join(this.dir, name);
    const tmp = await this.writeTemp(path, parts);
    // The open append handle points at the old file: close it, so the next append opens the new one.
    const log = this.logs.get(name);
    this.logs.delete(name);
    if (log) await (await log.catch(() => undefined))?.close();
    await rename(tmp.path, path);
    // Appends after this are fsynced into the new file; if the rename itself were lost in a power
    // cut, they would vanish with it. Best effort: some systems (Windows) cannot open a folder.
    await syncDir(this.dir);
    this.stats.writes += 1;
    this.stats.bytes += tmp.bytes;
  }

  /** The parts written to a temporary file beside `path` and flushed to disk. */
  private async writeTemp(
    path: string,
    parts: Iterable<string> | AsyncIterable<string>,
  ): Promise<{ path: string; bytes: number }> {
    const tmp = `${path}.${process.pid}.tmp`;
    const fh = await open(tmp, 'w');
    let bytes = 0;
    try {
      let chunk: string[] = [];
      let size = 0;
      const out = Buffer.allocUnsafeSlow(IO_CHUNK_BYTES);
      const writeChunk = async () => {
        const text = chunk.join('');
        chunk = [];
        size = 0;
        // Encoded into the reused buffer when it fits (16 K characters are at most 48 KB of UTF-8
        // unless one part is long); a longer text gets a block of its own.
        const len = Buffer.byteLength(text, 'utf8');
        const buf =
          len <= out.length ? out.subarray(0, out.write(text, 0, 'utf8')) : Buffer.from(text);
        for (let off = 0; off < buf.length;) {
          off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
        }
        bytes += buf.length;
      };
      for await (const part of parts) {
        chunk.push(part);
        size += part.length;
        if (size >= PART_CHUNK_CHARS) await writeChunk();
      }
      if (chunk.length > 0) await writeChunk();
      await fh.datasync();
    } finally {
      await fh.close();
    }
    return { path: tmp, bytes };
  }

  async *readLines(name: string): AsyncGenerator<string> {
    let fh: FileHandle;
    try {
      fh = await open(join(this.dir, name), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    try {
      const buf = Buffer.allocUnsafeSlow(IO_CHUNK_BYTES);
      // A character split across two reads is held back by the decoder until its last byte comes.
      const decoder = new StringDecoder('utf8');
      // Split by hand, not by node:readline: the last piece (empty when the file ends with a line
      // end) tells a torn last line from a whole one.
      let rest = '';
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        const pieces = (rest + decoder.write(buf.subarray(0, bytesRead))).split('\n');
        rest = pieces.pop() ?? '';
        yield* pieces;
      }
      yield rest + decoder.end();
    } finally {
      // Also when the reader stops early (a rewrite that has found every entry it needs).
      await fh.close();
    }
  }

  async appendDurable(name: string, text: string): Promise<void> {
    let handle = this.logs.get(name);
    if (!handle) {
      handle = open(join(this.dir, name), 'a');
      this.logs.set(name, handle);
      // A failed open (disk full, folder gone, a file in the way) is forgotten, so the next append
      // tries again instead of failing for the rest of the run on the cached rejection.
      handle.catch(() => {
        if (this.logs.get(name) === handle) this.logs.delete(name);
      });
    }
    const fh = await handle;
    await fh.appendFile(text, 'utf8');
    await fh.datasync();
    this.stats.appends += 1;
    this.stats.bytes += Buffer.byteLength(text);
  }

  async setAside(name: string): Promise<string | undefined> {
    const from = join(this.dir, name);
    const to = `${from}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const log = this.logs.get(name);
    if (log) {
      this.logs.delete(name);
      await (await log).close();
    }
    try {
      await rename(from, to);
      return to;
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    const handles = [...this.logs.values()];
    this.logs.clear();
    await Promise.all(handles.map(async (h) => (await h).close()));
  }
}

async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // not supported here; the rename is as durable as the platform makes it
  } finally {
    await fh?.close();
  }
}

/** In-memory port for unit tests: same semantics, no disk. */
export class MemoryPersistence implements PersistencePort {
  readonly stats: PersistenceStats = { writes: 0, bytes: 0, appends: 0 };
  readonly docs = new Map<string, string>();
  readonly asides: string[] = [];

  async read(name: string): Promise<string | undefined> {
    return this.docs.get(name);
  }

  async write(name: string, text: string): Promise<void> {
    this.docs.set(name, text);
    this.stats.writes += 1;
    this.stats.bytes += text.length;
  }

  writeParts(name: string, parts: Iterable<string>): Promise<void> {
    return this.write(name, [...parts].join(''));
  }

  async appendDurable(name: string, text: string): Promise<void> {
    this.docs.set(name, (this.docs.get(name) ?? '') + text);
    this.stats.appends += 1;
  }

  async rewriteLog(name: string, parts: Iterable<string> | AsyncIterable<string>): Promise<void> {
    const text: string[] = [];
    for await (const part of parts) text.push(part);
    await this.write(name, text.join(''));
  }

  async setAside(name: string): Promise<string | undefined> {
    const text = this.docs.get(name);
    if (text === undefined) return undefined;
    const to = `${name}.corrupt-${this.asides.length}`;
    this.docs.set(to, text);
    this.docs.delete(name);
    this.asides.push(to);
    return to;
  }

  async close(): Promise<void> {}
}
