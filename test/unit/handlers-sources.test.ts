// The source commands, called as registered handlers: save (add, edit, rename), remove, reconnect.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandResult } from '../../src-main/shared/bridge.js';
import { parts, setup } from '../support/host-harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('source handlers', () => {
  const saveCases: [string, unknown, Partial<CommandResult> & { field?: string }][] = [
    [
      'new nexchange source',
      { id: 'nx2', provider: 'nexchange', fields: { url: 'wss://a.example/ws', orders: 'A, B' } },
      { ok: true },
    ],
    ['bad url', { id: 'nx2', provider: 'nexchange', fields: { url: 'ftp://x' } }, { field: 'url' }],
    ['missing url', { id: 'nx2', provider: 'nexchange', fields: {} }, { field: 'url' }],
    ['empty id', { id: ' ', provider: 'nexchange', fields: {} }, { field: 'id' }],
    [
      'duplicate id',
      { id: 'hd', provider: 'nexchange', fields: { url: 'ws://x/' } },
      { field: 'id' },
    ],
    ['unknown provider', { id: 'q', provider: 'acme', fields: {} }, { field: 'provider' }],
    [
      'missing secret on create',
      { id: 'hd2', provider: 'houdini', fields: { url: 'wss://h/', partnerId: 'p' } },
      { field: 'secret' },
    ],
    [
      'partner id with a colon',
      {
        id: 'hd2',
        provider: 'houdini',
        fields: { url: 'wss://h/', partnerId: 'a:b', secret: 'x' },
      },
      { field: 'partnerId' },
    ],
    [
      'heartbeat not a number',
      { id: 'nx2', provider: 'nexchange', fields: { url: 'ws://x/', heartbeatIntervalMs: 'soon' } },
      { field: 'heartbeatIntervalMs' },
    ],
    [
      'field of another provider',
      { id: 'nx2', provider: 'nexchange', fields: { url: 'ws://x/', apiKey: 'k' } },
      { field: 'apiKey' },
    ],
    [
      'edit of a missing source',
      { replaces: 'nope', id: 'nope', provider: 'nexchange', fields: { url: 'ws://x/' } },
      { field: 'id' },
    ],
  ];
  it.each(saveCases)('saveSource: %s', async (_name, req, expected) => {
    const { handlers } = parts();
    const res = await handlers.saveSource(req);
    expect(res).toMatchObject(expected);
    if (expected.field) expect(res.ok).toBe(false);
  });

  it('saveSource keeps a stored secret left empty on edit, and persists the sources', async () => {
    const { engine, host, settings } = setup();
    const res = await host.invoke('saveSource', {
      replaces: 'hd',
      id: 'hd',
      provider: 'houdini',
      label: 'Main',
      fields: { url: 'ws://127.0.0.1:2/', partnerId: 'p2', secret: '' },
    });
    expect(res).toEqual({ ok: true });
    const hd = engine.sourceConfigs().find((c) => c.id === 'hd');
    expect(hd).toMatchObject({ partnerId: 'p2', secret: 's3cr3t', label: 'Main' });
    expect(settings.getSources()?.find((c) => c.id === 'hd')).toMatchObject({ secret: 's3cr3t' });
  });

  it('saveSource refuses a new destination with the secret left empty; nothing changes', async () => {
    const { engine, host, settings } = setup();
    const writes = settings.writes;
    const res = await host.invoke('saveSource', {
      replaces: 'hd',
      id: 'hd',
      provider: 'houdini',
      fields: { url: 'wss://h.example/', partnerId: 'p1', secret: '' },
    });
    expect(res).toEqual({
      ok: false,
      error: 'enter the secret again: the destination changed',
      field: 'secret',
    });
    expect(engine.sourceConfigs().find((c) => c.id === 'hd')).toMatchObject({
      url: 'ws://127.0.0.1:2/',
    });
    expect(settings.writes).toBe(writes);
  });

  it('saveSource renames a source: the old id goes away', async () => {
    const { engine, host } = setup();
    const res = await host.invoke('saveSource', {
      replaces: 'nx',
      id: 'nx-main',
      provider: 'nexchange',
      fields: {},
    });
    expect(res).toEqual({ ok: true });
    expect(engine.sourceConfigs().map((c) => c.id)).toEqual(['hd', 'op', 'nx-main']);
  });

  it('a rename tells the windows: old id removed, new source sent', async () => {
    const p = parts();
    await p.handlers.saveSource({
      replaces: 'nx',
      id: 'nx-main',
      provider: 'nexchange',
      fields: {},
    });
    expect(
      p.changes().map((c) => (c.type === 'source' ? `source ${c.source.id}` : c.type)),
    ).toEqual(['source-removed', 'source nx-main']);
  });

  it('refuses source edits in demo mode', async () => {
    const { host } = setup({ demo: true });
    const res = await host.invoke('removeSource', { id: 'nx' });
    expect(res.ok).toBe(false);
  });

  it('saveSource in demo mode is refused too, and nothing changes', async () => {
    const { engine, handlers } = parts({ demo: true });
    const res = await handlers.saveSource({
      id: 'nx2',
      provider: 'nexchange',
      fields: { url: 'ws://x/' },
    });
    expect(res).toMatchObject({ ok: false, error: expect.stringMatching(/^Demo sources/) });
    expect(engine.calls).toEqual([]);
  });

  it('removeSource removes, persists and tells the windows', async () => {
    const p = parts();
    expect(await p.handlers.removeSource({ id: 'op' })).toEqual({ ok: true });
    expect(p.engine.calls).toEqual(['remove op']);
    expect(p.settings.getSources()?.map((c) => c.id)).toEqual(['nx', 'hd']);
    expect(p.changes()).toEqual([{ type: 'source-removed', id: 'op' }]);
    expect(await p.handlers.removeSource({ id: 'op' })).toMatchObject({ ok: false, field: 'id' });
    expect(await p.handlers.removeSource({})).toMatchObject({ ok: false, field: 'id' });
  });

  it('a save that fails later is shown as a problem, not thrown', async () => {
    const p = parts();
    p.settings.setSources = () => Promise.reject(new Error('disk full'));
    expect(await p.handlers.removeSource({ id: 'op' })).toEqual({ ok: true });
    await vi.waitFor(() =>
      expect(p.changes()).toContainEqual({
        type: 'problems',
        problems: ['saving settings failed: disk full'],
      }),
    );
  });

  it('reconnect: one source, all, or an unknown one', async () => {
    const { engine, host } = setup();
    expect(await host.invoke('reconnect', { source: 'hd' })).toEqual({ ok: true });
    expect(await host.invoke('reconnect', {})).toEqual({ ok: true });
    expect(await host.invoke('reconnect', { source: 'zz' })).toMatchObject({ field: 'source' });
    expect(engine.calls).toEqual(['reconnect hd', 'reconnectAll']);
  });
});
