// Demo scripts and the demo (startDemo): scripts at high speed, contract-valid demo sources, every
// terminal status reached; and no simulator module importing Electron.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src-main/engine/config.js';
import { demoScripts, startDemo } from '../../../src-main/simulator/demo.js';
import { startHoudiniSimulator } from '../../../src-main/simulator/houdini.js';
import { startNexchangeSimulator } from '../../../src-main/simulator/nexchange.js';
import { scriptDurationMs } from '../../../src-main/simulator/scripts.js';
import { WAIT_MS, cleanups, runCleanups, track, until, type Json } from './raw-clients.js';

afterEach(runCleanups);

describe('scripts and demo', () => {
  test('runScript plays a demo script at high speed; close() cancels a running one', async () => {
    const sim = track(await startHoudiniSimulator());
    const script = demoScripts('t3st').houdini;
    expect(scriptDurationMs(script)).toBeLessThanOrEqual(56_000);
    const started = Date.now();
    await sim.runScript(script, 200);
    expect(Date.now() - started).toBeLessThan(WAIT_MS);
    expect(new Set(sim.orders().values())).toEqual(new Set([4, 5, 6, 7, 8]));

    const other = await startNexchangeSimulator();
    const running = other.runScript(demoScripts('t3st').nexchange, 1);
    await other.close();
    await running; // settled by close(), not left hanging for a minute
    expect(other.orders().size).toBe(0);
  });

  test('startDemo: contract sources, nonce in ids, every terminal status reached', async () => {
    const demo = await startDemo({ speed: 100 });
    cleanups.push(() => demo.close());
    const sources = demo.sources as Json[];
    expect(sources.map((s) => s.id)).toEqual(['nx', 'oz', 'hd', 'op', 'sx']);
    const { config, warnings } = parseConfig({ sources });
    expect(warnings).toEqual([]);
    expect(config.sources).toHaveLength(5);
    expect(sources[0]).toMatchObject({
      provider: 'nexchange',
      orders: expect.arrayContaining([expect.stringMatching(/^NX-[0-9a-f]{4}-\d+$/)]),
    });
    expect(sources[1]).toMatchObject({ provider: 'ozzobit', allOrders: true });
    expect(sources[2]).toMatchObject({
      provider: 'houdini',
      orders: [],
      restUrl: expect.any(String),
    });
    expect(sources[4]).toMatchObject({
      provider: 'satoriex',
      markets: ['mkt_abc123'],
      restUrl: expect.any(String),
    });

    demo.run();
    demo.run(); // idempotent
    const terminal: Record<string, (string | number)[]> = {
      nexchange: [0, 7, 8, 16],
      ozzobit: ['ORDER_COMPLETED', 'ORDER_FAILED', 'ORDER_CANCELLED'],
      houdini: [4, 5, 6, 7, 8],
      orangepill: [
        'deposit.processed',
        'transaction.done',
        'withdrawal.failed',
        'apps.payment.done',
      ],
      satoriex: [
        'filled',
        'canceled',
        'expired',
        'rejected',
        'withdraw_confirmed',
        'withdraw_failed',
        'deposit_confirmed',
      ],
    };
    const reached = () =>
      demo.sims.every((sim) => {
        const values = new Set(sim.orders().values());
        return (terminal[sim.provider] ?? []).every((s) => values.has(s));
      });
    await until(reached, 'every terminal status', 3_000);
    for (const sim of demo.sims) {
      for (const id of sim.orders().keys()) expect(id).toContain(demo.nonce);
    }
  });

  test('two demo runs use different nonces', async () => {
    const a = await startDemo();
    cleanups.push(() => a.close());
    const b = await startDemo();
    cleanups.push(() => b.close());
    expect(a.nonce).not.toBe(b.nonce);
  });

  test('no simulator module imports electron', () => {
    const dir = join(import.meta.dirname, '../../../src-main/simulator');
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file), 'utf8')).not.toMatch(/from ['"]electron/);
    }
  });
});
