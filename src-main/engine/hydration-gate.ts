// SatoriEx's "hydration gate" (its "WebSocket events" page), used by every adapter with a REST
// snapshot: while the snapshot is loading, stream events wait, then run in arrival order on top of
// it. Without it a slow REST answer could overwrite a newer streamed status with an older one.

const MAX_QUEUED = 100_000;

export class HydrationGate {
  private queue: Array<() => void> | undefined;
  dropped = 0;

  get closed(): boolean {
    return this.queue !== undefined;
  }

  /** Start holding events back (a snapshot is on its way). */
  close(): void {
    this.queue ??= [];
  }

  run(deliver: () => void): void {
    if (!this.queue) return deliver();
    if (this.queue.length >= MAX_QUEUED) {
      this.dropped += 1;
      return;
    }
    this.queue.push(deliver);
  }

  /** The snapshot is applied (or failed): deliver what waited, then let events straight through. */
  open(): void {
    const queued = this.queue;
    this.queue = undefined;
    for (const deliver of queued ?? []) deliver();
  }
}
