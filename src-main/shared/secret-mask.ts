// Every configured secret, masked in anything written: NDJSON lines, log lines, what goes to the
// window. Field-name redaction (pino's `redact`, the secret-free source view) misses a secret that
// comes back as text: a provider that echoes the request into an error, a close reason or an
// activity detail. This masks the values themselves, wherever they appear.
import { targetSecretsOf, type NotifyTarget } from './notify.js';
import { SECRET_FIELDS } from './providers.js';

/**
 * Values shorter than this are not masked: a one- to three-character "secret" protects nothing,
 * and masking it would cut ordinary words and numbers out of every line.
 */
export const MIN_MASKED_SECRET_CHARS = 4;
export const SECRET_MASK = '[redacted]';

/** The secret fields' values of one source config (or form), as configured. */
export function secretsOf(source: unknown): string[] {
  if (typeof source !== 'object' || source === null) return [];
  const record = source as Record<string, unknown>;
  return SECRET_FIELDS.flatMap((field) => {
    const value = Object.hasOwn(record, field) ? record[field] : undefined;
    return typeof value === 'string' ? [value] : [];
  });
}

/**
 * The secrets seen during this run (never forgotten while it lasts: a removed source's secret may
 * still arrive in a late line). Each is also masked as JSON escapes it and as a URL encodes it,
 * the forms it takes inside an NDJSON line or a query string.
 */
export class SecretMask {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;

  /** Adds the secrets of these source configs. */
  addSources(sources: Iterable<unknown>): void {
    for (const source of sources) this.add(secretsOf(source));
  }

  /** Adds the secrets of these notify targets (a webhook's `secret`, an ntfy `token`). */
  addTargets(targets: Iterable<NotifyTarget>): void {
    for (const target of targets) this.add(targetSecretsOf(target));
  }

  add(secrets: Iterable<string>): void {
    let changed = false;
    for (const secret of secrets) {
      if (secret.length < MIN_MASKED_SECRET_CHARS) continue;
      for (const form of [
        secret,
        JSON.stringify(secret).slice(1, -1),
        encodeURIComponent(secret),
      ]) {
        if (this.values.has(form)) continue;
        this.values.add(form);
        changed = true;
      }
    }
    if (!changed) return;
    // Longest first, so a secret that contains another is masked whole.
    const forms = [...this.values].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = new RegExp(forms.join('|'), 'g');
  }

  /** The text with every secret replaced by SECRET_MASK. */
  text(text: string): string {
    return this.pattern ? text.replace(this.pattern, SECRET_MASK) : text;
  }

  /** A JSON-like value (a batch for the window, a command result) with every string masked. */
  value<T>(value: T): T {
    return this.pattern ? (maskDeep(value, (s) => this.text(s)) as T) : value;
  }
}

function maskDeep(value: unknown, mask: (s: string) => string): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, mask));
  if (typeof value === 'object' && value !== null) {
    // Plain data only (what crosses the bridge): class instances are left as they are.
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, maskDeep(v, mask)] as const),
    );
  }
  return value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
