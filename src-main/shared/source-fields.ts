// The vocabulary of the source form: what a field is and the fields several providers share, and
// which fields decide where a credential goes. Pure, safe for the renderer bundle. Which fields each provider shows is part of its descriptor in
// shared/providers.ts; the zod schemas beside each adapter stay on the main side and remain the one
// validator (a unit test keeps the two in step).

import type { FieldRule } from './source-rules.js';

export type FieldKind = 'url' | 'text' | 'secret' | 'boolean' | 'list' | 'number' | 'enum';

export interface FieldSpec {
  name: string;
  /** The field's name as the form shows it (its accessible name starts with it). */
  label: string;
  kind: FieldKind;
  required: boolean;
  /**
   * The value a new source starts with: only a provider's one public URL, a real value the user
   * may keep. Never an example (examples looked like values and were submitted as empty).
   */
  value?: string;
  options?: readonly string[];
  /** One line under the field: what it is for, or where to find it (a credential). */
  help?: string;
  /** Shown under the "Advanced" disclosure: the source works without touching it. */
  advanced?: boolean;
  /** A page of the provider's own docs about this field (a credential); default: the provider's. */
  docs?: string;
  /** The shared rule (shared/source-rules.ts) the engine's schema checks this field with. */
  rule?: FieldRule;
}

/** The stream URL every provider has; prefilled where the provider publishes one. */
export const urlField = (value: string | undefined, help: string): FieldSpec => ({
  name: 'url',
  label: 'Stream URL',
  kind: 'url',
  required: true,
  rule: 'streamUrl',
  help,
  ...(value === undefined ? {} : { value }),
});

/** An optional REST origin that enables catch-up after a reconnect (docs/config.md). */
export const restUrlField = (help = 'Enables catch-up after a reconnect.'): FieldSpec => ({
  name: 'restUrl',
  label: 'REST origin',
  kind: 'url',
  required: false,
  rule: 'restOrigin',
  advanced: true,
  help,
});

export const ordersField: FieldSpec = {
  name: 'orders',
  label: 'Orders to watch',
  kind: 'list',
  required: false,
  help: 'Order ids separated by commas or spaces; more can be added from the orders list.',
};

export const heartbeatField: FieldSpec = {
  name: 'heartbeatIntervalMs',
  label: 'Heartbeat (ms)',
  kind: 'number',
  required: false,
  rule: 'heartbeat',
  advanced: true,
  help: "Empty: the provider's own period.",
};

/**
 * Fields that decide WHERE a source's credentials are sent: the stream (`url`: the upgrade, the
 * socket.io auth, the Orangepill login) and the REST origin (`restUrl`: the Houdini
 * `Authorization` and the SatoriEx bearer). Not destinations: n.exchange `origin` (only the value
 * of a header sent to `url`; n.exchange has no credential anyway) and OZZOBiT `env` (a value sent
 * with the key to the same host).
 */
export const DESTINATION_FIELDS: readonly string[] = ['url', 'restUrl'];

/** Shown under a stored credential that would be sent somewhere new. */
export const DESTINATION_CHANGED = 'enter the secret again: the destination changed';

/**
 * A URL as compared: parsed and re-serialised, so `HTTPS://H.example` equals `https://h.example/`;
 * empty is no destination (a form's field left blank).
 */
function normalUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  try {
    return new URL(value.trim()).href;
  } catch {
    return value.trim();
  }
}

function destinations(cfg: Record<string, unknown>): string[] {
  return DESTINATION_FIELDS.map((f) => normalUrl(cfg[f])).filter((d) => d !== undefined);
}

/**
 * Whether a kept credential would now reach a place it never went: every destination of the new
 * config must be one of the old config's (dropping a `restUrl` narrows, adding one widens).
 */
export function destinationMoved(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): boolean {
  const old = new Set(destinations(before));
  return destinations(after).some((d) => !old.has(d));
}
