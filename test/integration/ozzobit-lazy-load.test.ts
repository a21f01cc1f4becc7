// The OZZOBiT adapter loads socket.io-client when its first source starts (providers/ozzobit.ts), so
// a service or a desktop app without an OZZOBiT source never carries it. Vitest gives each test
// file a module registry of its own: in this file no source has started yet when the first test
// runs, whatever other files did.
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfigOf } from '../../src-main/engine/config.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { OzzobitSource } from '../../src-main/engine/providers/ozzobit.js';
import type { SourceContext } from '../../src-main/engine/source.js';
import type { ConnectionState } from '../../src-main/engine/types.js';
import { startOzzobitSimulator } from '../../src-main/simulator/ozzobit.js';
import type { Simulator } from '../../src-main/simulator/types.js';
import { sleep } from './harness.js';

function configOf(sim: Simulator): SourceConfigOf<'ozzobit'> {
  const { config } = parseConfig({
    sources: [{ id: 's', provider: 'ozzobit', url: sim.url, apiKey: sim.credentials.apiKey }],
  });
  return config.sources[0] as SourceConfigOf<'ozzobit'>;
}

/** A context that records connection states and nothing else (no orders are sent here). */
function contextOf(states: ConnectionState[]): SourceContext {
  return {
    sourceId: 's',
    provider: 'ozzobit',
    log: silentLogger(),
    connection: (state) => states.push(state),
    order: () => undefined,
    activity: () => undefined,
    heard: () => undefined,
    rtt: () => undefined,
    protocolError: () => undefined,
    watched: () => [],
    baselined: () => false,
    markBaselined: () => undefined,
    openOrders: () => [],
    unverified: () => undefined,
    verified: () => undefined,
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !condition(); i += 1) await sleep(10);
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('ozzobit: socket.io-client loaded on first start', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  // Runs first in this file: the library is not loaded yet when `stop()` comes.
  it('a source stopped before the library has loaded never connects and reads offline', async () => {
    const sim = await startOzzobitSimulator();
    cleanups.push(() => sim.close());
    const states: ConnectionState[] = [];
    const source = new OzzobitSource(configOf(sim), contextOf(states));
    source.start();
    source.start(); // a second start while loading opens nothing more
    await source.stop();
    await import('socket.io-client');
    await sleep(300);
    expect(sim.connections()).toBe(0);
    expect(states).toEqual(['offline']);
  });

  it('started once the library has loaded, a source connects, and one start makes one socket', async () => {
    const sim = await startOzzobitSimulator();
    cleanups.push(() => sim.close());
    const states: ConnectionState[] = [];
    const source = new OzzobitSource(configOf(sim), contextOf(states));
    cleanups.push(() => source.stop());
    source.start();
    source.start();
    await until(() => states.includes('connected'), 'connected');
    await sleep(100);
    expect(sim.connections()).toBe(1);
  });
});
