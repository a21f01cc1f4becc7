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
  /** The provider's own page about its stream and credentials (https; opened externally). */
  docs: string;
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
    docs: 'https://docs.n.exchange/docs/current/others/websocket_usage',
    fields: [
      urlField(
        'wss://api.n.exchange/orders/',
        "n.exchange's public order stream: no account needed.",
      ),
      ordersField,
      restUrlField('Looks orders up after a reconnect, e.g. https://api.n.exchange (no key).'),
      {
        name: 'origin',
        label: 'Origin header',
        kind: 'url',
        required: false,
        rule: 'httpUrl',
        advanced: true,
        help: "Sent on connect; empty: the stream URL's own (https for wss).",
      },
      heartbeatField,
    ],
  },
  ozzobit: {
    name: 'OZZOBiT',
    short: 'OZ',
    colour: '#7a4fd1',
    docs: 'https://docs.ozzobit.com/features/websockets',
    fields: [
      urlField('wss://ozzobit.com/ws', "OZZOBiT's WebSocket address."),
      {
        name: 'apiKey',
        label: 'API key',
        kind: 'secret',
        required: true,
        help: 'Your partner API key, from your OZZOBiT partner account.',
      },
      ordersField,
      { name: 'allOrders', label: 'All partner orders', kind: 'boolean', required: false },
      {
        name: 'env',
        label: 'Environment',
        kind: 'enum',
        required: false,
        options: ['PRODUCTION', 'STAGING'],
        advanced: true,
        help: 'Sent with the key; PRODUCTION unless OZZOBiT gave you a staging key.',
      },
      restUrlField('Looks orders up after a reconnect, e.g. https://ozzobit.com (sends the key).'),
      heartbeatField,
    ],
  },
  houdini: {
    name: 'Houdini Swap',
    short: 'HD',
    colour: '#0c7a6c',
    docs: 'https://docs.houdiniswap.com/developer-hub/core-concepts/websocket-order-updates',
    fields: [
      urlField(undefined, "The wss:// address on Houdini Swap's partner WebSocket page."),
      {
        name: 'partnerId',
        label: 'Partner id',
        kind: 'text',
        required: true,
        help: 'Your partner id, given by Houdini Swap with your partner API access.',
      },
      {
        name: 'secret',
        label: 'Secret',
        kind: 'secret',
        required: true,
        help: 'The secret issued with your partner id (sent as partnerId:secret).',
      },
      { ...ordersField, help: 'Empty: all partner orders.' },
      restUrlField('Looks orders up after a reconnect: the partner REST origin.'),
      heartbeatField,
    ],
  },
  orangepill: {
    name: 'Orangepill',
    short: 'OP',
    colour: '#a84f06',
    docs: 'https://docs.orangepill.cloud/websocket-subscriptions',
    fields: [
      urlField('wss://stream.orangepill.cloud', "Orangepill's event stream."),
      {
        name: 'realmKey',
        label: 'Realm key',
        kind: 'secret',
        required: true,
        help: 'The Realm Key of your Orangepill realm.',
      },
      heartbeatField,
    ],
  },
  satoriex: {
    name: 'SatoriEx',
    short: 'SX',
    colour: '#b83a6b',
    docs: 'https://satoriex.io/en/docs/trading/websocket',
    fields: [
      urlField('wss://staging.satoriex.io/ws', "SatoriEx's WebSocket address."),
      {
        name: 'token',
        label: 'JWT',
        kind: 'secret',
        required: true,
        docs: 'https://satoriex.io/en/docs/trading/authentication',
        help: 'The access_token from a SatoriEx login; it expires: enter a new one when refused.',
      },
      {
        name: 'markets',
        label: 'Markets',
        kind: 'list',
        required: false,
        help: 'Market ids whose order events to follow.',
      },
      { name: 'marketData', label: 'Market data as activity', kind: 'boolean', required: false },
      restUrlField('Enables the 60 s fallback poll, e.g. https://staging.satoriex.io.'),
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
