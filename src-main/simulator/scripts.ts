// How a scripted lifecycle is written, as data: each simulator's demo script (its `*_SIMULATOR`
// descriptor) is built from these, and tests replay the same data at high speed. Times are absolute
// (seconds since the script started), so the lifecycles of one provider interleave in one list.
import { randomBytes } from 'node:crypto';
import type { NativeStatus } from './descriptor.js';
import type { ScriptStep } from './types.js';

/** A short random tag put into every demo id, so repeated demo runs never collide in a state dir. */
export function newRunNonce(): string {
  return randomBytes(2).toString('hex');
}

export type Timeline = readonly (readonly [atSeconds: number, status: NativeStatus])[];

/** One order walking through `timeline` (on `market`, for providers with markets). */
export function lifecycle(orderId: string, timeline: Timeline, market?: string): ScriptStep[] {
  return timeline.map(([at, status]) => ({
    after: at * 1000,
    orderId,
    status,
    ...(market !== undefined && { market }),
  }));
}

/** A non-order event at `atSeconds`, about `entityId` when given. */
export function activity(atSeconds: number, event: string, entityId?: string): ScriptStep {
  return {
    after: atSeconds * 1000,
    activity: event,
    ...(entityId !== undefined && { orderId: entityId }),
  };
}

/** Sorted by time, so a reader (and a debugger) sees the script in the order it plays. */
export function script(...parts: (ScriptStep | ScriptStep[])[]): ScriptStep[] {
  return parts.flat().sort((a, b) => a.after - b.after);
}

/** The distinct order ids a script moves (activity entities excluded), in first-seen order. */
export function scriptOrderIds(steps: readonly ScriptStep[]): string[] {
  const ids = new Set<string>();
  for (const step of steps) if (!('activity' in step)) ids.add(step.orderId);
  return [...ids];
}

/** How long a script runs at the given speed, in ms. */
export function scriptDurationMs(steps: readonly ScriptStep[], speed = 1): number {
  return Math.max(0, ...steps.map((step) => step.after)) / speed;
}
