// Demo mode: all five simulators on loopback, the config sources that watch them (docs/config.md),
// and the scripted lifecycles that walk their orders to every terminal status in about a minute.
import type { ProviderKey } from '../engine/types.js';
import { startHoudiniSimulator } from './houdini.js';
import { startNexchangeSimulator } from './nexchange.js';
import { startOrangepillSimulator } from './orangepill.js';
import { startOzzobitSimulator } from './ozzobit.js';
import { SATORIEX_DEFAULT_MARKET, startSatoriexSimulator } from './satoriex.js';
import { demoScripts, newRunNonce, scriptOrderIds } from './scripts.js';
import type { ScriptStep, Simulator } from './types.js';

export interface Demo {
  /** In provider order: nexchange, ozzobit, houdini, orangepill, satoriex. */
  sims: Simulator[];
  /** Config sources (docs/config.md), ids nx, oz, hd, op, sx. */
  sources: unknown[];
  /** The random tag in every demo order id. */
  nonce: string;
  /** Starts the scripted lifecycles (once; later calls do nothing). */
  run(): void;
  close(): Promise<void>;
}

function credential(sim: Simulator, field: string): string {
  const value = sim.credentials[field];
  if (value === undefined) throw new Error(`${sim.provider} simulator has no ${field}`);
  return value;
}

function sourceFor(
  sim: Simulator,
  scripts: Record<ProviderKey, ScriptStep[]>,
): Record<string, unknown> {
  switch (sim.provider) {
    case 'nexchange':
      // n.exchange cannot list orders: the client must name the refs it watches.
      return {
        id: 'nx',
        provider: 'nexchange',
        label: 'n.exchange (demo)',
        url: sim.url,
        orders: scriptOrderIds(scripts.nexchange),
      };
    case 'ozzobit':
      return {
        id: 'oz',
        provider: 'ozzobit',
        label: 'OZZOBiT (demo)',
        url: sim.url,
        apiKey: credential(sim, 'apiKey'),
        env: 'STAGING',
        orders: [],
        allOrders: true,
      };
    case 'houdini':
      return {
        id: 'hd',
        provider: 'houdini',
        label: 'Houdini Swap (demo)',
        url: sim.url,
        restUrl: sim.restUrl,
        partnerId: credential(sim, 'partnerId'),
        secret: credential(sim, 'secret'),
        orders: [],
      };
    case 'orangepill':
      return {
        id: 'op',
        provider: 'orangepill',
        label: 'Orangepill (demo)',
        url: sim.url,
        realmKey: credential(sim, 'realmKey'),
      };
    case 'satoriex':
      return {
        id: 'sx',
        provider: 'satoriex',
        label: 'SatoriEx (demo)',
        url: sim.url,
        token: credential(sim, 'token'),
        markets: [SATORIEX_DEFAULT_MARKET],
        marketData: false,
        restUrl: sim.restUrl,
      };
  }
}

export async function startDemo(options: { speed?: number } = {}): Promise<Demo> {
  // ORDERBELL_DEMO_SPEED lets tests and benchmarks run the one-minute demo faster through the CLI.
  const speed = options.speed ?? Number(process.env.ORDERBELL_DEMO_SPEED ?? 1);
  if (!(speed > 0) || !Number.isFinite(speed)) {
    throw new RangeError(`speed must be a positive number, got ${speed}`);
  }
  const nonce = newRunNonce();
  const scripts = demoScripts(nonce);
  const started = await Promise.allSettled([
    startNexchangeSimulator(),
    startOzzobitSimulator(),
    startHoudiniSimulator(),
    startOrangepillSimulator(),
    startSatoriexSimulator(),
  ]);
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
    sources: sims.map((sim) => sourceFor(sim, scripts)),
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
