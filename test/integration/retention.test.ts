// Bounded growth end to end: a Houdini all-orders source against the strict simulator. An order
// finishes and alerts; a month later (the engine's clock; the simulator's REST still lists it and
// its stream sends it again) it has left the store and must neither alert nor come back as an order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FilePersistence } from '../../src-main/engine/persistence.js';
import { startHoudiniSimulator } from '../../src-main/simulator/houdini.js';
import { sleep, stateOf, watch } from './harness.js';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-03-01T12:00:00.000Z');

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('retention (Houdini all-orders, strict simulator)', () => {
  it('a retired finished order re-sent by the server does not alert or reappear', async () => {
    const sim = await startHoudiniSimulator({ strict: true });
    cleanups.push(() => sim.close());
    const dir = mkdtempSync(join(tmpdir(), 'orderbell-retention-it-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const source = {
      id: 's',
      provider: 'houdini',
      url: sim.url,
      restUrl: sim.restUrl,
      partnerId: sim.credentials.partnerId,
      secret: sim.credentials.secret,
      orders: [],
    };

    const first = await watch([source], {
      persistence: new FilePersistence(dir),
      now: () => new Date(T0),
    });
    await first.until(() => stateOf(first, 's') === 'connected', 'connected');
    await first.until(() => sim.stats.restCalls >= 1, 'first pass');
    sim.setStatus('H-OLD', 1);
    await first.until(() => first.orders('H-OLD').length > 0, 'seen live');
    sim.setStatus('H-OLD', 4);
    await first.until(() => first.alerts().length === 1, 'the alert');
    await first.stop();

    const calls = sim.stats.restCalls;
    const later = await watch([source], {
      persistence: new FilePersistence(dir),
      now: () => new Date(T0 + 31 * DAY),
    });
    cleanups.push(() => later.stop());
    expect(later.engine.store.get('s', 'H-OLD')).toBeUndefined();
    await later.until(() => stateOf(later, 's') === 'connected', 'connected again');
    // The catch-up list names H-OLD (finished) again.
    await later.until(() => sim.stats.restCalls > calls, 'catch-up list');
    // The stream says it again too, then a new order finishes: its alert shows the link works.
    sim.setStatus('H-OLD', 4);
    sim.setStatus('H-NEW', 4);
    await later.until(() => later.alerts().length === 1, 'the new alert');
    await sleep(200);
    expect(later.alerts().map((a) => a.orderId)).toEqual(['H-NEW']);
    expect(later.orders('H-OLD')).toEqual([]);
    expect(later.engine.store.get('s', 'H-OLD')).toBeUndefined();
  });
});
