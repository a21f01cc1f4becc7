// What the demo and the soak need to know about one provider's simulator, kept in that simulator's
// module (the `*_SIMULATOR` object at its end) and listed once in `index.ts`. The simulator side's
// counterpart of the engine's provider descriptors: shared code (demo, soak, tests) reads a
// provider's demo and soak data only through this, so adding a provider adds one entry.
import type { AdapterTuning } from '../engine/providers/index.js';
import type { ScriptStep, Simulator } from './types.js';

/** A provider-native status, as `Simulator.setStatus` takes it (number code or event name). */
export type NativeStatus = string | number;

/** Makes a demo order id unique to one run: `id('NX', 1001)` is `NX-<nonce>-1001`. */
export type DemoId = (prefix: string, n: number) => string;

/** The soak's seeded random source (bench/lib/rng.ts), so a seed replays the same lifecycles. */
export interface SoakRandom {
  /** Uniform in [0, 1). */
  next(): number;
  pick<T>(items: readonly T[]): T;
}

export interface SimulatorDescriptor {
  /** Starts the simulator with its defaults, on a free loopback port. */
  start(): Promise<Simulator>;
  /** The config source id the demo and the soak give this provider: short, unique, e.g. `nx`. */
  sourceId: string;
  demo: {
    /**
     * The demo lifecycles. At speed 1 each provider's script starts within ~2 s and ends by ~55 s,
     * with steps a few seconds apart, and reaches every terminal status the provider has. Times
     * are absolute, so several lifecycles interleave in one list (see `script` in scripts.ts).
     */
    script(id: DemoId): ScriptStep[];
    /** The config source (docs/config.md) watching the demo simulator that plays `script`. */
    source(sim: Simulator, script: readonly ScriptStep[]): Record<string, unknown>;
  };
  soak: {
    /**
     * One random lifecycle ending in a terminal status. Every draw comes from `rng`, in a fixed
     * order, so that one seed replays one run.
     */
    lifecycle(rng: SoakRandom): NativeStatus[];
    /** The config source watching `sim` for the soak's orders `orderIds`. */
    source(sim: Simulator, orderIds: string[]): Record<string, unknown>;
    /** What every `setStatus` of the soak carries besides the status (SatoriEx: the market). */
    statusOptions?: { market?: string };
    /**
     * The longest wait between two reconnect attempts under `tuning`, where the adapter does not
     * use the shared supervisor's backoff (whose cap is the default).
     */
    retryWaitMs?(tuning: AdapterTuning): number | undefined;
  };
}

/** A credential the simulator hands out, by config field name; a demo cannot run without it. */
export function credential(sim: Simulator, field: string): string {
  const value = sim.credentials[field];
  if (value === undefined) throw new Error(`${sim.provider} simulator has no ${field}`);
  return value;
}

/**
 * A soak lifecycle's middle: the first step always, each later one with probability 0.7 (one draw
 * per later step, in order), so lifecycles skip steps as real orders do.
 */
export function someOf<T>(rng: SoakRandom, steps: readonly T[]): T[] {
  return steps.filter((_, i) => i === 0 || rng.next() < 0.7);
}
