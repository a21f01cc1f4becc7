// The user's saved sources, checked one by one before the engine sees them. A source that no longer
// validates (a secret that could not be decrypted, a field from an older version) is kept but
// disabled, so it stays in the list for the user to fix instead of being silently dropped the next
// time the sources are saved.
import { parseConfig, type SourceConfig } from '../engine/config.js';

export function usableSources(saved: readonly SourceConfig[], problems: string[]): SourceConfig[] {
  return saved.map((source) => {
    try {
      const parsed = parseConfig({ sources: [source] }).config.sources[0];
      if (parsed) return parsed;
    } catch (err) {
      const id = typeof source.id === 'string' ? source.id : '?';
      const detail = (err as Error).message.replace(/^invalid config:\s*/, '').trim();
      problems.push(`source "${id}" is disabled until fixed: ${detail}`);
    }
    return { ...source, enabled: false };
  });
}
