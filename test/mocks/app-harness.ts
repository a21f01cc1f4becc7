// Starts the whole desktop shell against the mocked `electron` (and electron-store backed by conf),
// with a controllable fake engine, a temporary userData folder and a log captured in memory.
// The caller must have called vi.mock('electron', …) and vi.mock('electron-store', …).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { SourceConfig } from '../../src-main/engine/config.js';
import type { Logger } from '../../src-main/engine/log.js';
import type { Desktop } from '../../src-main/app/desktop.js';
import type { NotificationPrefs } from '../../src-main/shared/bridge.js';
import { FakeEngine } from '../support/fake-engine.js';
import * as electron from './electron.js';

export class TestEngine extends FakeEngine {
  started = false;
  stopped = false;
  async start(): Promise<void> {
    this.started = true;
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

/** A pino logger at debug level writing into `lines` (no redaction: stricter than production). */
export function captureLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

export interface HarnessOptions {
  sources?: SourceConfig[];
  demo?: boolean;
  prefs?: Partial<NotificationPrefs>;
  hidden?: boolean;
  /** Raw text for settings.json (to test damaged files). */
  settingsFile?: string;
  /** Called with the fresh userData folder before the app starts (e.g. to lock its state). */
  beforeStart?: (userData: string) => void;
}

export interface Harness {
  desktop: Desktop;
  engine: TestEngine;
  userData: string;
  root: string;
  lines: string[];
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const { startDesktop } = await import('../../src-main/app/desktop.js');
  const { DesktopSettings } = await import('../../src-main/app/settings-store.js');
  const { SecretBox } = await import('../../src-main/app/secrets.js');
  const userData = mkdtempSync(join(tmpdir(), 'orderbell-userdata-'));
  electron.state.userData = userData;
  const root = mkdtempSync(join(tmpdir(), 'orderbell-root-'));
  mkdirSync(join(root, 'dist-renderer'), { recursive: true });
  writeFileSync(
    join(root, 'dist-renderer', 'index.html'),
    '<!doctype html><title>Orderbell</title>',
  );
  electron.state.appPath = root;

  if (opts.settingsFile !== undefined) {
    writeFileSync(join(userData, 'settings.json'), opts.settingsFile);
  } else if (opts.sources || opts.demo !== undefined || opts.prefs) {
    const seed = new DesktopSettings({ dir: userData, secrets: new SecretBox() });
    if (opts.sources) await seed.setSources(opts.sources);
    if (opts.demo !== undefined) await seed.setDemo(opts.demo);
    if (opts.prefs) {
      await seed.setPrefs({ ...seed.getPrefs(), ...opts.prefs });
    }
    await seed.flush();
  }

  opts.beforeStart?.(userData);
  const { log, lines } = captureLog();
  let engine: TestEngine | undefined;
  const desktop = await startDesktop({
    hidden: opts.hidden ?? true,
    paths: { root, userData },
    log,
    demoSpeed: 50,
    createEngine: (config) => (engine = new TestEngine(config.sources)),
  });
  if (!engine) throw new Error('engine not created');
  return { desktop, engine, userData, root, lines };
}

/** The IPC event of the app's own window (trusted) or of anything else. */
export function eventFrom(
  win: electron.BrowserWindow | undefined,
  url = 'app://orderbell/index.html',
) {
  return electron.ipcEvent(win?.webContents, url);
}

export function lastWindow(): electron.BrowserWindow {
  const w = electron.BrowserWindow.created.at(-1);
  if (!w) throw new Error('no window');
  return w;
}

/** Every batch of changes the window received, flattened. */
export function changesSent(win: electron.BrowserWindow): unknown[] {
  return win.webContents.sent.flatMap((m) => (m.args[0] as { changes: unknown[] }).changes);
}
