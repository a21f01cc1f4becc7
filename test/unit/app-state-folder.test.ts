// The desktop app and the state folder's lock: another Orderbell (a headless one) holding
// userData/state keeps the app from starting a second engine on it; a dialog names the holder and
// offers Retry / Quit; the lock is the app's while it runs and is released on quit.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOCK_FILE } from '../../src-main/engine/state-lock.js';

vi.mock('electron', () => import('../mocks/electron.js'));
vi.mock('electron-store', () => import('../mocks/electron-store.js'));

const electron = await import('../mocks/electron.js');
const { startHarness } = await import('../mocks/app-harness.js');
type Harness = Awaited<ReturnType<typeof startHarness>>;

const RETRY = 0;
const QUIT = 1;

/** A live process that is not this one holds the folder, as a headless Orderbell would. */
function lockByOther(userData: string): string {
  const dir = join(userData, 'state');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const other = { pid: process.ppid, host: hostname(), since: '2026-12-02T10:00:00.000Z' };
  writeFileSync(path, JSON.stringify(other));
  return path;
}

let h: Harness | undefined;
beforeEach(() => electron.resetElectron());
afterEach(async () => {
  await h?.desktop.stop();
  h = undefined;
});

describe('desktop app: the state folder lock', () => {
  it('holds the lock while it runs and releases it on quit', async () => {
    h = await startHarness();
    const path = join(h.userData, 'state', LOCK_FILE);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(electron.dialog.shown).toEqual([]);
    await h.desktop.stop();
    h = undefined;
    expect(existsSync(path)).toBe(false);
  });

  it('while another Orderbell holds it: a dialog names it; Quit starts nothing', async () => {
    let lockPath = '';
    electron.dialog.answer = () => QUIT;
    await expect(
      startHarness({ beforeStart: (dir) => (lockPath = lockByOther(dir)) }),
    ).rejects.toMatchObject({ name: 'StateFolderDeclined' });
    expect(electron.dialog.shown).toHaveLength(1);
    const shown = electron.dialog.shown[0]!;
    expect(shown.message).toBe('Another Orderbell is using the state folder');
    expect(shown.detail).toContain(`process ${process.ppid}`);
    expect(shown.buttons).toEqual(['Retry', 'Quit']);
    // Nothing was started, and the other one's lock is untouched.
    expect(electron.Tray.created).toHaveLength(0);
    expect(electron.BrowserWindow.created).toHaveLength(0);
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.ppid });
  });

  it('Retry while still held asks again; Retry after the other one stopped starts', async () => {
    let lockPath = '';
    const answers: number[] = [];
    electron.dialog.answer = () => {
      // First: still held, retry. Second: the other one stops, retry.
      if (answers.length === 1) rmSync(lockPath);
      answers.push(RETRY);
      return RETRY;
    };
    h = await startHarness({ beforeStart: (dir) => (lockPath = lockByOther(dir)) });
    expect(answers).toHaveLength(2);
    expect(h.engine).toBeDefined();
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(h.lines.join('')).toContain('state folder unavailable');
  });
});
