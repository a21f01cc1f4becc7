// The config file of docs/config.md, validated as a whole before anything connects. Every error
// names the source (by id, or by index when the id itself is missing) and the field.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { mapProviders, PROVIDERS, type ProviderKey } from '../shared/providers.js';
import { ENGINE_PROVIDERS } from './providers/index.js';
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
}

/** Fields that carry credentials: never logged, never sent to a renderer in clear. */
export { SECRET_FIELDS } from '../shared/providers.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid config:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sourceName(raw: unknown, index: number): string {
  const id = isRecord(raw) && typeof raw.id === 'string' && raw.id.trim() ? raw.id : undefined;
  return id ? `source "${id}"` : `source #${index + 1} (no id)`;
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
        `${name}: field "provider": unknown provider ${JSON.stringify(provider)} (expected one of ${PROVIDERS.join(', ')})`,
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
            : issue.message;
        problems.push(`${name}: field "${field}": ${message}`);
      }
      return;
    }
    const known = new Set(Object.keys(schema.shape));
    for (const key of Object.keys(raw)) {
      if (!known.has(key)) warnings.push(`${name}: field "${key}" is not used by ${provider}`);
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
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    config: { sources, ...(retention === undefined ? {} : { retentionDays: retention as number }) },
    warnings,
  };
}

export async function loadConfigFile(
  path: string,
): Promise<{ config: Config; warnings: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`cannot read config file ${path}: ${(err as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([`config file ${path} is not valid JSON: ${(err as Error).message}`]);
  }
  return parseConfig(json);
}
