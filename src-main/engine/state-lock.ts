// One process per state folder. Two engines on one folder would both claim the same alert in their
// own memory and both announce it (the ledger is exactly-once only within one process), and their
// state writes would overwrite each other. The lock is a file created exclusively, holding the
// owner's pid; a lock whose owner is gone (a crash, SIGKILL) is taken over, so a crash never leaves
// the folder locked for good.
import { mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'orderbell.lock';

export class StateFolderError extends Error {
  override name = 'StateFolderError';
  /** Who holds the folder, when that is the reason (a face may word its own message). */
  holder: LockOwner | undefined;
}

export interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/**
 * True when a process with this pid runs (EPERM: it exists but belongs to someone else). A zombie
 * (killed, not yet reaped by its parent) has finished with the folder: on Linux its state in
 * /proc says so.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX] /s.test(stat);
  } catch {
    return true; // no /proc (macOS, Windows): trust kill()
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || !Number.isInteger(owner.pid) || owner.pid <= 0) return;
    return { pid: owner.pid, host: String(owner.host ?? ''), since: String(owner.since ?? '') };
  } catch {
    return undefined; // torn or foreign content: nobody can be shown to hold it
  }
}

export interface StateLock {
  readonly path: string;
  /** Give the folder up (idempotent). Also done when the process exits. */
  release(): void;
}

/**
 * Take the state folder for this process, creating the folder if needed. Throws StateFolderError
 * with a line for the user when the path is not a folder or another live process holds it.
 */
export function lockStateFolder(dir: string, now: () => Date = () => new Date()): StateLock {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new StateFolderError(`state folder ${dir} cannot be created: ${(err as Error).message}`);
  }
  if (!statSync(dir).isDirectory()) {
    throw new StateFolderError(`state folder ${dir} is not a folder`);
  }
  const path = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), since: now().toISOString() };
  for (let tries = 0; tries < 2; tries += 1) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StateFolderError(
          `state folder ${dir} cannot be locked: ${(err as Error).message}`,
        );
      }
      const owner = readOwner(path);
      const foreignHost = owner !== undefined && owner.host !== '' && owner.host !== me.host;
      if (owner && (foreignHost || (owner.pid !== process.pid && alive(owner.pid)))) {
        const inUse = new StateFolderError(
          `state folder ${dir} is in use by another Orderbell (pid ${owner.pid}` +
            `${foreignHost ? ` on ${owner.host}` : ''}, since ${owner.since}); ` +
            'stop it or give this one another --state-dir',
        );
        inUse.holder = owner;
        throw inUse;
      }
      rmSync(path, { force: true }); // its owner is gone: take the folder over
      continue;
    }
    writeSync(fd, JSON.stringify(me));
    closeSync(fd);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      process.off('exit', release);
      // Only our own lock: never delete one a successor took over.
      if (readOwner(path)?.pid === process.pid) rmSync(path, { force: true });
    };
    process.on('exit', release);
    return { path, release };
  }
  throw new StateFolderError(`state folder ${dir} could not be locked (lock file keeps changing)`);
}
