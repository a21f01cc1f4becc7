// The words of an alert: what a person reads in a notification banner, in one glance. Human words
// only: the provider's reason in words (shared/orders.ts reasonWords) and its own label for the
// status when that says more than the verb; a bare code ("(0)", "(ORDER_CANCELLED)") means nothing
// in a banner, and the window shows it beside the status chip.
import { reasonWords } from '../shared/orders.js';
import { STATUS_TABLES } from './providers/index.js';
import type { OrderRecord } from './store.js';
import { PROVIDER_NAMES, type NormalizedStatus } from './types.js';

const VERB: Record<NormalizedStatus, string> = {
  pending: 'is pending',
  on_hold: 'is on hold',
  processing: 'is processing',
  completed: 'completed',
  failed: 'failed',
  canceled: 'was canceled',
  expired: 'expired',
  refunded: 'was refunded',
  deleted: 'was deleted',
};

function amount(value: string | undefined, currency: string | undefined): string | undefined {
  if (!value && !currency) return undefined;
  return [value, currency].filter(Boolean).join(' ');
}

/** The provider's label for its code, when it is more than the verb already says. */
function providerLabel(record: OrderRecord): string | undefined {
  const table = STATUS_TABLES[record.provider];
  const label = Object.hasOwn(table, record.providerStatus)
    ? table[record.providerStatus]?.label
    : undefined;
  if (!label) return undefined;
  const words = label.toLowerCase();
  const verb = VERB[record.status];
  const plain = words.replace(/^(order|transaction)\s+/, '');
  return verb.endsWith(plain) || verb.endsWith(plain.replace(/ll/, 'l')) ? undefined : words;
}

export function alertText(record: OrderRecord): { title: string; body: string } {
  const d = record.details ?? {};
  const sent = amount(d.amountIn, d.currencyIn);
  const received = amount(d.amountOut, d.currencyOut);
  const flow = sent && received ? `${sent} → ${received}` : (sent ?? received ?? d.pair);
  const reason = d.reason ? reasonWords(d.reason) : providerLabel(record);
  const parts = [`Order ${record.orderId}`, flow, reason].filter(Boolean);
  return {
    title: `${PROVIDER_NAMES[record.provider]}: order ${VERB[record.status]}`,
    body: parts.join(' · '),
  };
}
