// The source form → a validated config: types restored from form text, stored credentials kept
// when left empty, and every refusal naming its field.
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../src-main/engine/config.js';
import type { CommandResult } from '../../src-main/shared/bridge.js';
import {
  buildSourceConfig,
  DESTINATION_CHANGED,
  destinationMoved,
  isRefusal,
} from '../../src-main/shared/host/source-builder.js';
import { SOURCES } from '../support/host-harness.js';

const build = (req: unknown): SourceConfig | CommandResult => buildSourceConfig(req, SOURCES);

describe('buildSourceConfig: refusals name the field', () => {
  // [name, form request, field and (when it matters) message expected]
  const cases: [string, unknown, { field?: string; error?: string | RegExp }][] = [
    ['not an object', 'nx', { error: 'request must be an object' }],
    ['empty id', { id: ' ', provider: 'nexchange' }, { field: 'id', error: 'enter an id' }],
    ['unknown provider', { id: 'q', provider: 'acme' }, { field: 'provider' }],
    ['replaces not text', { id: 'q', provider: 'nexchange', replaces: 1 }, { field: 'replaces' }],
    ['fields not an object', { id: 'q', provider: 'nexchange', fields: [] }, { field: 'fields' }],
    ['label not text', { id: 'q', provider: 'nexchange', label: 3 }, { field: 'label' }],
    ['enabled not boolean', { id: 'q', provider: 'nexchange', enabled: 'y' }, { field: 'enabled' }],
    [
      'edit of a missing source',
      { replaces: 'nope', id: 'nope', provider: 'nexchange', fields: { url: 'ws://x/' } },
      { field: 'id', error: 'no source "nope" to edit' },
    ],
    [
      'id taken by another source',
      { id: 'hd', provider: 'nexchange', fields: { url: 'ws://x/' } },
      { field: 'id', error: 'a source with this id already exists' },
    ],
    [
      'field of another provider',
      { id: 'q', provider: 'nexchange', fields: { url: 'ws://x/', apiKey: 'k' } },
      { field: 'apiKey', error: 'not a nexchange setting' },
    ],
    [
      'missing url',
      { id: 'q', provider: 'nexchange', fields: {} },
      { field: 'url', error: 'is required' },
    ],
    ['bad url', { id: 'q', provider: 'nexchange', fields: { url: 'ftp://x' } }, { field: 'url' }],
    [
      'missing secret on create',
      { id: 'q', provider: 'houdini', fields: { url: 'wss://h/', partnerId: 'p' } },
      { field: 'secret', error: 'is required' },
    ],
    [
      'heartbeat not a number',
      { id: 'q', provider: 'nexchange', fields: { url: 'ws://x/', heartbeatIntervalMs: 'soon' } },
      { field: 'heartbeatIntervalMs' },
    ],
  ];
  it.each(cases)('%s', (_name, req, expected) => {
    const res = build(req);
    expect(isRefusal(res)).toBe(true);
    expect(res).toMatchObject({ ok: false, ...(expected.field ? { field: expected.field } : {}) });
    if (expected.error) expect((res as { error: string }).error).toMatch(expected.error);
  });
});

describe('buildSourceConfig: what a valid form becomes', () => {
  // [name, form request, config fields expected]
  const cases: [string, unknown, Record<string, unknown>][] = [
    [
      'lists from text, trimmed id and label',
      {
        id: ' nx2 ',
        provider: 'nexchange',
        label: ' Main ',
        fields: { url: ' wss://a.example/ws ', orders: 'A, B  C' },
      },
      { id: 'nx2', label: 'Main', url: 'wss://a.example/ws', orders: ['A', 'B', 'C'] },
    ],
    [
      'a whole number from text',
      {
        id: 'nx2',
        provider: 'nexchange',
        fields: { url: 'ws://x/', heartbeatIntervalMs: ' 5000 ' },
      },
      { heartbeatIntervalMs: 5000 },
    ],
    [
      'edit keeps a secret left empty',
      {
        replaces: 'hd',
        id: 'hd',
        provider: 'houdini',
        label: '',
        enabled: false,
        fields: { url: 'ws://127.0.0.1:2/', partnerId: 'p2', secret: '' },
      },
      { id: 'hd', partnerId: 'p2', secret: 's3cr3t', enabled: false },
    ],
    [
      'edit replaces a secret typed in',
      {
        replaces: 'hd',
        id: 'hd',
        provider: 'houdini',
        fields: { secret: ' new ' },
      },
      { secret: 'new', partnerId: 'p1' },
    ],
    [
      'the same destination written differently keeps the secret',
      { replaces: 'hd', id: 'hd', provider: 'houdini', fields: { url: 'WS://127.0.0.1:2' } },
      { secret: 's3cr3t', url: 'WS://127.0.0.1:2' },
    ],
    [
      'a new url with the secret typed again',
      {
        replaces: 'hd',
        id: 'hd',
        provider: 'houdini',
        fields: { url: 'wss://h.example/', secret: 'again' },
      },
      { url: 'wss://h.example/', secret: 'again' },
    ],
    [
      'rename keeps the other settings',
      { replaces: 'nx', id: 'nx-main', provider: 'nexchange', fields: {} },
      { id: 'nx-main', url: 'ws://127.0.0.1:1/', orders: ['N1'] },
    ],
  ];
  it.each(cases)('%s', (_name, req, expected) => {
    const res = build(req);
    expect(isRefusal(res)).toBe(false);
    expect(res).toMatchObject(expected);
  });

  it('an emptied label is removed; the common keys in `fields` are ignored', () => {
    const res = build({
      replaces: 'hd',
      id: 'hd',
      provider: 'houdini',
      label: '  ',
      fields: { id: 'other', provider: 'nexchange' },
    }) as SourceConfig;
    expect(res.label).toBeUndefined();
    expect(res).toMatchObject({ id: 'hd', provider: 'houdini' });
  });

  it('a setting emptied on edit is dropped (the schema default or absence applies)', () => {
    const hd = { ...SOURCES[1]!, restUrl: 'https://rest.example/' } as SourceConfig;
    const res = buildSourceConfig(
      { replaces: 'hd', id: 'hd', provider: 'houdini', fields: { restUrl: '' } },
      [hd],
    ) as SourceConfig;
    expect(res).toMatchObject({ id: 'hd', secret: 's3cr3t' });
    expect(res).not.toHaveProperty('restUrl');
  });

  it('switching an edited source to another provider starts from an empty config', () => {
    const res = build({
      replaces: 'hd',
      id: 'hd',
      provider: 'nexchange',
      fields: { url: 'ws://x/' },
    }) as SourceConfig;
    expect(res).toMatchObject({ id: 'hd', provider: 'nexchange', url: 'ws://x/' });
    expect(res).not.toHaveProperty('secret');
    expect(res).not.toHaveProperty('partnerId');
  });
});

describe('buildSourceConfig: a stored secret follows its destination', () => {
  const hd = {
    ...SOURCES[1]!,
    restUrl: 'https://rest.example/',
  } as SourceConfig;
  const sx = parseConfig({
    sources: [
      {
        id: 'sx',
        provider: 'satoriex',
        url: 'wss://sx.example/ws',
        restUrl: 'https://api.sx.example',
        token: 'jwt-value',
      },
    ],
  }).config.sources[0]!;
  const oz = parseConfig({
    sources: [{ id: 'oz', provider: 'ozzobit', url: 'https://oz.example/ws', apiKey: 'k' }],
  }).config.sources[0]!;
  const op = SOURCES[2]!;
  const existing = [hd, sx, oz, op];
  // [name, request, the credential field named in the refusal]
  const refused: [string, unknown, string][] = [
    [
      'Houdini url moved, secret left empty',
      { replaces: 'hd', id: 'hd', provider: 'houdini', fields: { url: 'wss://evil/', secret: '' } },
      'secret',
    ],
    [
      'Houdini url moved, secret left out of the request',
      { replaces: 'hd', id: 'hd', provider: 'houdini', fields: { url: 'wss://evil/' } },
      'secret',
    ],
    [
      'Houdini restUrl moved',
      { replaces: 'hd', id: 'hd', provider: 'houdini', fields: { restUrl: 'https://evil/' } },
      'secret',
    ],
    [
      'Houdini renamed and moved',
      { replaces: 'hd', id: 'hd2', provider: 'houdini', fields: { url: 'ws://127.0.0.1:9/' } },
      'secret',
    ],
    [
      'SatoriEx restUrl moved',
      { replaces: 'sx', id: 'sx', provider: 'satoriex', fields: { restUrl: 'https://evil' } },
      'token',
    ],
    [
      'SatoriEx url port changed',
      {
        replaces: 'sx',
        id: 'sx',
        provider: 'satoriex',
        fields: { url: 'wss://sx.example:8443/ws' },
      },
      'token',
    ],
    [
      'OZZOBiT url moved',
      { replaces: 'oz', id: 'oz', provider: 'ozzobit', fields: { url: 'https://evil/ws' } },
      'apiKey',
    ],
    [
      'OZZOBiT restUrl added where there was none',
      { replaces: 'oz', id: 'oz', provider: 'ozzobit', fields: { restUrl: 'https://oz.example' } },
      'apiKey',
    ],
    [
      'Orangepill url moved',
      { replaces: 'op', id: 'op', provider: 'orangepill', fields: { url: 'ws://evil/' } },
      'realmKey',
    ],
  ];
  it.each(refused)('%s: refused under the credential field', (_name, req, field) => {
    const res = buildSourceConfig(req, existing);
    expect(res).toEqual({ ok: false, error: DESTINATION_CHANGED, field });
  });

  // [name, request, what the stored credential became]
  const kept: [string, unknown, Record<string, unknown>][] = [
    [
      'Houdini restUrl dropped (narrower: only the stream still gets it)',
      { replaces: 'hd', id: 'hd', provider: 'houdini', fields: { restUrl: '' } },
      { secret: 's3cr3t' },
    ],
    [
      'SatoriEx markets changed, destinations alike',
      { replaces: 'sx', id: 'sx', provider: 'satoriex', fields: { markets: 'BTC-USD' } },
      { token: 'jwt-value' },
    ],
    [
      'OZZOBiT env changed (not a destination)',
      { replaces: 'oz', id: 'oz', provider: 'ozzobit', fields: { env: 'STAGING' } },
      { apiKey: 'k' },
    ],
  ];
  it.each(kept)('%s: kept', (_name, req, expected) => {
    const res = buildSourceConfig(req, existing);
    expect(isRefusal(res)).toBe(false);
    expect(res).toMatchObject(expected);
  });

  it('n.exchange (no credential): url and origin change freely', () => {
    const res = buildSourceConfig(
      {
        replaces: 'nx',
        id: 'nx',
        provider: 'nexchange',
        fields: { url: 'wss://other/', origin: 'https://o' },
      },
      SOURCES,
    );
    expect(res).toMatchObject({ url: 'wss://other/', origin: 'https://o' });
  });
});

describe('destinationMoved', () => {
  // [before, after, moved]
  const cases: [Record<string, unknown>, Record<string, unknown>, boolean][] = [
    [{ url: 'ws://a/' }, { url: 'ws://a/' }, false],
    [{ url: 'ws://a/' }, { url: 'WS://A' }, false],
    [{ url: 'ws://a/' }, { url: 'ws://b/' }, true],
    [{ url: 'ws://a/' }, { url: 'ws://a:81/' }, true],
    [{ url: 'ws://a/x' }, { url: 'ws://a/y' }, true],
    [{ url: 'ws://a/', restUrl: 'http://r/' }, { url: 'ws://a/' }, false],
    [{ url: 'ws://a/' }, { url: 'ws://a/', restUrl: 'http://r/' }, true],
    [{ url: 'ws://a/', restUrl: 'http://r/' }, { url: 'ws://a/', restUrl: 'http://s/' }, true],
    [{ url: 'ws://a/', origin: 'http://o' }, { url: 'ws://a/', origin: 'http://p' }, false],
  ];
  it.each(cases)('%j → %j: %s', (before, after, moved) => {
    expect(destinationMoved(before, after)).toBe(moved);
  });
});
