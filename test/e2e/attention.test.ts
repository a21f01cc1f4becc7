// The attention view in Chromium at tray-popup size, on the real web mode with the demo: alerts
// count in the tab and in the document title, the view lists them with their reason, and "Mark all
// read" clears both counts.
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
import { JsonFileSettings } from '../../src-main/shared/settings-port.js';
import { startDemo, type Demo } from '../../src-main/simulator/demo.js';
import {
  ensureBuilt,
  launchChromium,
  RENDERER_DIR,
  screenshot,
  watchPageProblems,
} from './support.js';

/** Fast enough that the first orders finish within a few seconds. */
const SPEED = 6;
/** Where the lead wants the attention screenshot (outside the repository). */
const SHOT = process.env.ORDERBELL_ATTENTION_SHOT;

let demo: Demo;
let engine: Engine;
let web: WebMode;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  ensureBuilt('renderer');
  const stateDir = mkdtempSync(join(tmpdir(), 'orderbell-e2e-attention-'));
  demo = await startDemo({ speed: SPEED });
  engine = new Engine({
    config: parseConfig({ sources: demo.sources }).config,
    persistence: new FilePersistence(stateDir),
    log: silentLogger(),
  });
  await engine.start();
  web = await startWebMode({
    engine,
    log: silentLogger(),
    settings: new JsonFileSettings(stateDir),
    stateDir,
    demo,
    root: RENDERER_DIR,
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 400, height: 600 }, colorScheme: 'light' });
  page.setDefaultTimeout(10_000);
  problems = watchPageProblems(page);
  await page.goto(web.url);
  demo.run();
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await engine?.stop();
  await demo?.close();
});

describe('attention view in Chromium', () => {
  it('counts unread alerts in the tab and the title, lists them, and marks all read', async () => {
    await page.waitForFunction(() => /^\(\d+\) Orderbell/.test(document.title), undefined, {
      timeout: 40_000,
      polling: 200,
    });
    const tab = page.getByRole('tab', { name: /^Attention/ });
    const tabCount = Number(await tab.locator('.count').textContent());
    expect(tabCount).toBeGreaterThan(0);
    await tab.click();
    await page.waitForSelector('.entry.unread');
    const summary = await page.locator('.summary').textContent();
    expect(summary).toMatch(/^\d+ unread alerts?$/);
    // Each entry says what happened and why (or the status) under its title.
    const first = page.locator('.entry').first();
    expect(await first.locator('strong').textContent()).toMatch(/: order /);
    expect((await first.locator('.reason').textContent())?.trim().length).toBeGreaterThan(0);
    await page.waitForTimeout(1_000);
    const shot = await screenshot(page, 'attention-400x600');
    if (SHOT) await page.screenshot({ path: SHOT });
    expect(shot).toContain('attention');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'attention-400x600-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Mark all read' }).click();
    await page.waitForFunction(() => !/^\(\d+\)/.test(document.title), undefined, {
      timeout: 5_000,
    });
    // New alerts may arrive meanwhile; the ones shown before are read now.
    expect(await page.locator('.entry.unread').count()).toBeLessThan(tabCount + 1);
    expect(problems).toEqual([]);
  }, 60_000);
});
