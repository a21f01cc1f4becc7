// The building blocks of a source's config schema (docs/config.md): the fields every source has and
// the value rules several providers share. Each adapter builds its own schema from these; config.ts
// validates a file against all of them. Kept apart from config.ts so that an adapter can use them
// without importing the module that imports every adapter.
import { z } from 'zod';
import { MAX_SOURCE_ID_LENGTH } from '../shared/limits.js';
import type { ProviderKey } from '../shared/providers.js';

const urlWithScheme = (schemes: readonly string[]) =>
  z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `must be a ${schemes.join('/')} URL` },
  );

const streamUrl = urlWithScheme(['ws', 'wss', 'http', 'https']);
export const restOrigin = urlWithScheme(['http', 'https']);
export const secret = z.string().trim().min(1, 'must be a non-empty string');
export const orderIds = z.array(z.string().trim().min(1, 'order ids must be non-empty strings'));

/** Every source has these, whatever its provider. */
export const commonFields = {
  id: z
    .string()
    .trim()
    .min(1, 'must be a non-empty string')
    .max(MAX_SOURCE_ID_LENGTH, `must be at most ${MAX_SOURCE_ID_LENGTH} characters`),
  url: streamUrl,
  label: z.string().optional(),
  enabled: z.boolean().default(true),
  heartbeatIntervalMs: z.number().int().min(10).max(600_000).optional(),
};

/** One provider's source schema: the common fields, the `provider` tag, then its own fields. */
export function sourceSchema<P extends ProviderKey, S extends z.ZodRawShape>(provider: P, own: S) {
  return z.object({ ...commonFields, provider: z.literal(provider), ...own });
}
