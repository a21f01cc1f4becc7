// The vocabulary of the source form: what a field is and the fields several providers share. Pure
// data, safe for the renderer bundle. Which fields each provider shows is part of its descriptor in
// shared/providers.ts; the zod schemas beside each adapter stay on the main side and remain the one
// validator (a unit test keeps the two in step).

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

/** The stream URL every provider has; only the example differs. */
export const urlField = (placeholder: string): FieldSpec => ({
  name: 'url',
  label: 'Stream URL',
  kind: 'url',
  required: true,
  placeholder,
});

/** An optional REST origin that enables catch-up after a reconnect (docs/config.md). */
export const restUrlField = (placeholder: string): FieldSpec => ({
  name: 'restUrl',
  label: 'REST origin',
  kind: 'url',
  required: false,
  placeholder,
  help: 'Enables catch-up after a reconnect.',
});

export const ordersField: FieldSpec = {
  name: 'orders',
  label: 'Orders to watch',
  kind: 'list',
  required: false,
  help: 'Comma separated order ids; more can be added from the orders list.',
};

export const heartbeatField: FieldSpec = {
  name: 'heartbeatIntervalMs',
  label: 'Heartbeat (ms)',
  kind: 'number',
  required: false,
  help: "Leave empty for the provider's default.",
};
