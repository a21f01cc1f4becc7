// The simulator-side send path of the bench: a list of (order, native status) updates pushed through
// the simulator's own setStatus (the same code path as the demo and the tests), either as fast as
// possible in batches or paced at a fixed rate. The send time of every update is kept, keyed by
// order id + native status, so the reader can match each NDJSON line to its frame on the same clock.
import type { Simulator } from '../../src-main/simulator/types.js';

export interface Update {
  orderId: string;
  status: string | number;
}

export function updateKey(orderId: string, status: string | number): string {
  return `${orderId}\u0000${String(status)}`;
}

/** Lifecycles walked step by step across all orders (step-major), as a burst after a gap looks. */
export function stepMajor(orders: readonly string[], lifecycle: (i: number) => Update['status'][]) {
  const walks = orders.map((id, i) => ({ id, steps: lifecycle(i) }));
  const longest = Math.max(0, ...walks.map((w) => w.steps.length));
  const updates: Update[] = [];
  for (let step = 0; step < longest; step += 1) {
    for (const w of walks) {
      const status = w.steps[step];
      if (status !== undefined) updates.push({ orderId: w.id, status });
    }
  }
  return updates;
}

export interface FloodOptions {
  /** Updates per second; undefined = as fast as the simulator can send. */
  rate?: number;
  /** Updates per event-loop turn at full speed (so the bench can read its children meanwhile). */
  batch?: number;
  /** Hard bound on the whole flood. */
  timeoutMs?: number;
}

export interface FloodResult {
  sentAt: Map<string, number>;
  firstAt: number;
  lastAt: number;
}

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

export async function flood(
  sim: Simulator,
  updates: readonly Update[],
  opts: FloodOptions = {},
): Promise<FloodResult> {
  const sentAt = new Map<string, number>();
  const batch = opts.batch ?? 200;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const firstAt = performance.now();
  const deadline = firstAt + timeoutMs;
  let i = 0;
  const send = (n: number) => {
    const end = Math.min(updates.length, i + n);
    // One write per connection for the whole batch: the bench process must out-send the client.
    sim.burst(() => {
      for (; i < end; i += 1) {
        const u = updates[i] as Update;
        sentAt.set(updateKey(u.orderId, u.status), performance.now());
        sim.setStatus(u.orderId, u.status);
      }
    });
  };
  while (i < updates.length) {
    if (performance.now() > deadline) throw new Error(`flood did not finish in ${timeoutMs} ms`);
    if (opts.rate === undefined) {
      send(batch);
      await yieldTurn();
    } else {
      const due = Math.floor(((performance.now() - firstAt) * opts.rate) / 1000) + 1;
      send(Math.max(0, due - i));
      await tick();
    }
  }
  return { sentAt, firstAt, lastAt: performance.now() };
}
