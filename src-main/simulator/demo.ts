// Demo mode: every provider's simulator on loopback, the config sources that watch them
// (docs/config.md), and the scripted lifecycles that walk their orders to every terminal status in
// about a minute. What is particular to a provider lives in its simulator's descriptor (index.ts).
import type { ProviderKey } from '../engine/types.js';
import { mapProviders, PROVIDERS } from '../shared/providers.js';
import { SIMULATORS } from './index.js';
import { newRunNonce } from './scripts.js';
import type { ScriptStep, Simulator } from './types.js';

export interface Demo {
  /** In provider order (shared/providers.ts): nexchange, ozzobit, houdini, orangepill, satoriex. */
  sims: Simulator[];
  /** Config sources (docs/config.md), ids from the simulator descriptors: nx, oz, hd, op, sx. */
  sources: unknown[];
  /** The random tag in every demo order id. */
  nonce: string;
  /** Starts the scripted lifecycles (once; later calls do nothing). */
  run(): void;
  close(): Promise<void>;
}

/** Every provider's demo script, its order ids tagged with `nonce`. */
export function demoScripts(nonce: string): Record<ProviderKey, ScriptStep[]> {
  const id = (prefix: string, n: number) => `${prefix}-${nonce}-${n}`;
  return mapProviders((_, provider) => SIMULATORS[provider].demo.script(id));
}

export async function startDemo(options: { speed?: number } = {}): Promise<Demo> {
  // ORDERBELL_DEMO_SPEED lets tests and benchmarks run the one-minute demo faster through the CLI.
  const speed = options.speed ?? Number(process.env.ORDERBELL_DEMO_SPEED ?? 1);
  if (!(speed > 0) || !Number.isFinite(speed)) {
    throw new RangeError(`speed must be a positive number, got ${speed}`);
  }
  const nonce = newRunNonce();
  const scripts = demoScripts(nonce);
  const started = await Promise.allSettled(PROVIDERS.map((p) => SIMULATORS[p].start()));
  const sims = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    // Do not leave the ones that did start listening.
    await Promise.all(sims.map((sim) => sim.close()));
    throw failed.reason;
  }

  let running = false;
  return {
    sims,
    sources: sims.map((sim) => SIMULATORS[sim.provider].demo.source(sim, scripts[sim.provider])),
    nonce,
    run(): void {
      if (running) return;
      running = true;
      for (const sim of sims) void sim.runScript(scripts[sim.provider], speed);
    },
    async close(): Promise<void> {
      await Promise.all(sims.map((sim) => sim.close()));
    },
  };
}
