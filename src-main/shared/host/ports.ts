// What the bridge host needs from the face that runs it: the engine surface it drives, the windows
// it streams to, and the demo switch. Types only, so every host module can name them without
// importing the host itself.
import type { Engine } from '../../engine/engine.js';
import type { OrderStore } from '../../engine/store.js';
import type { ChangeBatch } from '../bridge.js';
import type { NotifyChange, NotifyTarget, QuietHours } from '../notify.js';

/** One window (or browser tab) attached to the host. */
export interface BridgeClient {
  send(batch: ChangeBatch): void;
}

/** How the host switches the demo simulators on and off (absent: the face has no demo). */
export interface DemoControl {
  /** Start the simulators; returns their raw source configs and a function that starts their scripts. */
  start(): Promise<{ sources: unknown[]; run(): void }>;
  stop(): Promise<void>;
  /**
   * Set by a face that runs each mode on a state folder of its own (web mode under `npm start`):
   * a switch then only saves the choice and calls this, and the engine running now is left as it
   * is until its process ends. Swapping sources in it first would let the other mode's orders and
   * alerts into this folder in the moment before the restart.
   */
  restartInto?(demo: boolean): void;
}

/**
 * The part of the Engine the host uses (the real Engine satisfies it; tests pass a fake, which may
 * leave out the connection test: the command then says it is not available).
 */
export type EnginePort = Pick<
  Engine,
  | 'on'
  | 'onMark'
  | 'snapshot'
  | 'watch'
  | 'unwatch'
  | 'reconnect'
  | 'reconnectAll'
  | 'upsertSource'
  | 'removeSource'
  | 'sourceStatus'
  | 'sourceConfigs'
  | 'problems'
> & { readonly store: Pick<OrderStore, 'get'> } & Partial<Pick<Engine, 'testConnection'>>;

/**
 * Where the host hands the saved targets and quiet hours, and sends a test alert: the engine's
 * forwarding (`engine.setNotify`, `engine.testTarget`). Absent: targets are saved but not used.
 */
export interface ForwardingPort {
  /** `removed`: targets the user deleted, whose waiting alerts are dropped (others only pause). */
  setNotify(
    targets: NotifyTarget[],
    quietHours?: QuietHours,
    change?: NotifyChange,
  ): Promise<void> | void;
  /** One attempt, not through the outbox; `detail` is the target's answer (secrets masked). */
  testTarget(target: NotifyTarget): Promise<{ ok: boolean; detail: string }>;
}

/**
 * The engine's forwarding, when this engine has it (a test's fake engine may not): the host then
 * hands it the saved targets and sends "Send test" through it.
 */
export function forwardingOf(engine: object): ForwardingPort | undefined {
  const e = engine as Partial<ForwardingPort>;
  return typeof e.setNotify === 'function' && typeof e.testTarget === 'function'
    ? (e as ForwardingPort)
    : undefined;
}
