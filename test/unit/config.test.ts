// Config errors must name the source and the field, and nothing is accepted until all of it is valid.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src-main/engine/config.js';

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
