// The config file of docs/config.md, validated as a whole before anything connects. Every error
// names the source (by id, or by index when the id itself is missing) and the field.
import { open } from 'node:fs/promises';
import type { z } from 'zod';
import { CONTROL_CHARACTERS } from '../shared/limits.js';
import { mapProviders, PROVIDERS, type ProviderKey } from '../shared/providers.js';
import { ENGINE_PROVIDERS } from './providers/index.js';
import type { NotifyTarget, QuietHours } from '../shared/notify.js';
import { parseNotify } from './notify-schema.js';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from './retention.js';

// The fields every source has live in source-schema.ts, each provider's own fields in its adapter's
// descriptor; this module validates a whole file against them.

/** Each provider's source schema, from the registry. */
export const sourceSchemas = mapProviders((_, key) => ENGINE_PROVIDERS[key].schema) as {
  readonly [P in ProviderKey]: (typeof ENGINE_PROVIDERS)[P]['schema'];
};

export type SourceConfigOf<P extends ProviderKey> = z.output<(typeof sourceSchemas)[P]>;
export type SourceConfig = { [P in ProviderKey]: SourceConfigOf<P> }[ProviderKey];
export interface Config {
  sources: SourceConfig[];
  /**
   * Days a finished order stays in the live store after its last update (default 30,
   * engine/retention.ts); then it leaves the store and the state file, and is not looked up again.
   */
  retentionDays?: number;
  /** Where alerts are forwarded besides the desktop (engine/forward/, docs/config.md). */
  notify?: NotifyTarget[];
  /** When forwards (and desktop notifications) of most statuses wait (shared/quiet-hours.ts). */
  quietHours?: QuietHours;
}

/** Fields that carry credentials: never logged, never sent to a renderer in clear. */
export { SECRET_FIELDS } from '../shared/providers.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid config:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The largest config file read. A real one is a few kilobytes (a source is a dozen lines); a
 * megabyte leaves room for thousands of sources and watched ids while bounding what is read into
 * memory before anything is checked.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * The deepest nesting of arrays and objects accepted. A valid config nests three levels (file,
 * sources, a source's list); past this, parsing and validating recurse deep enough to overflow the
 * stack, so the file is refused before it is parsed.
 */
export const MAX_CONFIG_DEPTH = 16;

/** At most this many characters of any value from the file are echoed back in an error. */
export const MAX_ECHO_CHARS = 80;

/**
 * A value from the file as an error may show it: JSON-quoted, so control characters, newlines and
 * ANSI escapes print as escapes, and cut to MAX_ECHO_CHARS with the full length said.
 */
export function echo(value: unknown): string {
  const text = typeof value === 'string' ? value : describe(value);
  if (text.length <= MAX_ECHO_CHARS) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, MAX_ECHO_CHARS))}… (${text.length} characters)`;
}

/** A non-string value as text; String() on a deep array recurses as deep, so it is not used there. */
function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  return safeStringify(value) ?? `[a deeply nested ${Array.isArray(value) ? 'array' : 'object'}]`;
}

function safeStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined; // too deep or cyclic
  }
}

/**
 * An error message of the schema library or the JSON parser, which may quote the value: control
 * characters written as escapes and the whole cut the same way.
 */
function clipMessage(message: string): string {
  const escaped = message.replace(
    new RegExp(CONTROL_CHARACTERS.source, 'g'),
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const max = 2 * MAX_ECHO_CHARS;
  return escaped.length <= max
    ? escaped
    : `${escaped.slice(0, max)}… (${escaped.length} characters)`;
}

/** How deep arrays and objects nest in JSON text, counted without parsing it. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return deepest;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sourceName(raw: unknown, index: number): string {
  const id = isRecord(raw) && typeof raw.id === 'string' && raw.id.trim() ? raw.id : undefined;
  return id ? `source ${echo(id)}` : `source #${index + 1} (no id)`;
}

/** Validates parsed JSON. Returns the config and non-fatal warnings, or throws ConfigError. */
export function parseConfig(json: unknown): { config: Config; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (!isRecord(json) || !Array.isArray(json.sources)) {
    throw new ConfigError(['top level: field "sources" must be an array of sources']);
  }
  const sources: SourceConfig[] = [];
  const seen = new Map<string, number>();
  json.sources.forEach((raw, index) => {
    const name = sourceName(raw, index);
    if (!isRecord(raw)) {
      problems.push(`${name}: must be an object`);
      return;
    }
    const provider = raw.provider;
    if (typeof provider !== 'string' || !(PROVIDERS as readonly string[]).includes(provider)) {
      problems.push(
        `${name}: field "provider": unknown provider ${provider === undefined ? 'undefined' : echo(provider)} (expected one of ${PROVIDERS.join(', ')})`,
      );
      return;
    }
    const schema = sourceSchemas[provider as ProviderKey];
    const result = schema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path.map(String).join('.') || '(source)';
        const message =
          issue.code === 'invalid_type' && raw[String(issue.path[0])] === undefined
            ? 'is required'
            : clipMessage(issue.message);
        problems.push(`${name}: field ${echo(field)}: ${message}`);
      }
      return;
    }
    const known = new Set(Object.keys(schema.shape));
    for (const key of Object.keys(raw)) {
      if (!known.has(key)) warnings.push(`${name}: field ${echo(key)} is not used by ${provider}`);
    }
    const id = result.data.id;
    const first = seen.get(id);
    if (first !== undefined) {
      problems.push(`${name}: field "id": duplicate id (also used by source #${first + 1})`);
      return;
    }
    seen.set(id, index);
    sources.push(result.data as SourceConfig);
  });
  const retention = json.retentionDays;
  const retentionOk =
    retention === undefined ||
    (Number.isInteger(retention) &&
      (retention as number) >= MIN_RETENTION_DAYS &&
      (retention as number) <= MAX_RETENTION_DAYS);
  if (!retentionOk) {
    problems.push(
      `top level: field "retentionDays": must be a whole number of days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}`,
    );
  }
  const notify = parseNotify(json, problems, warnings, echo, clipMessage);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    config: {
      sources,
      ...(retention === undefined ? {} : { retentionDays: retention as number }),
      ...notify,
    },
    warnings,
  };
}

/**
 * Why this config leaves nothing to watch, or undefined. A headless run with such a file would sit
 * idle and silent, which looks like "all quiet" while watching nothing.
 */
export function nothingToWatch(config: Config): string | undefined {
  if (config.sources.length === 0) return 'the config has no sources: nothing to watch';
  if (config.sources.every((s) => !s.enabled)) {
    return `all ${config.sources.length} sources in the config are disabled ("enabled": false): nothing to watch`;
  }
  return undefined;
}

/** The file's text, refused unread past MAX_CONFIG_BYTES. */
async function readBounded(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    // One byte over the cap is enough to tell; a file that grows while read is cut there too.
    const buffer = Buffer.alloc(Math.min(size, MAX_CONFIG_BYTES) + 1);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_CONFIG_BYTES) {
      throw new ConfigError([
        `config file ${path} is larger than ${MAX_CONFIG_BYTES} bytes (the limit for a config file)`,
      ]);
    }
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}

export async function loadConfigFile(
  path: string,
): Promise<{ config: Config; warnings: string[] }> {
  return parseConfigText(await readConfigText(path), path);
}

/** The config file's text, read once (a reload masks and parses this same text). */
export async function readConfigText(path: string): Promise<string> {
  try {
    return await readBounded(path);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError([`cannot read config file ${path}: ${(err as Error).message}`]);
  }
}

/** A config file's text, already read, as loadConfigFile judges it; `path` only names it. */
export function parseConfigText(
  text: string,
  path: string,
): { config: Config; warnings: string[] } {
  if (jsonDepth(text) > MAX_CONFIG_DEPTH) {
    throw new ConfigError([
      `config file ${path} nests arrays and objects deeper than ${MAX_CONFIG_DEPTH} levels (the limit for a config file)`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // The parser's message quotes the text around the fault, which may be anything.
    throw new ConfigError([
      `config file ${path} is not valid JSON: ${clipMessage((err as Error).message)}`,
    ]);
  }
  return parseConfig(json);
}
