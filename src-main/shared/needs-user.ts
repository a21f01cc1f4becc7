// States that need the user, as data: an order waiting on them (on hold, e.g. a KYC check), a
// refund the provider has started (money is coming back, the order will not complete), or an order
// we could not verify after a connection gap. Everything else is ordinary progress. The window
// makes these stand out and lists them in the attention view; one table, so a new provider code is
// one line here. Pure, safe for the window.
import type { OrderRecord } from './orders.js';
import type { ProviderKey } from './providers.js';
import type { NormalizedStatus } from './statuses.js';
import { isUnverified, unverifiedReasonWords } from './unverified.js';

export type NeedsUserKind = 'on_hold' | 'refund_started' | 'unverified';

/** What the user reads about each kind (completes "Needs you: …"). */
export const NEEDS_USER_WORDS: Readonly<Record<NeedsUserKind, string>> = {
  on_hold: 'on hold until you act',
  refund_started: 'refund started',
  unverified: 'could not check after a connection gap',
};

/**
 * Provider codes that need the user although their normalized status reads as ordinary progress
 * (NEXCHANGE's INITIATED REFUND is `processing`), or that say more than the status does (PENDING
 * KYC is `on_hold`: the user has to pass the check). Codes as the status tables key them.
 */
export const NEEDS_USER_CODES: Readonly<
  Partial<Record<ProviderKey, Readonly<Record<string, { kind: NeedsUserKind; words: string }>>>>
> = {
  nexchange: {
    '6': { kind: 'refund_started', words: 'refund started' },
    '9': { kind: 'on_hold', words: 'identity check (KYC) needed' },
  },
};

/** Normalized statuses that need the user whatever the provider's code. */
const NEEDS_USER_STATUSES: Readonly<Partial<Record<NormalizedStatus, NeedsUserKind>>> = {
  on_hold: 'on_hold',
};

export interface NeedsUser {
  kind: NeedsUserKind;
  /** The reason in plain words. */
  words: string;
}

type Judged = Pick<
  OrderRecord,
  'provider' | 'status' | 'providerStatus' | 'terminal' | 'unverifiedSince' | 'unverifiedReason'
>;

/** Whether (and why) an order needs the user now; undefined for ordinary progress or an end. */
export function needsUser(order: Judged): NeedsUser | undefined {
  if (isUnverified(order)) {
    return {
      kind: 'unverified',
      words: `${NEEDS_USER_WORDS.unverified}: ${unverifiedReasonWords(order.unverifiedReason)}`,
    };
  }
  if (order.terminal) return undefined;
  const codes = NEEDS_USER_CODES[order.provider];
  if (codes && Object.hasOwn(codes, order.providerStatus)) {
    const hit = codes[order.providerStatus];
    if (hit) return { kind: hit.kind, words: hit.words };
  }
  const kind = NEEDS_USER_STATUSES[order.status];
  return kind ? { kind, words: NEEDS_USER_WORDS[kind] } : undefined;
}
