// Logging goes to stderr only (stdout belongs to the NDJSON stream), through pino, with every
// credential field redacted wherever it appears, and (given a SecretMask) every configured secret
// value masked in the finished line, whatever field or message carries it.
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
// From shared/, not config.ts: config.ts imports every adapter, and the adapters log.
import { SECRET_FIELDS } from '../shared/providers.js';
import type { SecretMask } from '../shared/secret-mask.js';

export type Logger = Pick<PinoLogger, 'debug' | 'info' | 'warn' | 'error' | 'child'>;

/**
 * pino-pretty is loaded only when a person watches a terminal: the desktop app, a service under
 * systemd and every pipe log JSON, and would otherwise pay for its modules at every start.
 */
function prettyStream(options: import('pino-pretty').PrettyOptions): DestinationStream {
  const { build } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return build(options);
}

const redactPaths = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

/** The log levels `--log-level` accepts, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export function createLogger(
  level = process.env.ORDERBELL_LOG ?? 'info',
  mask?: SecretMask,
  /** Where lines go; stderr unless a test collects them. */
  dest?: DestinationStream,
  /**
   * Human-readable lines (pino-pretty) instead of JSON: for a person at a terminal. The mask and
   * the redaction apply to the JSON line before it is made pretty, so they hold here too.
   */
  pretty = false,
): Logger {
  const out = pretty
    ? prettyStream({
        destination: dest ?? 2,
        colorize: dest === undefined && process.stderr.isTTY,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,name',
        sync: true,
      })
    : (dest ?? pino.destination({ dest: 2, sync: false }));
  return pino(
    {
      name: 'orderbell',
      level,
      redact: { paths: [...redactPaths, 'headers.authorization'], censor: '[redacted]' },
      ...(mask ? { hooks: { streamWrite: (line: string) => mask.text(line) } } : {}),
    },
    out,
  );
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** Strip credentials from a URL before it is shown anywhere (query tokens, user:pass). */
export function safeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    u.username = '';
    u.password = '';
    for (const key of [...u.searchParams.keys()]) u.searchParams.set(key, '…');
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}
