// Issue 11 item 4: the source form and the config check say the same thing in the same words,
// because both run the rules of shared/source-rules.ts. Each row: a field, a typed value, and the
// words under the field, which must be the words of the config's error for that field.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src-main/engine/config.js';
import { FIELD_RULES, sourceIdProblem } from '../../src-main/shared/source-rules.js';
import { PROVIDER_FIELDS } from '../../src-main/shared/providers.js';

const base = { id: 'nx', provider: 'nexchange', url: 'wss://api.n.exchange/orders/' };

function configWords(source: Record<string, unknown>): string[] {
  try {
    parseConfig({ sources: [source] });
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
}

describe('the form and the config refuse in the same words', () => {
  const rows: [string, string, string, string][] = [
    // field, typed, config value, words
    ['id', 'my nx source!', 'my nx source!', 'may hold only letters, digits, ".", "_" and "-"'],
    ['id', 'nx:main', 'nx:main', 'may hold only letters, digits, ".", "_" and "-"'],
    ['id', 'x'.repeat(65), 'x'.repeat(65), 'must be at most 64 characters'],
    [
      'heartbeatIntervalMs',
      '50',
      '50',
      'must be a whole number of milliseconds >=1000 and <=600000',
    ],
    [
      'heartbeatIntervalMs',
      '600001',
      '600001',
      'must be a whole number of milliseconds >=1000 and <=600000',
    ],
    ['url', 'ftp://x', 'ftp://x', 'must be a ws/wss/http/https URL'],
    ['url', 'wss://x/#top', 'wss://x/#top', 'must not have a #fragment'],
    [
      'restUrl',
      'https://h.example/api',
      'https://h.example/api',
      'must be an origin, without a path (e.g. https://api.example)',
    ],
    ['origin', 'ws://h.example', 'ws://h.example', 'must be a http/https URL'],
  ];
  it.each(rows)('%s %j', (field, typed, value, words) => {
    const spec = PROVIDER_FIELDS.nexchange.find((f) => f.name === field);
    const form =
      field === 'id' ? sourceIdProblem(typed) : spec?.rule && FIELD_RULES[spec.rule](typed);
    expect(form).toBe(words);
    const configValue = field === 'heartbeatIntervalMs' ? Number(value) : value;
    const name = field === 'id' ? `"${value.length > 80 ? '' : value}` : '"nx"';
    const problems = configWords({ ...base, [field]: configValue });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`field "${field}": ${words}`);
    if (field !== 'id' || value.length <= 80) expect(problems[0]).toContain(name);
  });

  it.each([['nx'], ['my-nx_source.2'], ['x'.repeat(64)]])('the id %j is accepted by both', (id) => {
    expect(sourceIdProblem(id)).toBeUndefined();
    expect(configWords({ ...base, id })).toEqual([]);
  });

  it('a heartbeat that is not a number is refused in the same words', () => {
    expect(FIELD_RULES.heartbeat('soon')).toBe(
      'must be a whole number of milliseconds >=1000 and <=600000',
    );
    expect(configWords({ ...base, heartbeatIntervalMs: 'soon' })[0]).toContain(
      'must be a whole number of milliseconds >=1000 and <=600000',
    );
  });
});

describe("every field with a rule: the rule is the schema's", () => {
  it.each(
    Object.entries(PROVIDER_FIELDS).flatMap(([p, fields]) =>
      fields.filter((f) => f.rule).map((f) => [p, f.name, f.rule] as const),
    ),
  )('%s.%s uses %s', (provider, name, rule) => {
    // A value every rule refuses: the config must refuse it for that field too.
    const bad = rule === 'heartbeat' ? 5 : 'ftp://nowhere';
    const problems = configWords({ ...base, provider, [name]: bad });
    expect(problems.join('\n')).toContain(`field "${name}"`);
  });
});
