// One undo list per lifetime (a connection attempt, a wait between attempts, a source session):
// every listener attached and every timer created during that lifetime registers how to undo
// itself here, and the owner ends the lifetime with one `run()`. A handler that belongs to a
// finished lifetime is detached, so it cannot act on the next one; no identity checks needed
// (the `subs` / `cleanup()` pattern of socket.io-client's Manager).

/** Anything with `on` / `off` for any event name (Node's EventEmitter, `ws`, a socket.io Socket). */
export interface Listenable {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

export class UndoList {
  private undos: Array<() => void> = [];
  private done = false;

  /** True once `run()` has been called: the lifetime is over. */
  get closed(): boolean {
    return this.done;
  }

  /**
   * Register one undo. On a closed list it runs at once, so something set up late (by a callback
   * that outlived its lifetime) is undone instead of leaking; an error it throws is dropped, as
   * there is no owner left to report it to.
   */
  add(undo: () => void): void {
    if (this.done) {
      runGuarded(undo);
      return;
    }
    this.undos.push(undo);
  }

  /** `target.on(event, listener)`, with its `off` registered. */
  listen<A extends unknown[]>(
    target: Listenable,
    event: string,
    listener: (...args: A) => void,
  ): void {
    const l = listener as unknown as (...args: unknown[]) => void;
    target.on(event, l);
    this.add(() => target.off(event, l));
  }

  /** `setTimeout`, cleared on undo (clearing a timer that already fired is harmless). */
  timeout(fn: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(fn, ms);
    this.add(() => clearTimeout(timer));
    return timer;
  }

  /** `setInterval`, cleared on undo. */
  interval(fn: () => void, ms: number): NodeJS.Timeout {
    const timer = setInterval(fn, ms);
    this.add(() => clearInterval(timer));
    return timer;
  }

  /**
   * End the lifetime: run every undo exactly once, the last registered first (like a stack of
   * `defer`s: what was set up on top of something is taken down before it). A throwing undo does
   * not stop the others; its error is returned for the owner to log. Later calls do nothing.
   */
  run(): unknown[] {
    if (this.done) return [];
    this.done = true;
    const undos = this.undos;
    this.undos = [];
    const errors: unknown[] = [];
    for (let i = undos.length - 1; i >= 0; i -= 1) {
      const error = runGuarded(undos[i] as () => void);
      if (error !== undefined) errors.push(error);
    }
    return errors;
  }
}

/** Runs `fn`; returns what it threw (undefined when it did not). */
function runGuarded(fn: () => void): unknown {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err ?? new Error('undo threw a nullish value');
  }
}

/**
 * A lifetime that comes and goes (a connection, the wait before the next attempt): `begin()` ends
 * the current one, if any, and opens a fresh undo list, so there is never more than one.
 */
export class UndoSlot {
  private current: UndoList | undefined;

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  begin(): UndoList {
    this.end();
    const list = new UndoList();
    this.current = list;
    return list;
  }

  end(): void {
    const list = this.current;
    this.current = undefined;
    for (const err of list?.run() ?? []) this.onError(err);
  }
}
