// The words of an alert: what a person reads in a notification banner, in one glance.
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

export function alertText(record: OrderRecord): { title: string; body: string } {
  const d = record.details ?? {};
  const sent = amount(d.amountIn, d.currencyIn);
  const received = amount(d.amountOut, d.currencyOut);
  const flow = sent && received ? `${sent} → ${received}` : (sent ?? received ?? d.pair);
  const parts = [`Order ${record.orderId}`, flow, d.reason].filter(Boolean);
  return {
    title: `${PROVIDER_NAMES[record.provider]}: order ${VERB[record.status]}`,
    body: `${parts.join(' · ')} (${record.providerStatus})`,
  };
}
