// Problems the windows show besides the engine's own (a damaged settings file, a save that failed).
// Adding one tells every window at once.
import type { Logger } from '../../engine/log.js';
import type { BridgeChange } from '../bridge.js';
import type { EnginePort } from './ports.js';

export class ProblemList {
  private readonly own: string[];

  constructor(
    private readonly engine: Pick<EnginePort, 'problems'>,
    private readonly enqueue: (change: BridgeChange) => void,
    private readonly log: Logger,
    initial: readonly string[] = [],
  ) {
    this.own = [...initial];
  }

  all(): string[] {
    return [...this.engine.problems, ...this.own];
  }

  add(problem: string): void {
    this.own.push(problem);
    this.enqueue({ type: 'problems', problems: this.all() });
  }

  /** A settings write that may fail later: a failure is logged and shown, never thrown. */
  watchSave(result: Promise<void> | void): void {
    if (result instanceof Promise) {
      result.catch((err: Error) => {
        this.log.error({ err: err.message }, 'saving settings failed');
        this.add(`saving settings failed: ${err.message}`);
      });
    }
  }
}
