// Shared plumbing of the end-to-end tests: the Chromium that `global-setup.ts` located (see
// bench/lib/chromium.ts: ORDERBELL_CHROMIUM, a system browser, or the npm package's build) driven
// through playwright-core, the built window, screenshots under test-results/screenshots/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_ARGS } from '../../bench/lib/chromium.js';

export const ROOT = process.cwd();
export const RENDERER_DIR = join(ROOT, 'dist-renderer');
export const SHOTS_DIR = join(ROOT, 'test-results', 'screenshots');

/** Build what the test needs if it is missing (a fresh clone running only the e2e suite). */
export function ensureBuilt(what: 'renderer' | 'all'): void {
  const missing =
    !existsSync(join(RENDERER_DIR, 'index.html')) ||
    (what === 'all' && !existsSync(join(ROOT, 'dist', 'src-main', 'cli', 'headless.js')));
  if (!missing) return;
  const args = what === 'all' ? ['run', '-s', 'build'] : ['run', '-s', 'build:renderer'];
  const r = spawnSync('npm', args, { cwd: ROOT, stdio: 'inherit', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

/** Launches the located browser; where none was found, fails with the locator's one line. */
export async function launchChromium(): Promise<Browser> {
  const found = inject('chromium');
  if ('error' in found) throw new Error(found.error);
  return chromium.launch({
    executablePath: found.executablePath,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const path = join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Collects page errors and CSP violations; a test asserts it stayed empty. */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' || /Content Security Policy/i.test(text)) {
      problems.push(`console ${msg.type()}: ${text}`);
    }
  });
  return problems;
}
