// The demo lifecycles, as data. At speed 1 each provider's script starts within ~2 s and ends by
// ~55 s, with steps a few seconds apart; together they reach every terminal status each provider
// has. Times are absolute (seconds since the script started), so the lifecycles of one provider
// interleave in one list. Tests replay the same data at high speed.
import { randomBytes } from 'node:crypto';
import type { ProviderKey } from '../engine/types.js';
import { SATORIEX_DEFAULT_MARKET } from './satoriex.js';
import type { ScriptStep } from './types.js';

/** A short random tag put into every demo id, so repeated demo runs never collide in a state dir. */
export function newRunNonce(): string {
  return randomBytes(2).toString('hex');
}

type Timeline = readonly (readonly [atSeconds: number, status: string | number])[];

function lifecycle(orderId: string, timeline: Timeline, market?: string): ScriptStep[] {
  return timeline.map(([at, status]) => ({
    after: at * 1000,
    orderId,
    status,
    ...(market !== undefined && { market }),
  }));
}

function activity(atSeconds: number, event: string, entityId?: string): ScriptStep {
  return {
    after: atSeconds * 1000,
    activity: event,
    ...(entityId !== undefined && { orderId: entityId }),
  };
}

/** Sorted by time, so a reader (and a debugger) sees the script in the order it plays. */
function script(...parts: (ScriptStep | ScriptStep[])[]): ScriptStep[] {
  return parts.flat().sort((a, b) => a.after - b.after);
}

export function demoScripts(nonce: string): Record<ProviderKey, ScriptStep[]> {
  const id = (prefix: string, n: number) => `${prefix}-${nonce}-${n}`;
  return {
    // 16 COMPLETED; 0 CANCELED; 8 REFUNDED; 7 REFUND FAILED (via 9 PENDING KYC).
    nexchange: script(
      lifecycle(id('NX', 1001), [
        [1, 11],
        [6, 12],
        [12, 13],
        [19, 14],
        [26, 15],
        [34, 16],
      ]),
      lifecycle(id('NX', 1002), [
        [1.5, 11],
        [16, 0],
      ]),
      lifecycle(id('NX', 1003), [
        [2, 11],
        [9, 12],
        [17, 13],
        [30, 6],
        [44, 8],
      ]),
      lifecycle(id('NX', 1004), [
        [2.5, 11],
        [10, 9],
        [24, 13],
        [38, 6],
        [54, 7],
      ]),
    ),
    ozzobit: script(
      lifecycle(id('OZ', 2001), [
        [1, 'ORDER_CREATED'],
        [8, 'ORDER_PROCESSING'],
        [22, 'ORDER_COMPLETED'],
      ]),
      lifecycle(id('OZ', 2002), [
        [1.8, 'ORDER_CREATED'],
        [14, 'ORDER_PROCESSING'],
        [40, 'ORDER_FAILED'],
      ]),
      lifecycle(id('OZ', 2003), [
        [3, 'ORDER_CREATED'],
        [30, 'ORDER_CANCELLED'],
      ]),
      activity(12, 'KYC_STATUS_CHANGED', id('oz-user', 1)),
    ),
    // 4 FINISHED; 5 EXPIRED; 6 FAILED; 7 REFUNDED; 8 DELETED.
    houdini: script(
      lifecycle(id('HD', 3001), [
        [1, -2],
        [4, -1],
        [8, 0],
        [14, 1],
        [22, 2],
        [30, 3],
        [40, 4],
      ]),
      lifecycle(id('HD', 3002), [
        [1.5, -1],
        [6, 0],
        [36, 5],
      ]),
      lifecycle(id('HD', 3003), [
        [2, 0],
        [12, 1],
        [28, 6],
      ]),
      lifecycle(id('HD', 3004), [
        [2.5, 0],
        [16, 1],
        [26, 2],
        [46, 7],
      ]),
      lifecycle(id('HD', 3005), [
        [3, -1],
        [54, 8],
      ]),
    ),
    orangepill: script(
      lifecycle(id('OP', 4001), [
        [1, 'deposit.pending'],
        [6, 'deposit.received'],
        [12, 'deposit.processing'],
        [18, 'deposit.gas'],
        [26, 'deposit.processed'],
      ]),
      lifecycle(id('OP', 4002), [
        [2, 'transaction.processing'],
        [20, 'transaction.done'],
      ]),
      lifecycle(id('OP', 4003), [
        [3, 'withdrawal.creating'],
        [34, 'withdrawal.failed'],
      ]),
      lifecycle(id('OP', 4004), [
        [4, 'apps.payment.pending'],
        [16, 'apps.payment.processing'],
        [44, 'apps.payment.done'],
      ]),
      activity(1.5, 'user.created', id('op-user', 1)),
      activity(30, 'account.incoming', id('op-account', 1)),
    ),
    satoriex: script(
      lifecycle(
        id('ord', 5001),
        [
          [1, 'open'],
          [10, 'partially_filled'],
          [24, 'filled'],
        ],
        SATORIEX_DEFAULT_MARKET,
      ),
      lifecycle(
        id('ord', 5002),
        [
          [2, 'open'],
          [18, 'canceled'],
        ],
        SATORIEX_DEFAULT_MARKET,
      ),
      lifecycle(
        id('ord', 5003),
        [
          [3, 'open'],
          [50, 'expired'],
        ],
        SATORIEX_DEFAULT_MARKET,
      ),
      lifecycle(
        id('ord', 5004),
        [
          [4, 'open'],
          [8, 'rejected'],
        ],
        SATORIEX_DEFAULT_MARKET,
      ),
      lifecycle(id('wd', 5101), [
        [5, 'withdraw_requested'],
        [14, 'withdraw_submitted'],
        [22, 'withdraw_approved'],
        [38, 'withdraw_confirmed'],
      ]),
      lifecycle(id('wd', 5102), [
        [7, 'withdraw_requested'],
        [30, 'withdraw_failed'],
      ]),
      lifecycle(id('dep', 5201), [[12, 'deposit_confirmed']]),
      activity(12.5, 'wallet_changed'),
      activity(20, 'kyc_approved', id('sx-user', 1)),
    ),
  };
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
