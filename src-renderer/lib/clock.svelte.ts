// The window's sense of "now", for ages ("5m") and pauses: one clock ticking once a second for
// every component, instead of a `now` handed down through each of them.
export class Clock {
  #now = $state(0);

  constructor(now: number = Date.now()) {
    this.#now = now;
  }

  get now(): number {
    return this.#now;
  }

  /** Tick every `intervalMs` until the returned function is called (the app's edge effect). */
  start(intervalMs = 1000): () => void {
    const timer = setInterval(() => (this.#now = Date.now()), intervalMs);
    return () => clearInterval(timer);
  }
}
