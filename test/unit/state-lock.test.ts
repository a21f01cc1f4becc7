// One process per state folder: a live owner keeps it, a dead one (crash, SIGKILL) does not.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockStateFolder, StateFolderError } from '../../src-main/engine/state-lock.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function folder(lock?: object | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ob-lock-'));
  if (lock !== undefined) {
    writeFileSync(join(dir, LOCK_FILE), typeof lock === 'string' ? lock : JSON.stringify(lock));
  }
  return dir;
}

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

function liveChild(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  cleanups.push(() => child.kill('SIGKILL'));
  return child.pid ?? 0;
}

describe('lockStateFolder', () => {
  const takes: Array<[string, () => string]> = [
    ['a fresh folder (created when missing)', () => join(folder(), 'nested', 'state')],
    ['a lock left by a process that died', () => folder({ pid: deadPid(), host: hostname() })],
    ['a torn lock file', () => folder('{"pid":')],
    ['a lock file without a pid', () => folder({ host: hostname() })],
  ];
  it.each(takes)('takes %s and writes its own pid', (_name, make) => {
    const dir = make();
    const lock = lockStateFolder(dir);
    cleanups.push(() => lock.release());
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
  });

  it('refuses a folder held by a live process, naming it, and leaves its lock alone', () => {
    const pid = liveChild();
    const dir = folder({ pid, host: hostname(), since: '2026-12-01T10:00:00.000Z' });
    expect(() => lockStateFolder(dir)).toThrow(StateFolderError);
    expect(() => lockStateFolder(dir)).toThrow(
      new RegExp(`in use by another Orderbell \\(pid ${pid}, since 2026-12-01T10:00:00.000Z\\)`),
    );
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(pid);
  });

  it('refuses a folder held from another host (a shared disk): its pid means nothing here', () => {
    const dir = folder({ pid: deadPid(), host: 'desk-server', since: 'x' });
    expect(() => lockStateFolder(dir)).toThrow(/on desk-server/);
  });

  it('a state folder that is a file is a clear error, not a stack trace', () => {
    const file = join(folder(), 'state');
    writeFileSync(file, 'not a folder');
    expect(() => lockStateFolder(file)).toThrow(StateFolderError);
  });

  it('release removes only its own lock, once', () => {
    const dir = folder();
    const lock = lockStateFolder(dir);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    // A successor took the folder over after us: a late release must not remove its lock.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: liveChild(), host: hostname() }));
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });
});
