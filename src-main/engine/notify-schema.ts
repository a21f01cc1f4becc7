// The `notify` targets and `quietHours` of the config file (docs/config.md), validated like the
// sources: every error names the target (by id, or by index when the id is missing) and the field.
import { z } from 'zod';
import { CONTROL_CHARACTERS, MAX_SOURCE_ID_LENGTH } from '../shared/limits.js';
import { TARGET_TYPES, type NotifyTarget, type QuietHours } from '../shared/notify.js';
import { isValidHhMm } from '../shared/quiet-hours.js';
import { STATUSES } from '../shared/statuses.js';
import { httpUrl, secret } from './source-schema.js';

/** The most targets a config may list: each has its own queue and timers. */
export const MAX_TARGETS = 32;
/** An argv longer than this is a mistake, not a command. */
export const MAX_COMMAND_ARGS = 64;
const MAX_ARG_CHARS = 4096;

const targetId = z
  .string()
  .trim()
  .min(1, 'must be a non-empty string')
  .max(MAX_SOURCE_ID_LENGTH, `must be at most ${MAX_SOURCE_ID_LENGTH} characters`)
  .refine((value) => !CONTROL_CHARACTERS.test(value), {
    message: 'must not hold control characters',
  });

const statusList = z.array(z.enum(STATUSES));

const common = {
  id: targetId,
  statuses: statusList.optional(),
  enabled: z.boolean().default(true),
};

const webhookSchema = z.object({
  ...common,
  type: z.literal('webhook'),
  url: httpUrl,
  secret: secret.optional(),
});

const ntfySchema = z.object({
  ...common,
  type: z.literal('ntfy'),
  url: httpUrl,
  token: secret.optional(),
});

const execSchema = z.object({
  ...common,
  type: z.literal('exec'),
  command: z
    .array(
      z
        .string()
        .max(MAX_ARG_CHARS, `arguments must be at most ${MAX_ARG_CHARS} characters`)
        .refine((v) => !v.includes('\u0000'), { message: 'arguments must not hold NUL' }),
    )
    .min(1, 'must be a non-empty array of strings (the program, then its arguments)')
    .max(MAX_COMMAND_ARGS, `must have at most ${MAX_COMMAND_ARGS} items`)
    .refine((argv) => (argv[0] ?? '').trim() !== '', {
      message: 'must start with a non-empty program path',
    }),
});

export const targetSchemas = {
  webhook: webhookSchema,
  ntfy: ntfySchema,
  exec: execSchema,
} as const;

const hhmm = z.string().refine(isValidHhMm, { message: 'must be a time as HH:MM (00:00–23:59)' });

export const quietHoursSchema = z.object({
  from: hhmm,
  to: hhmm,
  except: statusList.optional(),
});

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function targetName(raw: unknown, index: number, echo: (v: unknown) => string): string {
  const id = isRecord(raw) && typeof raw.id === 'string' && raw.id.trim() ? raw.id : undefined;
  return id ? `notify target ${echo(id)}` : `notify target #${index + 1} (no id)`;
}

export interface NotifyParse {
  notify?: NotifyTarget[];
  quietHours?: QuietHours;
}

/**
 * The `notify` and `quietHours` fields of a parsed file. Problems and warnings are pushed to the
 * caller's lists (config.ts reports them with the sources'); `clip` shortens a schema message.
 */
export function parseNotify(
  json: Record<string, unknown>,
  problems: string[],
  warnings: string[],
  echo: (v: unknown) => string,
  clip: (message: string) => string,
): NotifyParse {
  const out: NotifyParse = {};
  const rawTargets = json.notify;
  if (rawTargets !== undefined) {
    if (!Array.isArray(rawTargets)) {
      problems.push('top level: field "notify" must be an array of targets');
    } else if (rawTargets.length > MAX_TARGETS) {
      problems.push(`top level: field "notify" may list at most ${MAX_TARGETS} targets`);
    } else {
      const targets: NotifyTarget[] = [];
      const seen = new Map<string, number>();
      rawTargets.forEach((raw, index) => {
        const name = targetName(raw, index, echo);
        if (!isRecord(raw)) {
          problems.push(`${name}: must be an object`);
          return;
        }
        const type = raw.type;
        if (typeof type !== 'string' || !(TARGET_TYPES as readonly string[]).includes(type)) {
          problems.push(
            `${name}: field "type": unknown type ${type === undefined ? 'undefined' : echo(type)} (expected one of ${TARGET_TYPES.join(', ')})`,
          );
          return;
        }
        const schema = targetSchemas[type as keyof typeof targetSchemas];
        const result = schema.safeParse(raw);
        if (!result.success) {
          for (const issue of result.error.issues) {
            const field = issue.path.map(String).join('.') || '(target)';
            const message =
              issue.code === 'invalid_type' && raw[String(issue.path[0])] === undefined
                ? 'is required'
                : clip(issue.message);
            problems.push(`${name}: field ${echo(field)}: ${message}`);
          }
          return;
        }
        const known = new Set(Object.keys(schema.shape));
        for (const key of Object.keys(raw)) {
          if (!known.has(key)) warnings.push(`${name}: field ${echo(key)} is not used by ${type}`);
        }
        const first = seen.get(result.data.id);
        if (first !== undefined) {
          problems.push(
            `${name}: field "id": duplicate id (also used by notify target #${first + 1})`,
          );
          return;
        }
        seen.set(result.data.id, index);
        targets.push(result.data as NotifyTarget);
      });
      out.notify = targets;
    }
  }
  const rawQuiet = json.quietHours;
  if (rawQuiet !== undefined) {
    if (!isRecord(rawQuiet)) {
      problems.push('quietHours: must be an object with "from" and "to" (HH:MM)');
    } else {
      const result = quietHoursSchema.safeParse(rawQuiet);
      if (!result.success) {
        for (const issue of result.error.issues) {
          const field = issue.path.map(String).join('.') || '(quietHours)';
          const message =
            issue.code === 'invalid_type' && rawQuiet[String(issue.path[0])] === undefined
              ? 'is required'
              : clip(issue.message);
          problems.push(`quietHours: field ${echo(field)}: ${message}`);
        }
      } else {
        out.quietHours = result.data as QuietHours;
      }
    }
  }
  return out;
}
