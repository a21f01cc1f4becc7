// End to end, blindness made visible: web mode against a strict n.exchange simulator (it does only
// what the provider's page promises: no status replay on subscribe) and a source without restUrl,
// so after a dropped link nothing can verify the open order. Its row must say "unverified since"
// until the next update clears it. Screenshots at 400×600, light and dark.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebMode, type WebMode } from '../../src-main/cli/web-mode.js';
import { parseConfig } from '../../src-main/engine/config.js';
import { Engine } from '../../src-main/engine/engine.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { FilePersistence } from '../../src-main/engine/persistence.js';
import type { EngineEvent } from '../../src-main/engine/types.js';
import { JsonFileSettings } from '../../src-main/shared/settings-port.js';
import { UNVERIFIED_REASON_WORDS } from '../../src-main/shared/unverified.js';
import { startNexchangeSimulator, type NexchangeSim } from '../../src-main/simulator/nexchange.js';
import {
  ensureBuilt,
  launchChromium,
  RENDERER_DIR,
  screenshot,
  watchPageProblems,
} from './support.js';

const ORDER = 'NX-BLIND-1';

let sim: NexchangeSim;
let engine: Engine;
let web: WebMode;
let browser: Browser;
let page: Page;
let problems: string[];
const lines: EngineEvent[] = [];

const row = () => page.locator(`[data-order-id="${ORDER}"]`);
const source = () => page.locator('.sources [data-source="nx"]');

beforeAll(async () => {
  ensureBuilt('renderer');
  const stateDir = mkdtempSync(join(tmpdir(), 'orderbell-e2e-blind-'));
  sim = await startNexchangeSimulator({ strict: true });
  engine = new Engine({
    config: parseConfig({
      sources: [{ id: 'nx', provider: 'nexchange', url: sim.url, orders: [ORDER] }],
    }).config,
    persistence: new FilePersistence(stateDir),
    log: silentLogger(),
  });
  engine.on((e) => lines.push(e));
  await engine.start();
  web = await startWebMode({
    engine,
    log: silentLogger(),
    settings: new JsonFileSettings(stateDir),
    demo: undefined,
    root: RENDERER_DIR,
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 400, height: 600 }, colorScheme: 'light' });
  page.setDefaultTimeout(10_000);
  problems = watchPageProblems(page);
  await page.goto(web.url);
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await engine?.stop();
  await sim?.close();
});

describe('an order nobody could verify after a gap, in Chromium', () => {
  it('is marked after the link drops, and the next update clears the mark', async () => {
    await page.waitForSelector('.sources [data-source="nx"][data-state="connected"]');
    await expect.poll(() => sim.connections(), { timeout: 10_000 }).toBe(1);
    sim.setStatus(ORDER, 11);
    await expect.poll(() => row().getAttribute('data-status')).toBe('pending');
    await expect.poll(() => row().locator('.blind').count()).toBe(0);

    // The link drops; the strict server replays nothing and the source has no restUrl.
    sim.drop();
    await expect
      .poll(() => row().locator('.blind').textContent(), { timeout: 20_000 })
      .toContain('unverified since');
    const text = (await row().locator('.blind').textContent()) ?? '';
    expect(text).toContain('could not check after the connection gap');
    expect(text).toContain(UNVERIFIED_REASON_WORDS.no_catch_up);
    await expect.poll(() => source().getAttribute('data-unverified')).toBe('1');
    expect(await source().textContent()).toContain('1 order unverified after a gap');
    // The NDJSON stream said it once, as a problem line, with no order line for the mark.
    const problem = lines.find((l) => l.kind === 'problem' && l.orderIds?.includes(ORDER));
    expect(problem).toMatchObject({ code: 'unverified_after_gap', source: 'nx' });
    const orderLines = lines.filter((l) => l.kind === 'order' && l.orderId === ORDER);
    expect(orderLines).toHaveLength(1);

    await screenshot(page, 'unverified-01-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'unverified-02-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // The next update, once resubscribed: the row is trusted again.
    await expect.poll(() => sim.connections(), { timeout: 10_000 }).toBe(1);
    sim.setStatus(ORDER, 13);
    await expect.poll(() => row().getAttribute('data-status')).toBe('processing');
    await expect.poll(() => row().locator('.blind').count()).toBe(0);
    await expect.poll(() => source().getAttribute('data-unverified')).toBe('0');
    expect(await source().textContent()).not.toContain('unverified');
    await screenshot(page, 'unverified-03-cleared');
  });

  it('no page errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
