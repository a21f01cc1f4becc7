// The source form → a validated config: types restored from form text, stored credentials kept
// when left empty, and every refusal naming its field.
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../src-main/engine/config.js';
import type { CommandResult } from '../../src-main/shared/bridge.js';
import { buildSourceConfig, isRefusal } from '../../src-main/shared/host/source-builder.js';
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
        fields: { url: 'wss://h.example/', partnerId: 'p2', secret: '' },
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
