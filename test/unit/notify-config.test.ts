// The `notify` targets and `quietHours` of the config file: every error names the target and the
// field; valid targets come back typed; their secrets join the SecretMask.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src-main/engine/config.js';
import { alertId, targetSecretsOf, type NotifyTarget } from '../../src-main/shared/notify.js';
import { SecretMask } from '../../src-main/shared/secret-mask.js';

const source = { id: 'nx', provider: 'nexchange', url: 'wss://n.example/ws', orders: ['R'] };

const valid = {
  sources: [source],
  notify: [
    { id: 'hook', type: 'webhook', url: 'https://hooks.example/x', secret: 'hook-secret-1' },
    {
      id: 'phone',
      type: 'ntfy',
      url: 'https://ntfy.example/my-orders',
      token: 'tk_phone_token',
      statuses: ['failed', 'refunded'],
    },
    { id: 'run', type: 'exec', command: ['/usr/local/bin/on-order', '--quiet'] },
  ],
  quietHours: { from: '22:00', to: '07:00', except: ['failed', 'refunded'] },
};

function problemsOf(json: unknown): string[] {
  try {
    parseConfig(json);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

const withTarget = (i: number, patch: Record<string, unknown>) => ({
  ...valid,
  notify: valid.notify.map((t, j) => (j === i ? { ...t, ...patch } : t)),
});

describe('config: notify and quietHours', () => {
  it('the contract example parses, enabled defaulting to true', () => {
    const { config } = parseConfig(valid);
    expect(config.notify).toEqual([
      { ...valid.notify[0], enabled: true },
      { ...valid.notify[1], enabled: true },
      { ...valid.notify[2], enabled: true },
    ]);
    expect(config.quietHours).toEqual(valid.quietHours);
  });

  it('both are optional', () => {
    const { config } = parseConfig({ sources: [source] });
    expect(config.notify).toBeUndefined();
    expect(config.quietHours).toBeUndefined();
  });

  it.each([
    ['ftp url', withTarget(0, { url: 'ftp://x.example/' }), 'notify target "hook": field "url"'],
    ['ws url', withTarget(1, { url: 'wss://x.example/' }), 'notify target "phone": field "url"'],
    [
      'missing url',
      withTarget(0, { url: undefined }),
      'notify target "hook": field "url": is required',
    ],
    ['empty secret', withTarget(0, { secret: ' ' }), 'notify target "hook": field "secret"'],
    ['empty token', withTarget(1, { token: '' }), 'notify target "phone": field "token"'],
    [
      'exec command a string',
      withTarget(2, { command: 'rm -rf /' }),
      'notify target "run": field "command"',
    ],
    ['exec command empty', withTarget(2, { command: [] }), 'notify target "run": field "command"'],
    [
      'exec command not strings',
      withTarget(2, { command: ['/bin/x', 3] }),
      'notify target "run": field "command.1"',
    ],
    [
      'exec program empty',
      withTarget(2, { command: [' '] }),
      'notify target "run": field "command"',
    ],
    [
      'unknown status',
      withTarget(1, { statuses: ['done'] }),
      'notify target "phone": field "statuses.0"',
    ],
    [
      'unknown type',
      withTarget(0, { type: 'email' }),
      'notify target "hook": field "type": unknown type "email"',
    ],
    [
      'no id',
      withTarget(0, { id: undefined }),
      'notify target #1 (no id): field "id": is required',
    ],
    [
      'duplicate id',
      withTarget(1, { id: 'hook' }),
      'notify target "hook": field "id": duplicate id (also used by notify target #1)',
    ],
    [
      'enabled not boolean',
      withTarget(0, { enabled: 'yes' }),
      'notify target "hook": field "enabled"',
    ],
    ['notify not an array', { ...valid, notify: {} }, 'top level: field "notify" must be an array'],
    [
      'bad quiet from',
      { ...valid, quietHours: { from: '7:00', to: '08:00' } },
      'quietHours: field "from": must be a time as HH:MM',
    ],
    [
      'missing quiet to',
      { ...valid, quietHours: { from: '22:00' } },
      'quietHours: field "to": is required',
    ],
    [
      'bad except',
      { ...valid, quietHours: { ...valid.quietHours, except: ['nope'] } },
      'quietHours: field "except.0"',
    ],
  ])('%s is refused, naming the target and field', (_what, json, said) => {
    const problems = problemsOf(json);
    expect(
      problems.some((p) => p.startsWith(said)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('an unused field is a warning, not an error', () => {
    const { warnings } = parseConfig(withTarget(2, { shell: true }));
    expect(warnings).toContain('notify target "run": field "shell" is not used by exec');
  });

  it('target secrets are masked like a source secret; exec has none', () => {
    const { config } = parseConfig(valid);
    const targets = config.notify as NotifyTarget[];
    expect(targets.flatMap(targetSecretsOf)).toEqual(['hook-secret-1', 'tk_phone_token']);
    const mask = new SecretMask();
    mask.addTargets(targets);
    expect(mask.text('sig hook-secret-1 and Bearer tk_phone_token')).toBe(
      'sig [redacted] and Bearer [redacted]',
    );
  });

  it('the alert id is source:orderId:status', () => {
    expect(alertId('hd', 'H1', 'completed')).toBe('hd:H1:completed');
  });
});
