// What the window and the engine both know about each provider: one entry per provider, pure data,
// safe for the renderer bundle. Adding a provider is one entry here plus its engine descriptor
// (engine/providers/index.ts); everything else (the key list, the key type, names, badge colours,
// form fields, the secret field names) is read from this table.
import {
  heartbeatField,
  ordersField,
  restUrlField,
  urlField,
  type FieldSpec,
} from './source-fields.js';

export interface ProviderInfo {
  /** Display name, spelled as the provider spells it. */
  name: string;
  /** Two letters for the badge beside an order or an activity line. */
  short: string;
  /** Badge colour (any CSS colour); the window sets it as the `--p-color` custom property. */
  colour: string;
  /**
   * What the source form shows beyond the common id, label and enabled, in order. A field of kind
   * 'secret' is write-only in the window and redacted from every log.
   */
  fields: readonly FieldSpec[];
}

const PROVIDER_TABLE = {
  nexchange: {
    name: 'n.exchange',
    short: 'NX',
    colour: '#2f6fdf',
    fields: [
      urlField('wss://api.n.exchange/orders/'),
      restUrlField('https://api.n.exchange'),
      ordersField,
      {
        name: 'origin',
        label: 'Origin header',
        kind: 'url',
        required: false,
        placeholder: 'https://api.n.exchange',
        help: "Sent on connect; empty: the stream URL's own (https for wss).",
      },
      heartbeatField,
    ],
  },
  ozzobit: {
    name: 'OZZOBiT',
    short: 'OZ',
    colour: '#7a4fd1',
    fields: [
      urlField('wss://ozzobit.com/ws'),
      restUrlField('https://ozzobit.com'),
      { name: 'apiKey', label: 'API key', kind: 'secret', required: true },
      {
        name: 'env',
        label: 'Environment',
        kind: 'enum',
        required: false,
        options: ['PRODUCTION', 'STAGING'],
      },
      ordersField,
      { name: 'allOrders', label: 'All partner orders', kind: 'boolean', required: false },
      heartbeatField,
    ],
  },
  houdini: {
    name: 'Houdini Swap',
    short: 'HD',
    colour: '#0f8a7a',
    fields: [
      urlField('wss://…'),
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
      { ...ordersField, help: 'Empty: all partner orders.' },
      heartbeatField,
    ],
  },
  orangepill: {
    name: 'Orangepill',
    short: 'OP',
    colour: '#c75e08',
    fields: [
      urlField('wss://stream.orangepill.cloud'),
      { name: 'realmKey', label: 'Realm key', kind: 'secret', required: true },
      heartbeatField,
    ],
  },
  satoriex: {
    name: 'SatoriEx',
    short: 'SX',
    colour: '#b83a6b',
    fields: [
      urlField('wss://staging.satoriex.io/ws'),
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
      heartbeatField,
    ],
  },
} as const satisfies Record<string, ProviderInfo>;

export type ProviderKey = keyof typeof PROVIDER_TABLE;

/** Every provider, typed as the shared description (the table above keeps its literal types). */
export const PROVIDER_INFO: Readonly<Record<ProviderKey, ProviderInfo>> = PROVIDER_TABLE;

/**
 * The provider keys, in the table's order (the order of menus and of the demo). Typed non-empty, as
 * the table above visibly is, so the first key can serve as a default.
 */
export const PROVIDERS = Object.keys(PROVIDER_TABLE) as unknown as readonly [
  ProviderKey,
  ...ProviderKey[],
];

/** One value per provider, computed from its description. */
export function mapProviders<T>(
  fn: (info: ProviderInfo, key: ProviderKey) => T,
): Record<ProviderKey, T> {
  return Object.fromEntries(PROVIDERS.map((key) => [key, fn(PROVIDER_INFO[key], key)])) as Record<
    ProviderKey,
    T
  >;
}

export function isProviderKey(value: unknown): value is ProviderKey {
  return typeof value === 'string' && Object.hasOwn(PROVIDER_TABLE, value);
}

export const PROVIDER_NAMES: Readonly<Record<ProviderKey, string>> = mapProviders((p) => p.name);
export const PROVIDER_SHORT: Readonly<Record<ProviderKey, string>> = mapProviders((p) => p.short);
/** The form fields per provider (common id, label and enabled are part of every form). */
export const PROVIDER_FIELDS: Readonly<Record<ProviderKey, readonly FieldSpec[]>> = mapProviders(
  (p) => p.fields,
);

/** Every field name that carries a credential, over all providers: never logged, never shown. */
export const SECRET_FIELDS: readonly string[] = [
  ...new Set(PROVIDERS.flatMap((p) => PROVIDER_INFO[p].fields.filter(isSecret).map((f) => f.name))),
];

function isSecret(f: FieldSpec): boolean {
  return f.kind === 'secret';
}

export function isSecretField(provider: ProviderKey, name: string): boolean {
  return PROVIDER_INFO[provider].fields.some((f) => f.name === name && isSecret(f));
}

/** Status labels per provider before the engine has sent its tables: none known yet. */
export function emptyStatusLabels(): Record<ProviderKey, Record<string, string>> {
  return mapProviders(() => ({}));
}
