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
  /**
   * Starts the simulator with its defaults, on a free loopback port; `strict` as the start option
   * (types.ts), so the soak can run every simulator doing only what its page says.
   */
  start(options?: { strict?: boolean }): Promise<Simulator>;
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
    /**
     * The raw stream frame (for `Simulator.sendRaw`) announcing `orderId` at `status`, shaped as
     * this provider's order frames: the soak puts prototype keys ("constructor", "__proto__") where
     * the status goes, which must never become an order line nor touch the known order.
     */
    frame(orderId: string, status: NativeStatus): string;
    /** Faults only this provider's simulator can play, by the name the soak reports them under. */
    faults?: Readonly<Record<string, SoakFault>>;
    /**
     * Other users' orders, where this provider's stream carries them (SatoriEx market channels):
     * a lifecycle, and how one step of it is played. None of them may ever alert.
     */
    strangers?: {
      lifecycle(rng: SoakRandom): NativeStatus[];
      set(sim: Simulator, orderId: string, status: NativeStatus): void;
    };
  };
}

/** A provider-only fault of the soak: on at `begin`, off when the function it returns is called. */
export interface SoakFault {
  /** Relative weight among the soak's fault kinds (the shared ones weigh 2 or 3). */
  weight: number;
  /**
   * `gap`: the link is down while the fault lasts (changes happen only at the provider, and the
   * reconnect after it is measured); otherwise the link stays up and must stay `connected`.
   */
  gap: boolean;
  begin(sim: Simulator): () => void;
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
