// The source form → a validated source config. The form sends strings; this turns lists and
// numbers back into their types, keeps a stored credential the user left empty on edit (the window
// never had it) as long as it would still go only where it went before, and validates with the
// provider's schema, naming the offending field.
import { sourceSchemas, type SourceConfig } from '../../engine/config.js';
import { PROVIDERS, type ProviderKey } from '../../engine/types.js';
import type { CommandResult } from '../bridge.js';
import { fail, isRecord } from './command-result.js';
import { DESTINATION_CHANGED, destinationMoved } from '../source-fields.js';
import { COMMON_KEYS, isSecretField, secretFieldsOf } from './source-view.js';

export { DESTINATION_CHANGED, DESTINATION_FIELDS, destinationMoved } from '../source-fields.js';

/** Form fields typed as a list: "a, b c" → ['a', 'b', 'c']. */
const LIST_FIELDS: ReadonlySet<string> = new Set(['orders', 'markets']);
/** Form fields typed as a whole number when the text is one (else the schema names the error). */
const NUMBER_FIELDS: ReadonlySet<string> = new Set(['heartbeatIntervalMs']);

/** `[1, '2']` stays as is (the schema judges it); "a, b c" → ['a', 'b', 'c']. */
function toList(value: unknown): unknown {
  if (typeof value === 'string') {
    return value
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return value;
}

function formValue(name: string, value: unknown): unknown {
  if (LIST_FIELDS.has(name)) return toList(value);
  if (NUMBER_FIELDS.has(name) && typeof value === 'string') {
    return /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  }
  return typeof value === 'string' ? value.trim() : value;
}

function isProvider(value: unknown): value is ProviderKey {
  return typeof value === 'string' && (PROVIDERS as readonly string[]).includes(value);
}

/**
 * Builds the raw config from the form (keeping stored secrets left empty) and validates it.
 * `existing` are the sources configured now (to find the one edited and to refuse a taken id).
 */
export function buildSourceConfig(
  req: unknown,
  existing: readonly SourceConfig[],
): SourceConfig | CommandResult {
  if (!isRecord(req)) return fail('request must be an object');
  const { provider, replaces, fields, label, enabled } = req;
  if (typeof req.id !== 'string' || req.id.trim() === '') return fail('enter an id', 'id');
  const id = req.id.trim();
  if (!isProvider(provider)) return fail('choose a provider', 'provider');
  if (replaces !== undefined && typeof replaces !== 'string') {
    return fail('must be a string', 'replaces');
  }
  if (fields !== undefined && !isRecord(fields)) return fail('must be an object', 'fields');
  if (label !== undefined && typeof label !== 'string') return fail('must be text', 'label');
  if (enabled !== undefined && typeof enabled !== 'boolean') {
    return fail('must be true or false', 'enabled');
  }
  const editing = replaces === undefined ? undefined : existing.find((c) => c.id === replaces);
  if (replaces !== undefined && !editing) return fail(`no source "${replaces}" to edit`, 'id');
  if (existing.some((c) => c.id === id && c !== editing)) {
    return fail('a source with this id already exists', 'id');
  }
  const raw: Record<string, unknown> =
    editing && editing.provider === provider ? { ...(editing as Record<string, unknown>) } : {};
  const shape = sourceSchemas[provider].shape as Record<string, unknown>;
  /** Credentials typed in this form; any other one in `raw` is the stored value, kept. */
  const typed = new Set<string>();
  for (const [name, value] of Object.entries(fields ?? {})) {
    if (COMMON_KEYS.has(name)) continue;
    if (!Object.hasOwn(shape, name)) return fail(`not a ${provider} setting`, name);
    const empty = value === '' || value === null || value === undefined;
    if (isSecretField(name)) {
      // Left empty on edit: keep the stored value (the window never had it).
      if (!empty) {
        raw[name] = typeof value === 'string' ? value.trim() : value;
        typed.add(name);
      }
      continue;
    }
    if (empty) delete raw[name];
    else raw[name] = formValue(name, value);
  }
  raw.id = id;
  raw.provider = provider;
  if (label !== undefined) {
    if (label.trim()) raw.label = label.trim();
    else delete raw.label;
  }
  if (enabled !== undefined) raw.enabled = enabled;
  const result = sourceSchemas[provider].safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.map(String).join('.') || undefined;
    const top = issue?.path[0];
    const missing = issue?.code === 'invalid_type' && raw[String(top)] === undefined;
    return fail(missing ? 'is required' : (issue?.message ?? 'invalid'), field);
  }
  // A secret the form never had may only go where it went before: a new host must be given it
  // again by the user, or a mistyped (or malicious) URL would receive the old one.
  // Left empty or left out of the request alike: both keep the stored value.
  const kept = secretFieldsOf(provider).filter((n) => !typed.has(n) && raw[n] !== undefined);
  const before = editing as Record<string, unknown> | undefined;
  if (before && kept.length > 0 && destinationMoved(before, result.data)) {
    return fail(DESTINATION_CHANGED, kept[0]);
  }
  return result.data as SourceConfig;
}

/** Narrows the builder's answer: a refusal carries `ok`, a config never does. */
export function isRefusal(built: SourceConfig | CommandResult): built is CommandResult {
  return 'ok' in built;
}
