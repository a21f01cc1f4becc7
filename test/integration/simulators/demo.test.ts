// Demo scripts and the demo (startDemo): scripts at high speed, contract-valid demo sources, every
// order walked to a terminal status; and no simulator module importing Electron. What each
// provider's demo serves is pinned in its own test file (descriptor-suite.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src-main/engine/config.js';
import { STATUS_TABLES } from '../../../src-main/engine/providers/index.js';
import { isTerminal } from '../../../src-main/engine/status.js';
import { PROVIDERS } from '../../../src-main/shared/providers.js';
import { demoScripts, startDemo } from '../../../src-main/simulator/demo.js';
import { startHoudiniSimulator } from '../../../src-main/simulator/houdini.js';
import { SIMULATORS } from '../../../src-main/simulator/index.js';
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
    // One source per provider, in provider order, with the ids its simulator descriptor gives
    // (nx, oz, hd, op, sx; each provider's test file pins its own id and source fields).
    const sources = demo.sources as Json[];
    expect(sources.map((s) => s.provider)).toEqual([...PROVIDERS]);
    expect(sources.map((s) => s.id)).toEqual(PROVIDERS.map((p) => SIMULATORS[p].sourceId));
    expect(demo.sims.map((sim) => sim.provider)).toEqual([...PROVIDERS]);
    const { config, warnings } = parseConfig({ sources });
    expect(warnings).toEqual([]);
    expect(config.sources).toHaveLength(PROVIDERS.length);

    demo.run();
    demo.run(); // idempotent
    // Every order reaches the last status its script gives it, and that status is terminal (each
    // provider's test file lists the terminal statuses its demo reaches).
    const scripts = demoScripts(demo.nonce);
    const finals = new Map<string, string | number>();
    for (const p of PROVIDERS) {
      for (const step of scripts[p])
        if (!('activity' in step)) finals.set(step.orderId, step.status);
    }
    for (const sim of demo.sims) {
      for (const step of scripts[sim.provider]) {
        if ('activity' in step) continue;
        const entry = STATUS_TABLES[sim.provider][String(finals.get(step.orderId))];
        expect(entry && isTerminal(entry.status), `${step.orderId} ends terminal`).toBe(true);
      }
    }
    const reached = () =>
      demo.sims.every((sim) =>
        scripts[sim.provider].every(
          (step) =>
            'activity' in step || sim.orders().get(step.orderId) === finals.get(step.orderId),
        ),
      );
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
