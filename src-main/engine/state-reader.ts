// Reading the saved order state (orders.json) without trusting it. The file is ours, but a disk
// error, a hand edit or an older or newer build can leave any shape in it, and a wrong type must
// never crash start-up (on every start) or be taken at its word ("ab" watched as "a" and "b").
//
// Two levels of damage: a file that is not JSON, or whose frame (version, orders list) is wrong,
// is unreadable as a whole; a readable file keeps every good part and names what it dropped (the
// field and why), so the caller can set the original aside and say so. Unknown fields are ignored
// (a newer build may add some). Every string has a length limit, so a file cannot make us hold
// megabyte ids.
import { z } from 'zod';
import { HISTORY_LIMIT, MAX_ORDER_ID_LENGTH, MAX_SOURCE_ID_LENGTH } from '../shared/limits.js';
import { orderKey, type OrderRecord } from '../shared/orders.js';
import { PROVIDERS } from '../shared/providers.js';
import { STATUSES } from '../shared/statuses.js';

export const STATE_VERSION = 1;

/**
 * Longest provider status code kept: the providers' codes and event names are under 40 characters;
 * 256 leaves room for any real one and none for a flood.
 */
export const MAX_PROVIDER_STATUS_LENGTH = 256;
/** Longest time stamp: ISO 8601 is 24 characters; 64 allows other precisions and offsets. */
export const MAX_STAMP_LENGTH = 64;
/**
 * Longest order detail (pair, amounts, tx hash, reason) kept; a longer one is shortened, not a
 * reason to drop the order: details are for display, the order's identity is elsewhere.
 */
export const MAX_DETAIL_LENGTH = 1024;
/** Longest unverified reason code (catch-up.ts UNVERIFIED_REASONS keys are short words). */
export const MAX_REASON_LENGTH = 64;

const capped = (max: number) => z.string().max(max, `longer than ${max} characters`);
const nonEmpty = (max: number) => capped(max).min(1, 'empty');
const sourceId = nonEmpty(MAX_SOURCE_ID_LENGTH);
const orderId = nonEmpty(MAX_ORDER_ID_LENGTH);
const stamp = capped(MAX_STAMP_LENGTH);
const detail = z
  .string()
  .transform((s) => (s.length > MAX_DETAIL_LENGTH ? s.slice(0, MAX_DETAIL_LENGTH) : s))
  .optional();

const transition = z.object({
  status: z.enum(STATUSES),
  providerStatus: capped(MAX_PROVIDER_STATUS_LENGTH),
  at: stamp,
});

// Fields in the order the engine writes them (shared/orders.ts firstRecord).
const recordSchema = z.object({
  source: sourceId,
  provider: z.enum(PROVIDERS),
  orderId,
  status: z.enum(STATUSES),
  providerStatus: capped(MAX_PROVIDER_STATUS_LENGTH),
  terminal: z.boolean(),
  firstSeenAt: stamp,
  updatedAt: stamp,
  // The same rule as the store applies while running (shared/orders.ts withTransition): the first
  // sighting and the latest steps.
  history: z
    .array(transition)
    .transform((h) =>
      h.length > HISTORY_LIMIT ? [h[0]!, ...h.slice(h.length - HISTORY_LIMIT + 1)] : h,
    ),
  details: z
    .object({
      pair: detail,
      amountIn: detail,
      currencyIn: detail,
      amountOut: detail,
      currencyOut: detail,
      txHash: detail,
      reason: detail,
    })
    .optional(),
  unverifiedSince: stamp.optional(),
  unverifiedReason: capped(MAX_REASON_LENGTH).optional(),
});

/** Orders the user removed: `source NUL orderId` (engine.ts `hidden`). */
const hiddenKey = z.string().refine(
  (key) => {
    const nul = key.indexOf('\u0000');
    return (
      nul >= 0 &&
      sourceId.safeParse(key.slice(0, nul)).success &&
      orderId.safeParse(key.slice(nul + 1)).success
    );
  },
  {
    message: `not a source id (≤ ${MAX_SOURCE_ID_LENGTH}) and order id (≤ ${MAX_ORDER_ID_LENGTH})`,
  },
);

export interface SavedState {
  orders: OrderRecord[];
  baselined: string[];
  /** Orders added at run time, per source id (a Map: a source may be called `__proto__`). */
  watched: Map<string, string[]>;
  hidden: string[];
}

/** One kind of damage: where (`orders[].orderId`, `watched["hd"]`, `baselined`) and why. */
export interface Dropped {
  field: string;
  why: string;
  count: number;
}

export type StateReading =
  | { readable: false; why: string }
  | {
      readable: true;
      state: SavedState;
      /** Order records in the file; `droppedOrders` of them were not kept. */
      totalOrders: number;
      droppedOrders: number;
      dropped: Dropped[];
    };

/** The state file's text, checked: what can be kept, and what could not and why. */
export function readState(text: string): StateReading {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { readable: false, why: `not JSON: ${(err as Error).message}` };
  }
  if (!isPlainObject(raw)) return { readable: false, why: `top level is ${kindOf(raw)}` };
  if (raw.version !== STATE_VERSION) {
    return { readable: false, why: `unexpected version ${describe(raw.version)}` };
  }
  if (!Array.isArray(raw.orders)) {
    return { readable: false, why: `"orders" is ${kindOf(raw.orders)}, not a list` };
  }
  const damage = new DamageTally();
  const state: SavedState = {
    orders: [],
    baselined: [],
    watched: new Map(),
    hidden: [],
  };
  const byKey = new Map<string, OrderRecord>();
  let droppedOrders = 0;
  for (const r of raw.orders as unknown[]) {
    const parsed = recordSchema.safeParse(r);
    if (!parsed.success) {
      droppedOrders += 1;
      damage.add(issueField('orders[]', parsed.error.issues[0]), parsed.error.issues[0]?.message);
      continue;
    }
    const key = orderKey(parsed.data.source, parsed.data.orderId);
    // The engine never writes an order twice; if the file does, the later record stands (as the
    // store did before) and the earlier one is counted as dropped.
    if (byKey.has(key)) {
      droppedOrders += 1;
      damage.add('orders[]', 'the same order twice');
    }
    byKey.set(key, parsed.data as OrderRecord);
  }
  state.orders = [...byKey.values()];
  state.baselined = stringList(raw, 'baselined', sourceId, damage);
  state.hidden = stringList(raw, 'hidden', hiddenKey, damage);
  if (raw.watched !== undefined) {
    if (!isPlainObject(raw.watched)) {
      damage.add('watched', `${kindOf(raw.watched)}, not an object`);
    } else {
      for (const [source, ids] of Object.entries(raw.watched)) {
        const field = `watched[${JSON.stringify(cut(source))}]`;
        if (!sourceId.safeParse(source).success) {
          damage.add('watched', `a source id longer than ${MAX_SOURCE_ID_LENGTH} or empty`);
        } else if (!Array.isArray(ids)) {
          damage.add(field, `${kindOf(ids)}, not a list of order ids`);
        } else {
          state.watched.set(source, keepValid(ids as unknown[], orderId, field, damage));
        }
      }
    }
  }
  return {
    readable: true,
    state,
    totalOrders: raw.orders.length,
    droppedOrders,
    dropped: damage.list(),
  };
}

/** One sentence for the user: what was dropped, by field and reason (empty when nothing was). */
export function describeDamage(reading: Extract<StateReading, { readable: true }>): string {
  if (reading.dropped.length === 0) return '';
  const parts = reading.dropped.map(
    (d) => `${d.field}: ${d.why}${d.count > 1 ? ` (×${d.count})` : ''}`,
  );
  const orders =
    reading.droppedOrders > 0
      ? `${reading.droppedOrders} of ${reading.totalOrders} order record(s) dropped, `
      : '';
  return `${orders}${reading.state.orders.length} kept; dropped: ${parts.join('; ')}`;
}

/** A list of strings at `raw[name]`: absent is empty; a non-list is dropped whole, bad items one by one. */
function stringList(
  raw: Record<string, unknown>,
  name: string,
  item: z.ZodType<string>,
  damage: DamageTally,
): string[] {
  const value = raw[name];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    damage.add(name, `${kindOf(value)}, not a list`);
    return [];
  }
  return keepValid(value as unknown[], item, `${name}[]`, damage);
}

function keepValid(
  items: unknown[],
  item: z.ZodType<string>,
  field: string,
  damage: DamageTally,
): string[] {
  const kept: string[] = [];
  for (const value of items) {
    const parsed = item.safeParse(value);
    if (parsed.success) kept.push(parsed.data);
    else damage.add(field, parsed.error.issues[0]?.message);
  }
  return kept;
}

/** Counts damage by field and reason, in the order first seen. */
class DamageTally {
  private readonly counts = new Map<string, Dropped>();

  add(field: string, why = 'invalid'): void {
    const key = `${field}\u0000${why}`;
    const known = this.counts.get(key);
    if (known) known.count += 1;
    else this.counts.set(key, { field, why, count: 1 });
  }

  list(): Dropped[] {
    return [...this.counts.values()];
  }
}

/** `orders[].history[].status` for an issue at ["history", 3, "status"] (indices folded). */
function issueField(prefix: string, issue: z.ZodError['issues'][number] | undefined): string {
  if (!issue || issue.path.length === 0) return prefix;
  const path = issue.path.map((p) => (typeof p === 'number' ? '[]' : `.${String(p)}`)).join('');
  return `${prefix}${path}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value === undefined) return 'missing';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A value quoted for a message, never long: the file may hold megabytes in one field. */
function describe(value: unknown): string {
  return value === undefined ? '(missing)' : cut(JSON.stringify(value) ?? String(value));
}

function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
