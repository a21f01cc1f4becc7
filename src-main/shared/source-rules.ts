// The value rules of a source's config, written once as plain functions so that the engine's
// schemas (engine/source-schema.ts, through zod refinements) and the window's source form give the
// same verdict in the same words. Each rule returns the first problem of a value, or undefined.
// Pure, no zod: safe for the renderer bundle.
import { CONTROL_CHARACTERS, MAX_SOURCE_ID_LENGTH } from './limits.js';

/** What the config check says of a field that is absent (and the form of one left empty). */
export const REQUIRED = 'is required';

/**
 * The shortest keepalive period a config may ask for. The providers' own periods are 15–30 s; below
 * a second the pings load the provider for nothing, and the two-interval silence deadline would trip
 * on an ordinary pause of the machine. Tests that need faster heartbeats set the engine's tuning.
 */
export const MIN_HEARTBEAT_INTERVAL_MS = 1_000;
/** The longest: past ten minutes a dead link would go unnoticed for twenty. */
export const MAX_HEARTBEAT_INTERVAL_MS = 600_000;

export const HEARTBEAT_RULE = `must be a whole number of milliseconds >=${MIN_HEARTBEAT_INTERVAL_MS} and <=${MAX_HEARTBEAT_INTERVAL_MS}`;

/**
 * A source id names the source in alert ids (`{source}:{orderId}:{status}`), log lines, NDJSON and
 * the state file: letters, digits, `.`, `_` and `-` only, so it never holds a separator, a space or
 * anything that reads differently in each of them.
 */
const SOURCE_ID_CHARACTERS = /^[A-Za-z0-9._-]+$/;
export const SOURCE_ID_CHARACTERS_RULE = 'may hold only letters, digits, ".", "_" and "-"';

/** A source id (already trimmed). */
export function sourceIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'must be a non-empty string';
  if (id.length > MAX_SOURCE_ID_LENGTH) return `must be at most ${MAX_SOURCE_ID_LENGTH} characters`;
  if (CONTROL_CHARACTERS.test(id)) return 'must not hold control characters';
  if (!SOURCE_ID_CHARACTERS.test(id)) return SOURCE_ID_CHARACTERS_RULE;
  return undefined;
}

/** A heartbeat period in milliseconds. */
export function heartbeatProblem(value: unknown): string | undefined {
  const ok =
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= MIN_HEARTBEAT_INTERVAL_MS &&
    value <= MAX_HEARTBEAT_INTERVAL_MS;
  return ok ? undefined : HEARTBEAT_RULE;
}

function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** A URL with one of `schemes` and no `#fragment` (a fragment never reaches the server). */
export function urlProblem(value: string, schemes: readonly string[]): string | undefined {
  const url = parsedUrl(value);
  if (url === undefined || !schemes.includes(url.protocol.replace(/:$/, ''))) {
    return `must be a ${schemes.join('/')} URL`;
  }
  if (value.includes('#')) return 'must not have a #fragment';
  return undefined;
}

export const STREAM_SCHEMES = ['ws', 'wss', 'http', 'https'] as const;
export const HTTP_SCHEMES = ['http', 'https'] as const;

/**
 * Where REST calls go: the adapters append their own paths, so a path, query or user info here
 * would break every call.
 */
export function restOriginProblem(value: string): string | undefined {
  const scheme = urlProblem(value, HTTP_SCHEMES);
  if (scheme) return scheme;
  const url = parsedUrl(value);
  if (!url) return undefined;
  if (url.username || url.password) return 'must not hold a user name or password';
  if (url.search || value.includes('?')) return 'must not have a ?query';
  if (url.pathname !== '/') return 'must be an origin, without a path (e.g. https://api.example)';
  return undefined;
}

/** The rule a form field is checked with; the engine's schema for that field uses the same one. */
export type FieldRule = 'streamUrl' | 'httpUrl' | 'restOrigin' | 'heartbeat';

/** Each rule on the text a form holds (numbers arrive as text: "50" is the number 50). */
export const FIELD_RULES: Readonly<Record<FieldRule, (text: string) => string | undefined>> = {
  streamUrl: (text) => urlProblem(text, STREAM_SCHEMES),
  httpUrl: (text) => urlProblem(text, HTTP_SCHEMES),
  restOrigin: restOriginProblem,
  heartbeat: (text) => heartbeatProblem(/^\d+$/.test(text) ? Number(text) : text),
};
