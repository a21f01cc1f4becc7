// What the window may see of a source: its status and non-secret settings, and for each credential
// only whether it is set. The values of credentials never cross the bridge.
import { SECRET_FIELDS, sourceSchemas, type SourceConfig } from '../../engine/config.js';
import type { SourceStatus } from '../../engine/engine.js';
import type { ProviderKey } from '../../engine/types.js';
import type { SourceView } from '../bridge.js';

/** Keys every source config has; the window gets them from the status, not from `settings`. */
export const COMMON_KEYS: ReadonlySet<string> = new Set(['id', 'provider', 'label', 'enabled']);

const SECRETS: ReadonlySet<string> = new Set<string>(SECRET_FIELDS);

export function isSecretField(key: string): boolean {
  return SECRETS.has(key);
}

/** The credential fields this provider's config has (e.g. houdini: secret). */
export function secretFieldsOf(provider: ProviderKey): string[] {
  return Object.keys(sourceSchemas[provider].shape).filter(isSecretField);
}

/** Setting values the window can show and edit; anything else (objects, mixed lists) stays here. */
function isShowable(value: unknown): value is string | number | boolean | string[] {
  return (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    (Array.isArray(value) && value.every((v) => typeof v === 'string'))
  );
}

/** What the window may see of a source: settings without credentials, and which are set. */
export function sourceView(status: SourceStatus, cfg: SourceConfig | undefined): SourceView {
  const settings: SourceView['settings'] = {};
  const secretsSet: Record<string, boolean> = {};
  if (cfg) {
    for (const [key, value] of Object.entries(cfg)) {
      if (COMMON_KEYS.has(key) || isSecretField(key)) continue;
      if (isShowable(value)) settings[key] = value;
    }
    const raw = cfg as Record<string, unknown>;
    for (const key of secretFieldsOf(cfg.provider)) {
      secretsSet[key] = typeof raw[key] === 'string' && raw[key] !== '';
    }
  }
  return { ...status, watched: [...status.watched], settings, secretsSet };
}
