// What the source form shows per provider: pure data, safe for the renderer bundle (the zod schemas
// in engine/config.ts stay on the main side and remain the one validator; a unit test keeps the two
// in step).
import type { ProviderKey } from '../engine/types.js';

export type FieldKind = 'url' | 'text' | 'secret' | 'boolean' | 'list' | 'number' | 'enum';

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  placeholder?: string;
  options?: readonly string[];
  help?: string;
}

const url = (placeholder: string): FieldSpec => ({
  name: 'url',
  label: 'Stream URL',
  kind: 'url',
  required: true,
  placeholder,
});

const orders: FieldSpec = {
  name: 'orders',
  label: 'Orders to watch',
  kind: 'list',
  required: false,
  help: 'Comma separated order ids; more can be added from the orders list.',
};

const heartbeat: FieldSpec = {
  name: 'heartbeatIntervalMs',
  label: 'Heartbeat (ms)',
  kind: 'number',
  required: false,
  help: "Leave empty for the provider's default.",
};

/** Common fields (id, label, enabled) are part of every form and not listed here. */
export const PROVIDER_FIELDS: Record<ProviderKey, readonly FieldSpec[]> = {
  nexchange: [url('wss://api.n.exchange/orders/'), orders, heartbeat],
  ozzobit: [
    url('wss://ozzobit.com/ws'),
    { name: 'apiKey', label: 'API key', kind: 'secret', required: true },
    {
      name: 'env',
      label: 'Environment',
      kind: 'enum',
      required: false,
      options: ['PRODUCTION', 'STAGING'],
    },
    orders,
    { name: 'allOrders', label: 'All partner orders', kind: 'boolean', required: false },
    heartbeat,
  ],
  houdini: [
    url('wss://…'),
    {
      name: 'restUrl',
      label: 'REST origin',
      kind: 'url',
      required: false,
      placeholder: 'https://api.example',
      help: 'Enables catch-up after a reconnect.',
    },
    { name: 'partnerId', label: 'Partner id', kind: 'text', required: true },
    { name: 'secret', label: 'Secret', kind: 'secret', required: true },
    { ...orders, help: 'Empty: all partner orders.' },
    heartbeat,
  ],
  orangepill: [
    url('wss://stream.orangepill.cloud'),
    { name: 'realmKey', label: 'Realm key', kind: 'secret', required: true },
    heartbeat,
  ],
  satoriex: [
    url('wss://staging.satoriex.io/ws'),
    { name: 'token', label: 'JWT', kind: 'secret', required: true },
    { name: 'markets', label: 'Markets', kind: 'list', required: false },
    { name: 'marketData', label: 'Market data as activity', kind: 'boolean', required: false },
    {
      name: 'restUrl',
      label: 'REST origin',
      kind: 'url',
      required: false,
      placeholder: 'https://…',
      help: 'Enables the 60 s fallback poll.',
    },
    heartbeat,
  ],
};

export function isSecretField(provider: ProviderKey, name: string): boolean {
  return PROVIDER_FIELDS[provider].some((f) => f.name === name && f.kind === 'secret');
}
