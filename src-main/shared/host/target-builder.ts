// The target form → a validated notify target. Like a source's: a secret left empty on edit keeps
// the stored one (the window never had it) as long as it would still go only where it went before
// (the same url), and the engine's schema validates, naming the offending field.
import { targetSchemas } from '../../engine/notify-schema.js';
import type { CommandResult } from '../bridge.js';
import {
  TARGET_SECRET_FIELDS,
  TARGET_TYPES,
  type NotifyTarget,
  type TargetType,
} from '../notify.js';
import { DESTINATION_CHANGED, destinationMoved } from '../source-fields.js';
import { fail, isRecord } from './command-result.js';

function isTargetType(value: unknown): value is TargetType {
  return typeof value === 'string' && (TARGET_TYPES as readonly string[]).includes(value);
}

/** What the form may set per type (anything else in `fields` is refused). */
const FORM_FIELDS: Readonly<Record<TargetType, readonly string[]>> = {
  webhook: ['url', 'secret'],
  ntfy: ['url', 'token'],
  exec: ['command'],
};

/** Text fields trimmed; an argv kept exactly as typed (the schema judges it; no shell, no split). */
function formValue(value: unknown): unknown {
  return typeof value === 'string' ? value.trim() : value;
}

/**
 * Builds the target from the form (keeping stored secrets left empty) and validates it. `existing`
 * are the targets saved now (to find the one edited and refuse a taken id).
 */
export function buildTarget(
  req: unknown,
  existing: readonly NotifyTarget[],
): NotifyTarget | CommandResult {
  if (!isRecord(req)) return fail('request must be an object');
  if (!isTargetType(req.type)) return fail(`choose one of ${TARGET_TYPES.join(', ')}`, 'type');
  const type = req.type;
  const id = typeof req.id === 'string' ? req.id.trim() : '';
  const replaces = typeof req.replaces === 'string' ? req.replaces : undefined;
  const before = replaces === undefined ? undefined : existing.find((t) => t.id === replaces);
  if (replaces !== undefined && !before) return fail(`no target "${replaces}"`, 'id');
  if (id !== replaces && existing.some((t) => t.id === id)) {
    return fail(`a target "${id}" exists already`, 'id');
  }
  const fields = isRecord(req.fields) ? req.fields : {};
  const raw: Record<string, unknown> = { id, type };
  if (req.enabled !== undefined) raw.enabled = req.enabled;
  if (req.statuses !== undefined) raw.statuses = req.statuses;
  for (const [name, value] of Object.entries(fields)) {
    if (!FORM_FIELDS[type].includes(name)) return fail(`not a field of ${type}`, name);
    if (value === '' || value === undefined) continue;
    raw[name] = formValue(value);
  }
  // A secret left empty: the stored one, unless it would now go somewhere new.
  if (before && before.type === type) {
    const stored = before as unknown as Record<string, unknown>;
    for (const field of TARGET_SECRET_FIELDS[type]) {
      if (raw[field] !== undefined || typeof stored[field] !== 'string') continue;
      if (destinationMoved(stored, raw)) return fail(DESTINATION_CHANGED, field);
      raw[field] = stored[field];
    }
  }
  const result = targetSchemas[type].safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path[0] === undefined ? undefined : String(issue.path[0]);
    const message =
      field !== undefined && raw[field] === undefined
        ? 'is required'
        : (issue?.message ?? 'invalid');
    return fail(message, field);
  }
  return result.data as NotifyTarget;
}

export function isTarget(value: NotifyTarget | CommandResult): value is NotifyTarget {
  return 'type' in value;
}
