// The building blocks of a source's config schema (docs/config.md): the fields every source has and
// the value rules several providers share. Each adapter builds its own schema from these; config.ts
// validates a file against all of them. Kept apart from config.ts so that an adapter can use them
// without importing the module that imports every adapter.
import { z } from 'zod';
import { CONTROL_CHARACTERS, MAX_ORDER_ID_LENGTH } from '../shared/limits.js';
import {
  HEARTBEAT_RULE,
  heartbeatProblem,
  HTTP_SCHEMES,
  restOriginProblem,
  sourceIdProblem,
  STREAM_SCHEMES,
  urlProblem,
} from '../shared/source-rules.js';
import type { ProviderKey } from '../shared/providers.js';

export { MAX_HEARTBEAT_INTERVAL_MS, MIN_HEARTBEAT_INTERVAL_MS } from '../shared/source-rules.js';

/** A zod string checked by one of the shared rules (the window's form runs the same function). */
const ruled = (rule: (value: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const problem = rule(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const streamUrl = ruled((v) => urlProblem(v, STREAM_SCHEMES));
/** Any http(s) URL; what keeps only its origin (n.exchange's `origin` header) uses this. */
export const httpUrl = ruled((v) => urlProblem(v, HTTP_SCHEMES));
/**
 * Where REST calls go (a bare origin, shared/source-rules.ts). The output is the bare origin,
 * without a trailing slash.
 */
export const restOrigin = ruled(restOriginProblem).transform((value) => new URL(value).origin);
export const secret = z.string().trim().min(1, 'must be a non-empty string');

/** Text without control characters, at most `max` characters long. */
const plainText = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${what} must be non-empty strings`)
    .max(max, `${what} must be at most ${max} characters`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), {
      message: `${what} must not hold control characters`,
    });

export const orderIds = z.array(plainText('order ids', MAX_ORDER_ID_LENGTH));

/** Every source has these, whatever its provider. */
export const commonFields = {
  id: z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const problem = sourceIdProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  url: streamUrl,
  label: z.string().optional(),
  enabled: z.boolean().default(true),
  heartbeatIntervalMs: z
    .number({ error: HEARTBEAT_RULE })
    .superRefine((value, ctx) => {
      const problem = heartbeatProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
};

/** One provider's source schema: the common fields, the `provider` tag, then its own fields. */
export function sourceSchema<P extends ProviderKey, S extends z.ZodRawShape>(provider: P, own: S) {
  return z.object({ ...commonFields, provider: z.literal(provider), ...own });
}
