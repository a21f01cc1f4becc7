import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig, type SourceConfig } from '../../src-main/engine/config.js';
import { silentLogger } from '../../src-main/engine/log.js';
import type { AlertNotice } from '../../src-main/shared/alert-policy.js';
import type {
  BridgeChange,
  ChangeBatch,
  CommandResult,
  NotificationPrefs,
} from '../../src-main/shared/bridge.js';
import { BridgeHost, type DemoControl } from '../../src-main/shared/bridge-host.js';
import { MemorySettings } from '../../src-main/shared/settings-port.js';
import { alertLine, FakeEngine } from '../support/fake-engine.js';

const SOURCES = parseConfig({
  sources: [
    { id: 'nx', provider: 'nexchange', url: 'ws://127.0.0.1:1/', orders: ['N1'] },
    { id: 'hd', provider: 'houdini', url: 'ws://127.0.0.1:2/', partnerId: 'p1', secret: 's3cr3t' },
    { id: 'op', provider: 'orangepill', url: 'ws://127.0.0.1:3/', realmKey: 'realm-key-value' },
  ],
}).config.sources;

const platform = { notificationsSupported: true, secretsProtected: true, kind: 'web' } as const;

function setup(
  opts: {
    demo?: boolean;
    prefs?: Partial<NotificationPrefs>;
    demoControl?: DemoControl;
    sources?: SourceConfig[];
  } = {},
) {
  const engine = new FakeEngine(opts.sources ?? SOURCES);
  const settings = new MemorySettings({ prefs: opts.prefs ?? {}, sources: SOURCES });
  const host = new BridgeHost({
    engine,
    settings,
    platform,
    demo: opts.demo ?? false,
    log: silentLogger(),
    ...(opts.demoControl ? { demoControl: opts.demoControl } : {}),
  });
  const batches: ChangeBatch[] = [];
  const client = { send: (b: ChangeBatch) => batches.push(b) };
  const notices: AlertNotice[] = [];
  host.onAlert((n) => notices.push(n));
  return { engine, settings, host, batches, client, notices };
}

const changes = (batches: ChangeBatch[]): BridgeChange[] => batches.flatMap((b) => b.changes);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('BridgeHost change stream', () => {
  it('holds changes until the client asks for its snapshot, then streams later ones in order', async () => {
    const { engine, host, batches, client } = setup();
    host.attach(client);
    engine.order('nx', 'N1', 'pending', '11');
    vi.advanceTimersByTime(200);
    expect(batches).toEqual([]);

    const snap = await host.invoke('snapshot', undefined, client);
    expect(snap.orders.map((o) => o.orderId)).toEqual(['N1']);
    engine.order('nx', 'N1', 'processing', '13');
    engine.order('nx', 'N1', 'completed', '16');
    vi.advanceTimersByTime(60);
    expect(batches).toHaveLength(1);
    const batch = batches[0]!;
    expect(batch.seq).toBeGreaterThan(snap.seq);
    const statuses = batch.changes.flatMap((c) =>
      c.type === 'event' && c.event.kind === 'order' ? [c.event.status] : [],
    );
    expect(statuses).toEqual(['processing', 'completed']);
  });

  it('batches many events into few messages and keeps seq increasing', async () => {
    const { engine, host, batches, client } = setup();
    host.attach(client);
    await host.invoke('snapshot', undefined, client);
    for (let i = 0; i < 1000; i += 1) engine.order('nx', `B${i}`, 'pending', '11');
    vi.advanceTimersByTime(60);
    for (let i = 0; i < 1000; i += 1) engine.order('nx', `B${i}`, 'processing', '13');
    vi.advanceTimersByTime(60);
    expect(batches.length).toBe(2);
    expect(changes(batches)).toHaveLength(2000);
    expect(batches[1]!.seq).toBeGreaterThan(batches[0]!.seq);
  });

  it('sends a late-attaching client only what follows its own snapshot', async () => {
    const { engine, host, client } = setup();
    host.attach(client);
    await host.invoke('snapshot', undefined, client);
    engine.order('nx', 'A', 'pending', '11');
    const late: ChangeBatch[] = [];
    const lateClient = { send: (b: ChangeBatch) => late.push(b) };
    host.attach(lateClient);
    const snap = await host.invoke('snapshot', undefined, lateClient);
    engine.order('nx', 'A', 'processing', '13');
    vi.advanceTimersByTime(60);
    expect(late).toHaveLength(1);
    expect(late[0]!.changes).toHaveLength(1);
    expect(late[0]!.seq).toBe(snap.seq + 1);
  });

  it('pushes source status (age, RTT) from the main side at most once per second', async () => {
    const { engine, host, batches, client } = setup();
    host.attach(client);
    await host.invoke('snapshot', undefined, client);
    engine.setStatus('nx', { lastMessageAt: '2025-01-01T00:00:00.000Z', rttMs: 12.5 });
    vi.advanceTimersByTime(400);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(700);
    const sources = changes(batches).filter((c) => c.type === 'source');
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({ source: { id: 'nx', rttMs: 12.5 } });
    vi.advanceTimersByTime(3000);
    // Nothing changed since: nothing more is sent.
    expect(changes(batches).filter((c) => c.type === 'source')).toHaveLength(1);
  });

  it('never sends secrets: only whether each is set', async () => {
    const { host, client } = setup();
    host.attach(client);
    const snap = await host.invoke('snapshot', undefined, client);
    const text = JSON.stringify(snap);
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('realm-key-value');
    const hd = snap.sources.find((s) => s.id === 'hd');
    expect(hd?.secretsSet).toEqual({ secret: true });
    expect(hd?.settings).toMatchObject({ partnerId: 'p1', url: 'ws://127.0.0.1:2/' });
    expect(snap.statusLabels.nexchange['16']).toBe('COMPLETED');
  });

  it('stops sending after detach', async () => {
    const { engine, host, batches, client } = setup();
    const detach = host.attach(client);
    await host.invoke('snapshot', undefined, client);
    detach();
    engine.order('nx', 'N1', 'pending', '11');
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([]);
  });
});

describe('BridgeHost commands', () => {
  const addOrderCases: [string, unknown, Partial<CommandResult> & { field?: string }][] = [
    ['valid', { source: 'nx', orderId: ' N2 ' }, { ok: true }],
    ['empty id', { source: 'nx', orderId: '  ' }, { ok: false, field: 'orderId' }],
    ['id with space', { source: 'nx', orderId: 'a b' }, { ok: false, field: 'orderId' }],
    ['id too long', { source: 'nx', orderId: 'x'.repeat(129) }, { ok: false, field: 'orderId' }],
    ['already watched', { source: 'nx', orderId: 'N1' }, { ok: false, field: 'orderId' }],
    ['unknown source', { source: 'zz', orderId: 'N2' }, { ok: false, field: 'source' }],
    ['no source', { orderId: 'N2' }, { ok: false, field: 'source' }],
    ['number id', { source: 'nx', orderId: 5 }, { ok: false, field: 'orderId' }],
    ['not an object', 'nx', { ok: false }],
  ];
  it.each(addOrderCases)('addOrder: %s', async (_name, req, expected) => {
    const { host } = setup();
    const res = await host.dispatch('addOrder', req);
    expect(res).toMatchObject(expected);
  });

  it('addOrder watches the trimmed id and removeOrder drops it with an order-removed change', async () => {
    const { engine, host, client, batches } = setup();
    host.attach(client);
    await host.invoke('snapshot', undefined, client);
    await host.invoke('addOrder', { source: 'nx', orderId: ' N2 ' });
    expect(engine.calls).toContain('watch nx N2');
    expect(await host.invoke('removeOrder', { source: 'nx', orderId: 'N2' })).toEqual({ ok: true });
    expect(await host.invoke('removeOrder', { source: 'nx', orderId: 'N9' })).toMatchObject({
      ok: false,
      field: 'orderId',
    });
    vi.advanceTimersByTime(60);
    expect(changes(batches)).toContainEqual({ type: 'order-removed', source: 'nx', orderId: 'N2' });
  });

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
    const { host } = setup();
    const res = (await host.dispatch('saveSource', req)) as CommandResult;
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
      fields: { url: 'wss://h.example/', partnerId: 'p2', secret: '' },
    });
    expect(res).toEqual({ ok: true });
    const hd = engine.sourceConfigs().find((c) => c.id === 'hd');
    expect(hd).toMatchObject({ partnerId: 'p2', secret: 's3cr3t', label: 'Main' });
    expect(settings.getSources()?.find((c) => c.id === 'hd')).toMatchObject({ secret: 's3cr3t' });
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

  it('refuses source edits in demo mode', async () => {
    const { host } = setup({ demo: true });
    const res = await host.invoke('removeSource', { id: 'nx' });
    expect(res.ok).toBe(false);
  });

  const prefCases: [string, unknown, Partial<CommandResult> & { field?: string }][] = [
    ['statuses', { statuses: ['failed'] }, { ok: true }],
    ['unknown status', { statuses: ['processing'] }, { field: 'statuses' }],
    ['sound', { sound: false }, { ok: true }],
    ['sound not boolean', { sound: 'no' }, { field: 'sound' }],
    ['pause', { pausedUntil: 1_000 }, { ok: true }],
    ['resume', { pausedUntil: null }, { ok: true }],
    ['pause not a number', { pausedUntil: 'later' }, { field: 'pausedUntil' }],
    ['mute', { mutedSources: ['nx'] }, { ok: true }],
    ['mute not a list', { mutedSources: 'nx' }, { field: 'mutedSources' }],
    ['unknown key', { volume: 3 }, { field: 'volume' }],
  ];
  it.each(prefCases)('setPrefs: %s', async (_name, req, expected) => {
    const { host } = setup();
    expect(await host.dispatch('setPrefs', req)).toMatchObject(expected);
  });

  it('refuses unknown commands and non-https external links', async () => {
    const { host } = setup();
    expect(await host.dispatch('format', {})).toMatchObject({ ok: false });
    expect(await host.dispatch('openExternal', { url: 'file:///etc/passwd' })).toMatchObject({
      ok: false,
      field: 'url',
    });
  });

  it('reconnect: one source, all, or an unknown one', async () => {
    const { engine, host } = setup();
    expect(await host.invoke('reconnect', { source: 'hd' })).toEqual({ ok: true });
    expect(await host.invoke('reconnect', {})).toEqual({ ok: true });
    expect(await host.invoke('reconnect', { source: 'zz' })).toMatchObject({ field: 'source' });
    expect(engine.calls).toEqual(['reconnect hd', 'reconnectAll']);
  });

  it('setDemo swaps the demo sources for the saved ones and back', async () => {
    const demoSources = [{ id: 'demo-nx', provider: 'nexchange', url: 'ws://127.0.0.1:9/' }];
    const control = {
      start: vi.fn(async () => ({ sources: demoSources, run: vi.fn() })),
      stop: vi.fn(async () => {}),
    };
    const { engine, host, settings } = setup({
      demo: true,
      demoControl: control,
      sources: parseConfig({ sources: demoSources }).config.sources,
    });
    expect(await host.invoke('setDemo', { demo: false })).toEqual({ ok: true });
    expect(control.stop).toHaveBeenCalledOnce();
    expect(engine.sourceConfigs().map((c) => c.id)).toEqual(['nx', 'hd', 'op']);
    expect(settings.getDemo()).toBe(false);
    expect(await host.invoke('setDemo', { demo: true })).toEqual({ ok: true });
    expect(engine.sourceConfigs().map((c) => c.id)).toEqual(['demo-nx']);
    expect(host.isDemo).toBe(true);
  });
});

describe('BridgeHost alert policy', () => {
  const NOW = Date.parse('2025-06-01T12:00:00Z');
  const cases: [string, Partial<NotificationPrefs>, 'notify' | 'hold' | 'drop'][] = [
    ['default prefs', {}, 'notify'],
    ['status not chosen', { statuses: ['failed'] }, 'drop'],
    ['paused', { pausedUntil: NOW + 60_000 }, 'hold'],
    ['pause over', { pausedUntil: NOW - 1 }, 'notify'],
    ['source muted', { mutedSources: ['nx'] }, 'hold'],
    ['other source muted', { mutedSources: ['hd'] }, 'notify'],
  ];
  it.each(cases)('%s → %s', async (_name, prefs, expected) => {
    vi.setSystemTime(NOW);
    const { engine, host, notices } = setup({ prefs });
    engine.emit(alertLine('nx', 'N1'));
    vi.advanceTimersByTime(3_000);
    expect(notices.length).toBe(expected === 'notify' ? 1 : 0);
    expect(host.heldAlerts.length).toBe(expected === 'hold' ? 1 : 0);
    if (expected === 'notify') expect(notices[0]?.focus).toEqual({ source: 'nx', orderId: 'N1' });
  });

  it('coalesces a burst of five alerts into one summary notice', () => {
    const { engine, notices } = setup();
    for (let i = 1; i <= 5; i += 1)
      engine.emit(alertLine('nx', `B${i}`, i === 5 ? 'failed' : 'completed'));
    vi.advanceTimersByTime(3_000);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.title).toBe('5 orders finished');
    expect(notices[0]?.alerts).toHaveLength(5);
    expect(notices[0]?.focus).toBeUndefined();
  });

  it('held alerts reach the window and can be dismissed', async () => {
    const { engine, host, client, batches, settings } = setup({ prefs: { mutedSources: ['nx'] } });
    host.attach(client);
    await host.invoke('snapshot', undefined, client);
    engine.emit(alertLine('nx', 'N1'));
    vi.advanceTimersByTime(60);
    expect(changes(batches).some((c) => c.type === 'held' && c.heldAlerts.length === 1)).toBe(true);
    expect(settings.getHeldAlerts()).toHaveLength(1);
    await host.invoke('dismissHeld', undefined);
    expect(host.heldAlerts).toEqual([]);
    expect((await host.invoke('snapshot', undefined)).heldAlerts).toEqual([]);
  });

  it('activity alerts only for event types the user turned on', () => {
    const { engine, notices } = setup({ prefs: { activityAlerts: ['kyc.approved'] } });
    const line = (event: string) =>
      ({ kind: 'activity', source: 'op', provider: 'orangepill', event, at: '' }) as const;
    engine.emit(line('wallet.updated'));
    engine.emit(line('kyc.approved'));
    expect(notices.map((n) => n.title)).toEqual(['Orangepill: kyc.approved']);
  });
});
