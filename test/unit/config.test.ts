// Config errors must name the source and the field, and nothing is accepted until all of it is valid.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  jsonDepth,
  loadConfigFile,
  MAX_CONFIG_BYTES,
  MAX_CONFIG_DEPTH,
  nothingToWatch,
  parseConfig,
} from '../../src-main/engine/config.js';

const valid = {
  sources: [
    { id: 'nx', provider: 'nexchange', url: 'wss://api.n.exchange/orders/', orders: ['REF1'] },
    {
      id: 'oz',
      provider: 'ozzobit',
      url: 'wss://ozzobit.com/ws',
      apiKey: 'k',
      env: 'PRODUCTION',
      orders: ['o-1'],
      allOrders: true,
    },
    {
      id: 'hd',
      provider: 'houdini',
      url: 'wss://h.example/ws',
      restUrl: 'https://h.example',
      partnerId: 'p',
      secret: 's',
      orders: [],
    },
    { id: 'op', provider: 'orangepill', url: 'wss://stream.orangepill.cloud', realmKey: 'r' },
    {
      id: 'sx',
      provider: 'satoriex',
      url: 'wss://staging.satoriex.io/ws',
      token: 'a.b.c',
      markets: ['mkt_abc123'],
      marketData: false,
      restUrl: 'https://s.example',
    },
  ],
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

const withSource = (i: number, patch: Record<string, unknown>) => ({
  sources: valid.sources.map((s, j) => (j === i ? { ...s, ...patch } : s)),
});

const without = (i: number, field: string) => ({
  sources: valid.sources.map((s, j) => {
    if (j !== i) return s;
    const copy: Record<string, unknown> = { ...s };
    delete copy[field];
    return copy;
  }),
});

describe('config', () => {
  it('accepts the contract example and fills defaults', () => {
    const { config } = parseConfig(valid);
    expect(config.sources.map((s) => s.id)).toEqual(['nx', 'oz', 'hd', 'op', 'sx']);
    expect(config.sources.every((s) => s.enabled)).toBe(true);
    const op = config.sources.find((s) => s.provider === 'ozzobit');
    expect(op && 'env' in op && op.env).toBe('PRODUCTION');
  });

  it.each([
    [
      'unknown provider',
      withSource(0, { provider: 'binance' }),
      'source "nx": field "provider": unknown provider "binance"',
    ],
    ['missing api key', without(1, 'apiKey'), 'source "oz": field "apiKey": is required'],
    ['ill-typed orders', withSource(0, { orders: 'REF1' }), 'source "nx": field "orders"'],
    ['bad env', withSource(1, { env: 'TEST' }), 'source "oz": field "env"'],
    [
      'non-ws url',
      withSource(3, { url: 'ftp://x' }),
      'source "op": field "url": must be a ws/wss/http/https URL',
    ],
    ['not a url', withSource(3, { url: 'stream' }), 'source "op": field "url"'],
    [
      'rest url must be http',
      withSource(2, { restUrl: 'wss://x' }),
      'source "hd": field "restUrl"',
    ],
    [
      'partner id with colon',
      withSource(2, { partnerId: 'a:b' }),
      'source "hd": field "partnerId": must not contain ":"',
    ],
    ['empty secret', withSource(2, { secret: ' ' }), 'source "hd": field "secret"'],
    ['missing id', without(4, 'id'), 'source #5 (no id): field "id": is required'],
    ['duplicate id', withSource(1, { id: 'nx' }), 'source "nx": field "id": duplicate id'],
    [
      'heartbeat not a number',
      withSource(0, { heartbeatIntervalMs: 'fast' }),
      'source "nx": field "heartbeatIntervalMs"',
    ],
    ['enabled not boolean', withSource(0, { enabled: 'yes' }), 'source "nx": field "enabled"'],
  ])('%s is reported by source and field', (_name, json, expected) => {
    const problems = problemsOf(json);
    expect(problems.some((p) => p.startsWith(expected))).toBe(true);
  });

  it.each([
    ['no sources array', {}],
    ['sources not an array', { sources: {} }],
    ['not an object', 42],
  ])('%s is rejected', (_name, json) => {
    expect(problemsOf(json)[0]).toContain('"sources"');
  });

  it('reports every problem at once, not just the first', () => {
    const json = {
      sources: [
        { id: 'a', provider: 'houdini', url: 'x' },
        { id: 'b', provider: 'nope' },
      ],
    };
    expect(problemsOf(json).length).toBeGreaterThanOrEqual(4);
  });

  it('warns about fields a provider does not use (typos) without failing', () => {
    const { warnings } = parseConfig(withSource(1, { apikey: 'oops' }));
    expect(warnings).toEqual(['source "oz": field "apikey" is not used by ozzobit']);
  });

  it('never echoes a secret in an error', () => {
    const problems = problemsOf(withSource(2, { secret: 12345678, partnerId: 'x:y' }));
    expect(problems.join('\n')).not.toContain('12345678');
  });
});

describe('retentionDays (top level)', () => {
  const sources = [{ id: 'op', provider: 'orangepill', url: 'wss://x', realmKey: 'k' }];
  it.each([
    { value: undefined, ok: true },
    { value: 1, ok: true },
    { value: 30, ok: true },
    { value: 3650, ok: true },
    { value: 0, ok: false },
    { value: 3651, ok: false },
    { value: 1.5, ok: false },
    { value: '30', ok: false },
  ])('$value → ok: $ok', ({ value, ok }) => {
    const parse = () =>
      parseConfig({ sources, ...(value === undefined ? {} : { retentionDays: value }) });
    if (!ok) {
      expect(parse).toThrow(/top level: field "retentionDays": must be a whole number of days/);
      return;
    }
    expect(parse().config.retentionDays).toBe(value);
  });
});

describe('config limits (issue 10, item 9)', () => {
  const ESC = '\u001b';
  it.each([
    ['rest url with a path', withSource(2, { restUrl: 'https://h.example/api' }), 'without a path'],
    ['rest url with a query', withSource(2, { restUrl: 'https://h.example/?k=1' }), '?query'],
    ['rest url with an empty query', withSource(2, { restUrl: 'https://h.example/?' }), '?query'],
    ['rest url with a fragment', withSource(4, { restUrl: 'https://s.example/#x' }), '#fragment'],
    ['rest url with user info', withSource(4, { restUrl: 'https://u:p@s.example' }), 'password'],
    ['stream url with a fragment', withSource(0, { url: 'wss://api.n.exchange/#x' }), '#fragment'],
    ['stream url with an empty fragment', withSource(3, { url: 'wss://x/#' }), '#fragment'],
    ['heartbeat under the floor', withSource(0, { heartbeatIntervalMs: 10 }), '>=1000'],
    ['heartbeat past the ceiling', withSource(0, { heartbeatIntervalMs: 600_001 }), '<=600000'],
    ['newline in a source id', withSource(0, { id: 'a\nb' }), 'control characters'],
    ['ANSI escape in a source id', withSource(0, { id: `${ESC}[31mred` }), 'control characters'],
    ['DEL in a source id', withSource(0, { id: 'a\u007fb' }), 'control characters'],
    ['line separator in an order id', withSource(0, { orders: ['a\u2028b'] }), 'control'],
    ['ANSI escape in an order id', withSource(2, { orders: [`${ESC}[2J`] }), 'control'],
    ['C1 control in an order id', withSource(1, { orders: ['a\u009bb'] }), 'control'],
    ['an order id too long', withSource(0, { orders: ['x'.repeat(129)] }), 'at most 128'],
  ])('%s is refused', (_name, json, expected) => {
    const problems = problemsOf(json);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain(expected);
  });

  it.each([
    ['an origin', 'https://h.example', 'https://h.example'],
    ['an origin with a slash', 'https://h.example/', 'https://h.example'],
    ['an origin with a port', 'http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ])('a rest url that is %s is kept as its bare origin', (_name, restUrl, origin) => {
    const { config } = parseConfig(withSource(2, { restUrl }));
    const hd = config.sources.find((s) => s.id === 'hd');
    expect(hd && 'restUrl' in hd && hd.restUrl).toBe(origin);
  });

  it.each([
    ['the floor', 1_000],
    ['the ceiling', 600_000],
  ])('a heartbeat at %s is accepted', (_name, heartbeatIntervalMs) => {
    expect(problemsOf(withSource(0, { heartbeatIntervalMs }))).toEqual([]);
  });

  it('an order id of exactly 128 characters is accepted', () => {
    expect(problemsOf(withSource(0, { orders: ['x'.repeat(128)] }))).toEqual([]);
  });

  const huge = 'x'.repeat(20 * 1024 * 1024);
  it.each([
    ['an unknown provider', withSource(0, { provider: huge })],
    ['an ill-typed field', withSource(1, { env: huge })],
    ['a bad url', withSource(0, { url: huge })],
    ['a huge source id', withSource(0, { id: huge })],
    ['an unknown field', withSource(0, { [huge]: 1 })],
  ])('an error about %s echoes at most a short excerpt of the value', (_name, json) => {
    let lines: string[];
    try {
      lines = [...problemsOf(json), ...parseConfig(json).warnings];
    } catch {
      lines = problemsOf(json);
    }
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.length).toBeLessThan(400);
  });

  it('echoes control characters in a value escaped, never raw', () => {
    const problems = problemsOf(withSource(0, { provider: `bin${ESC}[2J\nance` }));
    expect(problems.join('\n')).toContain('bin\\u001b[2J\\nance');
    expect(problems.join('\n')).not.toContain(ESC);
    const { warnings } = parseConfig(withSource(0, { [`typo${ESC}[31m`]: 1 }));
    expect(warnings.join('\n')).not.toContain(ESC);
  });

  it.each([
    ['no sources', { sources: [] }, 'no sources'],
    [
      'every source disabled',
      { sources: valid.sources.map((s) => ({ ...s, enabled: false })) },
      'all 5 sources in the config are disabled',
    ],
    ['one source enabled', withSource(0, { enabled: false }), undefined],
  ])('nothing to watch: %s', (_name, json, expected) => {
    const said = nothingToWatch(parseConfig(json).config);
    if (expected === undefined) expect(said).toBeUndefined();
    else expect(said).toContain(expected);
  });

  it.each([
    ['flat', '{}', 1],
    ['the contract example', JSON.stringify(valid), 4],
    ['brackets inside strings', '{"a":"[[[{{{","b":["\\"[["]}', 2],
    ['deep', '['.repeat(5000) + ']'.repeat(5000), 5000],
  ])('jsonDepth: %s', (_name, text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });
});

describe('config file limits (issue 10, item 9)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'orderbell-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function problemsOfFile(text: string): Promise<string[]> {
    const path = join(dir, 'config.json');
    writeFileSync(path, text);
    try {
      await loadConfigFile(path);
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  }

  it('a deeply nested value is a config error, not a stack overflow', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const problems = await problemsOfFile(`{"sources":[{"id":"a","provider":${deep}}]}`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`deeper than ${MAX_CONFIG_DEPTH} levels`);
  });

  it('a deeply nested value that reaches the validator (saved sources) is a config error too', () => {
    const deep: unknown = JSON.parse('['.repeat(200_000) + ']'.repeat(200_000));
    const problems = problemsOf({ sources: [{ id: 'a', provider: deep }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('unknown provider');
  });

  it('a file past the size limit is refused unread', async () => {
    const big = JSON.stringify({ sources: [], pad: 'x'.repeat(MAX_CONFIG_BYTES) });
    const problems = await problemsOfFile(big);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`larger than ${MAX_CONFIG_BYTES} bytes`);
  });

  it('a file just under the limits is read', async () => {
    const nested = { sources: valid.sources, x: JSON.parse('['.repeat(14) + ']'.repeat(14)) };
    expect(await problemsOfFile(JSON.stringify(nested))).toEqual([]);
  });

  it('invalid JSON echoes at most a short excerpt of the file', async () => {
    const problems = await problemsOfFile(`{"sources": ${'x'.repeat(100_000)}}`);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.length).toBeLessThan(400);
  });
});
