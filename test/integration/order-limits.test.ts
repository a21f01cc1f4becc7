// Issue 10, item 4: what a provider sends is bounded before it is stored. Order ids longer than the
// limit or holding control characters make the frame unusable; a source past its tracked-order
// limit gets no new orders, says so once, and keeps everything already stored.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TRACKED_ORDERS_LIMIT_CODE } from '../../src-main/engine/order-intake.js';
import { FilePersistence } from '../../src-main/engine/persistence.js';
import { MAX_ORDER_ID_LENGTH } from '../../src-main/shared/limits.js';
import { startHoudiniSimulator } from '../../src-main/simulator/houdini.js';
import type { Simulator } from '../../src-main/simulator/types.js';
import { sleep, stateOf, watch, type Watching } from './harness.js';

// Houdini in all-orders mode: every order of the partner account comes in, named or not.
const source = (sim: Simulator, orders: string[] = []) => ({
  id: 's',
  provider: 'houdini',
  url: sim.url,
  partnerId: sim.credentials.partnerId,
  secret: sim.credentials.secret,
  orders,
});
const PENDING = 0;
const COMPLETED = 4;
const frame = (id: string, status: number) =>
  JSON.stringify({ type: 'order_update', data: { houdiniId: id, status } });

describe('order intake limits', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setUp(options: { maxTrackedOrdersPerSource?: number; orders?: string[] } = {}) {
    const sim = await startHoudiniSimulator();
    cleanups.push(() => sim.close());
    const dir = mkdtempSync(join(tmpdir(), 'ob-intake-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const w = await watch([source(sim, options.orders)], {
      persistence: new FilePersistence(dir),
      ...options,
    });
    cleanups.push(() => w.stop());
    await w.until(() => stateOf(w, 's') === 'connected', 'connected');
    return { sim, w, dir };
  }

  const mentions = (w: Watching, text: string) =>
    w.events.some((e) => JSON.stringify(e).includes(text));

  it.each([
    ['one of 512 KiB (under the 1 MiB frame cap)', 'H'.repeat(512 * 1024)],
    ['one just past the limit', 'H'.repeat(MAX_ORDER_ID_LENGTH + 1)],
    ['a newline', 'HD-1\nHD-2'],
    ['an ANSI escape', 'HD-\u001b[31mred'],
    ['a C1 control', 'HD-\u009b2J'],
  ])('an order id that is %s is an unusable frame: not stored, nothing emitted', async (_n, id) => {
    const { sim, w, dir } = await setUp();
    sim.sendRaw(frame(id, COMPLETED));
    sim.sendRaw(frame('HD-OK', COMPLETED)); // what follows is still read
    await w.until(() => w.alerts().length === 1, 'the next order alerts');
    expect(w.alerts()[0]!.orderId).toBe('HD-OK');
    expect(w.orders().map((o) => o.orderId)).toEqual(['HD-OK']);
    expect([...w.engine.store.all()].map((r) => r.orderId)).toEqual(['HD-OK']);
    expect(mentions(w, id)).toBe(false);
    await w.stop();
    for (const file of ['orders.json', 'alerts.ndjson']) {
      expect(statSync(join(dir, file)).size).toBeLessThan(4_096);
      expect(readFileSync(join(dir, file), 'utf8')).not.toContain(id);
    }
  });

  it('an id of exactly the limit is kept', async () => {
    const { sim, w } = await setUp();
    const id = 'H'.repeat(MAX_ORDER_ID_LENGTH);
    sim.sendRaw(frame(id, COMPLETED));
    await w.until(() => w.alerts().length === 1, 'alert');
    expect(w.alerts()[0]!.orderId).toBe(id);
  });

  it('a source past its tracked-order limit: new orders refused, said once, nothing stored lost', async () => {
    const LIMIT = 5;
    const { sim, w, dir } = await setUp({ maxTrackedOrdersPerSource: LIMIT });
    const ids = Array.from({ length: 40 }, (_, i) => `HD-${i}`);
    for (const id of ids) sim.sendRaw(frame(id, PENDING));
    await w.until(() => w.orders().length === LIMIT, 'the first orders tracked');
    await sleep(200);
    const problems = w.events.filter((e) => e.kind === 'problem');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: TRACKED_ORDERS_LIMIT_CODE,
      source: 's',
      count: LIMIT,
    });
    expect(problems[0]!.kind === 'problem' && problems[0]!.detail).toContain(
      `tracks ${LIMIT} orders`,
    );
    expect(w.orders().map((o) => o.orderId)).toEqual(ids.slice(0, LIMIT));

    // A tracked order still alerts; a refused one does not, and is not said again.
    sim.sendRaw(frame('HD-0', COMPLETED));
    sim.sendRaw(frame('HD-30', COMPLETED));
    await w.until(() => w.alerts().length === 1, 'the tracked order alerts');
    await sleep(200);
    expect(w.alerts().map((a) => a.orderId)).toEqual(['HD-0']);
    expect(w.events.filter((e) => e.kind === 'problem')).toHaveLength(1);

    // Removing an order makes room again (the count is taken afresh while at the limit).
    w.engine.unwatch('s', 'HD-0');
    await sleep(1_100);
    sim.sendRaw(frame('HD-31', PENDING));
    await w.until(() => w.orders('HD-31').length === 1, 'room again after a removal');

    await w.stop();
    const saved = readFileSync(join(dir, 'orders.json'), 'utf8');
    for (const id of ids.slice(1, LIMIT)) expect(saved).toContain(`"${id}"`);
    expect(saved).not.toContain('"HD-30"');
  });
});
