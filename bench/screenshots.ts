// `npm run screenshots`: the README's five pictures of the window, taken from the running app, so they
// show what the code draws today. Two scenes, each the built headless CLI in web mode (`--ui`) seen
// by the Chromium bench/lib/chromium.ts locates:
//  - demo: `headless --demo --ui`, photographed once the demo has finished orders, active ones and
//    at least one unread alert (light and dark at popup size, 1200×800, the Attention tab);
//  - broken: `headless --config … --ui` with seven sources the loopback simulators refuse (the
//    fixture of the e2e test of broken sources), the summary opened and one source's details shown.
// Every wait is for content (rows, counts, the reason text), never a fixed sleep, and all of them
// share one deadline per scene (60 s); whatever the script started is stopped on the way out, error
// or not.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { STATE_FILE } from '../src-main/engine/engine.js';
import { STATE_VERSION } from '../src-main/engine/state-reader.js';
import type { OrderRecord } from '../src-main/shared/orders.js';
import { SIMULATORS } from '../src-main/simulator/index.js';
import { brokenSources, closedPort, savedOrders } from './lib/broken-sources.js';
import { CHROMIUM_ARGS, locateChromium } from './lib/chromium.js';
import { headlessProcess, ROOT } from './lib/proc.js';

/** What one scene may take, from starting its app to its last picture (the demo needs ~25 s). */
const LIMIT_MS = 60_000;
const DOCS = join(ROOT, 'docs');
const POPUP = { width: 400, height: 600 };
const WIDE = { width: 1200, height: 800 };

type Scene = 'demo' | 'broken';

interface Shot {
  file: string;
  scene: Scene;
  viewport: { width: number; height: number };
  colorScheme: 'light' | 'dark';
  /** Brings the window to what the picture shows (after the scene is ready). */
  open?: (page: Page) => Promise<void>;
}

const SHOTS: readonly Shot[] = [
  { file: 'screenshot.png', scene: 'demo', viewport: POPUP, colorScheme: 'light' },
  { file: 'screenshot-dark.png', scene: 'demo', viewport: POPUP, colorScheme: 'dark' },
  { file: 'screenshot-wide.png', scene: 'demo', viewport: WIDE, colorScheme: 'light' },
  {
    file: 'screenshot-attention.png',
    scene: 'demo',
    viewport: POPUP,
    colorScheme: 'light',
    open: openAttention,
  },
  {
    file: 'screenshot-broken.png',
    scene: 'broken',
    viewport: POPUP,
    colorScheme: 'light',
    open: openSourceDetails,
  },
];

/** Each scene (and the browser's start, with the first) gets LIMIT_MS; see startClock. */
let deadline = performance.now() + LIMIT_MS;
const startClock = (): void => {
  deadline = performance.now() + LIMIT_MS;
};
/** Time left before the deadline (at least 1 ms, so a late wait fails at once with its own name). */
const left = (): number => Math.max(1, deadline - performance.now());

/** Stops, closes and removes what was started, newest first. */
const cleanups: (() => Promise<unknown>)[] = [];
async function cleanUp(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
}

/** Options of every wait in the page: polled, and bounded by what is left of the deadline. */
const until = () => ({ timeout: left(), polling: 100 });

/** Names a failed wait by what the window never showed. */
async function waitFor(what: string, wait: Promise<unknown>): Promise<void> {
  try {
    await wait;
  } catch (err) {
    throw new Error(`the window never showed ${what} (${(err as Error).message.split('\n')[0]})`, {
      cause: err,
    });
  }
}

/** How far the demo must have moved (rows with class `terminal` are finished, in any outcome). */
const DEMO_READY = { finished: 3, active: 3 };

/** The demo has moved along: finished and active orders in the list, an unread alert. */
async function demoReady(page: Page): Promise<void> {
  await waitFor(
    `${DEMO_READY.finished} finished and ${DEMO_READY.active} active orders and an unread alert`,
    page.waitForFunction(
      (min) => {
        if (!document.querySelector('.app[data-loaded="true"]')) return false;
        if (document.querySelector('.loading')) return false;
        const rows = Array.from(document.querySelectorAll('article[data-order-id]'));
        const finished = rows.filter((r) => r.classList.contains('terminal')).length;
        return (
          finished >= min.finished &&
          rows.length - finished >= min.active &&
          /^\(\d+\) /.test(document.title)
        );
      },
      DEMO_READY,
      until(),
    ),
  );
}

/** All seven sources reported broken, with their reasons, above a list that has rows. */
async function brokenReady(page: Page): Promise<void> {
  await waitFor(
    'seven broken sources (5 sign-in refused) above the saved orders',
    page.waitForFunction(
      () =>
        document.querySelector('.sources .summary')?.getAttribute('data-broken') === '7' &&
        (document.querySelector('.sources .summary')?.textContent ?? '').includes(
          '5 sign-in refused',
        ) &&
        document.querySelectorAll('article[data-order-id]').length > 0,
      undefined,
      until(),
    ),
  );
}

async function openAttention(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /^Attention/ }).click({ timeout: left() });
  await waitFor(
    'an unread entry in the Attention tab',
    page.waitForSelector('.entry.unread', { timeout: left() }),
  );
}

async function openSourceDetails(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Show' }).click({ timeout: left() });
  await page.locator('.sources [data-source="op-1"] button.why').click({ timeout: left() });
  await waitFor(
    "op-1's details",
    page.waitForFunction(
      () =>
        (
          document.querySelector('.sources [data-source="op-1"] .details')?.textContent ?? ''
        ).includes('sign-in refused'),
      undefined,
      until(),
    ),
  );
}

/** Alerts that popped up as toasts fade after a few seconds; a picture should not catch one. */
async function dismissToasts(page: Page): Promise<void> {
  const close = page.locator('.toasts button.close');
  for (let i = 0; i < 20 && (await close.count()) > 0; i++) {
    await close
      .first()
      .click({ timeout: left() })
      .catch(() => undefined);
  }
}

/** `headless … --ui` as a child; resolves with the window's URL once it is printed. */
async function startHeadless(args: string[], env: Record<string, string> = {}): Promise<string> {
  const proc = headlessProcess([...args, '--ui'], { env });
  cleanups.push(() => proc.stop());
  let url = '';
  await proc.waitUntil(
    () => {
      url = /status window at (\S+)/.exec(proc.stderrText())?.[1] ?? '';
      return url !== '';
    },
    'the web-mode URL on stderr',
    left(),
  );
  return url;
}

function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `orderbell-screenshots-${tag}-`));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The demo at its own pace (about a minute from first order to last), as a user first sees it. */
async function startDemoScene(): Promise<string> {
  return startHeadless(['--demo', '--state-dir', tempDir('demo')]);
}

async function startBrokenScene(): Promise<string> {
  const op = await SIMULATORS.orangepill.start();
  cleanups.push(() => op.close());
  const hd = await SIMULATORS.houdini.start();
  cleanups.push(() => hd.close());
  const dir = tempDir('broken');
  const sources = brokenSources(op, hd, await closedPort());
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ sources }));
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir);
  const orders = savedOrders(sources as { id: string; provider: OrderRecord['provider'] }[]);
  writeFileSync(join(stateDir, STATE_FILE), JSON.stringify({ version: STATE_VERSION, orders }));
  return startHeadless(['--config', config, '--state-dir', stateDir]);
}

const SCENES: Record<Scene, { start(): Promise<string>; ready(page: Page): Promise<void> }> = {
  demo: { start: startDemoScene, ready: demoReady },
  broken: { start: startBrokenScene, ready: brokenReady },
};

async function photograph(browser: Browser, url: string, shot: Shot): Promise<string> {
  const page = await browser.newPage({ viewport: shot.viewport, colorScheme: shot.colorScheme });
  cleanups.push(() => page.close());
  page.setDefaultTimeout(left());
  await page.goto(url, { timeout: left() });
  await SCENES[shot.scene].ready(page);
  await shot.open?.(page);
  await dismissToasts(page);
  const path = join(DOCS, shot.file);
  await page.screenshot({ path, timeout: left(), animations: 'disabled', caret: 'hide' });
  return path;
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist-renderer', 'index.html'))) {
    throw new Error('the window is not built: run npm run build');
  }
  const { executablePath } = await locateChromium();
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: left() });
  cleanups.push(() => browser.close());
  for (const [i, scene] of (Object.keys(SCENES) as Scene[]).entries()) {
    if (i > 0) startClock();
    const url = await SCENES[scene].start();
    // One page per picture, taken in turn on the same running app.
    for (const shot of SHOTS.filter((s) => s.scene === scene)) {
      const path = await photograph(browser, url, shot);
      process.stderr.write(`screenshots: ${path} (${Math.round(statSync(path).size / 1024)} kB)\n`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (err) {
  process.stderr.write(`screenshots: failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
