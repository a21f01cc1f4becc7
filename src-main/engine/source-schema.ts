// The building blocks of a source's config schema (docs/config.md): the fields every source has and
// the value rules several providers share. Each adapter builds its own schema from these; config.ts
// validates a file against all of them. Kept apart from config.ts so that an adapter can use them
// without importing the module that imports every adapter.
import { z } from 'zod';
import { CONTROL_CHARACTERS, MAX_ORDER_ID_LENGTH, MAX_SOURCE_ID_LENGTH } from '../shared/limits.js';
import type { ProviderKey } from '../shared/providers.js';

/**
 * The shortest keepalive period a config may ask for. The providers' own periods are 15–30 s; below
 * a second the pings load the provider for nothing, and the two-interval silence deadline would trip
 * on an ordinary pause of the machine. Tests that need faster heartbeats set the engine's tuning.
 */
export const MIN_HEARTBEAT_INTERVAL_MS = 1_000;
/** The longest: past ten minutes a dead link would go unnoticed for twenty. */
export const MAX_HEARTBEAT_INTERVAL_MS = 600_000;

function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

const schemeOf = (url: URL) => url.protocol.replace(/:$/, '');

/** A URL with one of `schemes` and no `#fragment` (a fragment never reaches the server). */
const urlWithScheme = (schemes: readonly string[]) =>
  z
    .string()
    .refine(
      (value) => {
        const url = parsedUrl(value);
        return url !== undefined && schemes.includes(schemeOf(url));
      },
      { message: `must be a ${schemes.join('/')} URL` },
    )
    .refine((value) => !value.includes('#'), { message: 'must not have a #fragment' });

/** Why a REST URL is not a bare origin, or undefined when it is one. */
function notAnOrigin(value: string): string | undefined {
  const url = parsedUrl(value);
  if (!url) return undefined; // the scheme check has said so already
  if (url.username || url.password) return 'must not hold a user name or password';
  if (url.search || value.includes('?')) return 'must not have a ?query';
  if (url.pathname !== '/') return 'must be an origin, without a path (e.g. https://api.example)';
  return undefined;
}

const streamUrl = urlWithScheme(['ws', 'wss', 'http', 'https']);
/** Any http(s) URL; what keeps only its origin (n.exchange's `origin` header) uses this. */
export const httpUrl = urlWithScheme(['http', 'https']);
/**
 * Where REST calls go: the adapters append their own paths, so a path, query or user info here
 * would break every call. The output is the bare origin, without a trailing slash.
 */
export const restOrigin = httpUrl
  .superRefine((value, ctx) => {
    const problem = notAnOrigin(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((value) => new URL(value).origin);
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
    .min(1, 'must be a non-empty string')
    .max(MAX_SOURCE_ID_LENGTH, `must be at most ${MAX_SOURCE_ID_LENGTH} characters`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), {
      message: 'must not hold control characters',
    }),
  url: streamUrl,
  label: z.string().optional(),
  enabled: z.boolean().default(true),
  heartbeatIntervalMs: z
    .number()
    .int()
    .min(MIN_HEARTBEAT_INTERVAL_MS)
    .max(MAX_HEARTBEAT_INTERVAL_MS)
    .optional(),
};

/** One provider's source schema: the common fields, the `provider` tag, then its own fields. */
export function sourceSchema<P extends ProviderKey, S extends z.ZodRawShape>(provider: P, own: S) {
  return z.object({ ...commonFields, provider: z.literal(provider), ...own });
}
