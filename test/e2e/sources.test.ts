// Issue 11 items 5 and 8 in real Chromium, against real web mode and the real engine: seven broken
// sources (bad keys on the Orangepill and Houdini simulators, an n.exchange address nobody serves)
// in a 400×600 popup still leave the order list usable; each has "Edit credentials"; Escape, focus
// after Cancel / Keep / Remove, announced errors, named checkboxes and badge contrast; and when the
// web-mode server goes away a banner says so and the actions are off.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenSources, closedPort, savedOrders } from '../../bench/lib/broken-sources.js';
import { startWebMode, type WebMode } from '../../src-main/cli/web-mode.js';
import { parseConfig } from '../../src-main/engine/config.js';
import { Engine, STATE_FILE } from '../../src-main/engine/engine.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { FilePersistence } from '../../src-main/engine/persistence.js';
import { STATE_VERSION } from '../../src-main/engine/state-reader.js';
import { JsonFileSettings } from '../../src-main/shared/settings-port.js';
import { SIMULATORS } from '../../src-main/simulator/index.js';
import type { Simulator } from '../../src-main/simulator/types.js';
import { TEST_TUNING } from '../integration/harness.js';
import { ensureBuilt, launchChromium, screenshot, watchPageProblems } from './support.js';

let op: Simulator;
let hd: Simulator;
let engine: Engine;
let web: WebMode;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  ensureBuilt('renderer');
  op = await SIMULATORS.orangepill.start();
  hd = await SIMULATORS.houdini.start();
  const sources = brokenSources(op, hd, await closedPort());
  const { config } = parseConfig({ sources });
  const stateDir = mkdtempSync(join(tmpdir(), 'orderbell-e2e-sources-'));
  const orders = savedOrders(config.sources);
  writeFileSync(join(stateDir, STATE_FILE), JSON.stringify({ version: STATE_VERSION, orders }));
  const settings = new JsonFileSettings(stateDir);
  await settings.setSources(config.sources);
  engine = new Engine({
    config,
    persistence: new FilePersistence(stateDir),
    log: silentLogger(),
    tuning: TEST_TUNING,
  });
  await engine.start();
  web = await startWebMode({
    engine,
    log: silentLogger(),
    settings,
    demo: undefined,
    root: join(process.cwd(), 'dist-renderer'),
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 400, height: 600 }, colorScheme: 'light' });
  page.setDefaultTimeout(10_000);
  problems = watchPageProblems(page);
  await page.goto(web.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await web?.close().catch(() => {});
  await engine?.stop();
  await op?.close();
  await hd?.close();
});

/** Order rows wholly inside the viewport. */
function visibleRows(p: Page): Promise<number> {
  return p.$$eval('article[data-order-id]', (els) => {
    const h = window.innerHeight;
    return els.filter((e) => {
      const r = e.getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.bottom <= h;
    }).length;
  });
}

const focused = (p: Page) =>
  p.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName ?? '',
      name: el?.getAttribute('name') ?? '',
      focus: el?.getAttribute('data-focus') ?? '',
      text: el?.textContent?.trim() ?? '',
    };
  });

describe('broken sources at 400×600 (item 5)', () => {
  it('seven broken sources: one summary line, the order list still shows at least 6 rows', async () => {
    await page.waitForFunction(
      () =>
        document.querySelector('.sources .summary')?.getAttribute('data-broken') === '7' &&
        document.querySelectorAll('article[data-order-id]').length > 0,
      { timeout: 20_000 },
    );
    await page.waitForTimeout(300);
    await screenshot(page, 'sources-broken-summary-400x600');
    const summary = page.locator('.sources .summary');
    expect(await summary.textContent()).toContain('7 sources need attention');
    await expect.poll(() => summary.textContent()).toContain('5 sign-in refused');
    expect(await visibleRows(page)).toBeGreaterThanOrEqual(6);
  });

  it('on demand: one line per source with its real reason, in full on a click', async () => {
    await page.getByRole('button', { name: 'Show' }).click();
    expect(await page.locator('.sources li.broken').count()).toBe(7);
    const heights = await page.$$eval('.sources li.broken', (els) =>
      els.map((e) => e.getBoundingClientRect().height),
    );
    for (const h of heights) expect(h).toBeLessThan(30);
    // The bar stays within its cap and scrolls; the list below keeps rows in view.
    const bar = await page.locator('ul.sources').boundingBox();
    expect(bar?.height ?? 999).toBeLessThanOrEqual(153);
    expect(await visibleRows(page)).toBeGreaterThanOrEqual(3);
    const why = page.locator('.sources [data-source="op-1"] button.why');
    expect(await why.textContent()).toContain('sign-in refused');
    await why.click();
    await expect
      .poll(() => page.locator('.sources [data-source="op-1"] .details').textContent())
      .toContain('Orangepill · op-1: sign-in refused');
    await screenshot(page, 'sources-broken-400x600');
    await why.click();
    expect(await page.locator('.sources .details').count()).toBe(0);
  });

  it('"Edit credentials" opens the source form in Settings, on its credential', async () => {
    await page.getByRole('button', { name: 'Edit credentials of op-2' }).click();
    await page.waitForSelector('form[aria-label="Edit op-2"]');
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'INPUT', name: 'realmKey' });
  });
});

describe('keyboard and screen reader (item 8)', () => {
  it('Escape closes the form; the focus returns to its Edit button', async () => {
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('form.source-form').count()).toBe(0);
    expect(await focused(page)).toMatchObject({ focus: 'edit-op-2' });
  });

  it('Cancel on a new source returns the focus to "Add source"', async () => {
    await page.getByRole('button', { name: '+ Add source' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await focused(page)).toMatchObject({ focus: 'add' });
  });

  it('errors are announced and tied to their field', async () => {
    await page.getByRole('button', { name: '+ Add source' }).click();
    await page.getByLabel('Id', { exact: true }).fill('my nx source!');
    await page.locator('summary', { hasText: 'Advanced' }).click();
    await page.getByLabel(/^Heartbeat/).fill('50');
    await page.getByRole('button', { name: 'Add source' }).click();
    const id = page.getByLabel('Id', { exact: true });
    expect(await id.getAttribute('aria-invalid')).toBe('true');
    const described = await id.getAttribute('aria-describedby');
    expect(await page.locator(`#${described}`).textContent()).toBe(
      'may hold only letters, digits, ".", "_" and "-"',
    );
    const live = await page.locator('[aria-live="assertive"]').textContent();
    expect(live).toContain('2 fields need a change');
    expect(live).toContain('Heartbeat (ms) must be a whole number of milliseconds >=1000');
    expect(await focused(page)).toMatchObject({ name: 'id' });
    await page.keyboard.press('Escape');
  });

  it('every Mute and Enabled checkbox names its source', async () => {
    for (const s of ['op-1', 'op-2', 'op-3', 'hd-1', 'hd-2', 'nx-1', 'nx-2']) {
      expect(await page.getByRole('checkbox', { name: `Mute ${s}`, exact: true }).count()).toBe(1);
      expect(await page.getByRole('checkbox', { name: `Enabled: ${s}`, exact: true }).count()).toBe(
        1,
      );
    }
  });

  it('Keep and Remove leave the focus on a sensible button, never <body>', async () => {
    await page.getByRole('button', { name: 'Remove nx-1', exact: true }).click();
    expect(await focused(page)).toMatchObject({ focus: 'confirm-nx-1' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // Keep
    expect(await focused(page)).toMatchObject({ focus: 'remove-nx-1' });
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // Remove nx-1?
    await expect.poll(() => page.locator('.settings [data-source="nx-1"]').count()).toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ focus: 'edit-nx-2' });
  });

  it('Escape collapses an expanded order', async () => {
    await page.getByRole('tab', { name: /Orders/ }).click();
    const first = page.locator('article[data-order-id]').first();
    const orderId = (await first.getAttribute('data-order-id')) ?? '';
    await first.getByRole('button', { name: orderId, exact: true }).click();
    await page.waitForSelector(`[aria-label="Timeline of order ${orderId}"]`);
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.locator(`[aria-label="Timeline of order ${orderId}"]`).count())
      .toBe(0);
  });

  it('provider badges reach 4.5:1 in light and dark mode', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const ratios = await page.$$eval('.badge', (els) => {
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const lum = (c: string) => {
          const [r = 0, g = 0, b = 0] = rgb(c).map((v) => {
            const s = v / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        return els.map((e) => {
          const cs = getComputedStyle(e);
          const a = lum(cs.color);
          const b = lum(cs.backgroundColor);
          return {
            text: e.textContent,
            ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
          };
        });
      });
      expect(new Set(ratios.map((r) => r.text)).size).toBeGreaterThanOrEqual(3);
      for (const r of ratios) expect(r.ratio, `${scheme} ${r.text}`).toBeGreaterThanOrEqual(4.5);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });
});

describe('the window loses the app (item 5)', () => {
  it('a banner says so and the actions are off until it is back', async () => {
    await web.close();
    await page.waitForSelector('.banner.lost', { timeout: 10_000 });
    expect(await page.locator('.banner.lost').textContent()).toContain('out of reach');
    expect(await page.getByRole('button', { name: 'Reconnect op-1' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Edit credentials of op-1' }).isDisabled()).toBe(
      true,
    );
    await page.getByRole('tab', { name: 'Settings' }).click();
    expect(await page.getByRole('button', { name: '+ Add source' }).isDisabled()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Mute op-1' }).isDisabled()).toBe(true);
    await screenshot(page, 'sources-link-lost');
    expect(problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(p))).toEqual([]);
  });
});
