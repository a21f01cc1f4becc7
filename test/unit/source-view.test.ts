// What the window may see of a source (never a credential), and the feed that sends a source's
// view only when it changed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig, type SourceConfig } from '../../src-main/engine/config.js';
import type { SourceStatus } from '../../src-main/engine/engine.js';
import type { BridgeChange } from '../../src-main/shared/bridge.js';
import { SourceFeed } from '../../src-main/shared/host/source-feed.js';
import { secretFieldsOf, sourceView } from '../../src-main/shared/host/source-view.js';
import { FakeEngine } from '../support/fake-engine.js';
import { setup, SOURCES } from '../support/host-harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('BridgeHost source view', () => {
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
});

const config = (raw: Record<string, unknown>): SourceConfig =>
  parseConfig({ sources: [raw] }).config.sources[0]!;

const status = (cfg: SourceConfig): SourceStatus => ({
  id: cfg.id,
  provider: cfg.provider,
  enabled: cfg.enabled,
  state: 'connected',
  watched: ['W1'],
});

describe('sourceView', () => {
  // [name, raw config, settings expected, secretsSet expected]
  const cases: [
    string,
    Record<string, unknown>,
    Record<string, unknown>,
    Record<string, boolean>,
  ][] = [
    [
      'nexchange: url and orders, no credential',
      { id: 'nx', provider: 'nexchange', url: 'ws://h/', orders: ['A'] },
      { url: 'ws://h/', orders: ['A'] },
      {},
    ],
    [
      'houdini: the secret only as "set"',
      { id: 'hd', provider: 'houdini', url: 'ws://h/', partnerId: 'p', secret: 'x' },
      { url: 'ws://h/', partnerId: 'p' },
      { secret: true },
    ],
    [
      'orangepill: the realm key only as "set"',
      { id: 'op', provider: 'orangepill', url: 'ws://h/', realmKey: 'rk' },
      { url: 'ws://h/' },
      { realmKey: true },
    ],
    [
      'ozzobit: the api key only as "set"',
      { id: 'oz', provider: 'ozzobit', url: 'ws://h/', apiKey: 'k' },
      { url: 'ws://h/' },
      { apiKey: true },
    ],
  ];
  it.each(cases)('%s', (_name, raw, settings, secretsSet) => {
    const cfg = config(raw);
    const view = sourceView(status(cfg), cfg);
    expect(view.settings).toMatchObject(settings);
    expect(view.secretsSet).toEqual(secretsSet);
    for (const key of ['id', 'provider', 'label', 'enabled', ...secretFieldsOf(cfg.provider)]) {
      expect(view.settings).not.toHaveProperty(key);
    }
    expect(view).toMatchObject({ id: cfg.id, state: 'connected', watched: ['W1'] });
  });

  it('a credential stored empty is "not set"; a source without config has no settings', () => {
    const cfg = { ...config({ id: 'oz', provider: 'ozzobit', url: 'ws://h/', apiKey: 'k' }) };
    (cfg as Record<string, unknown>).apiKey = '';
    expect(sourceView(status(cfg), cfg).secretsSet).toEqual({ apiKey: false });
    expect(sourceView(status(cfg), undefined)).toMatchObject({ settings: {}, secretsSet: {} });
  });

  it('copies the watched list (the window may not alias engine state)', () => {
    const cfg = SOURCES[0]!;
    const s = status(cfg);
    const view = sourceView(s, cfg);
    expect(view.watched).toEqual(s.watched);
    expect(view.watched).not.toBe(s.watched);
  });
});

describe('SourceFeed', () => {
  function feed() {
    const engine = new FakeEngine(SOURCES);
    const sent: BridgeChange[] = [];
    return { engine, sent, feed: new SourceFeed(engine, (c) => sent.push(c)) };
  }

  it('sends a view when it changed, or always when forced', () => {
    const { engine, sent, feed: f } = feed();
    f.push('nx');
    f.push('nx');
    expect(sent).toHaveLength(1);
    f.push('nx', true);
    expect(sent).toHaveLength(2);
    // The tick: hd and op were never sent; nx is unchanged.
    f.pushChanged();
    expect(sent.slice(2).map((c) => c.type === 'source' && c.source.id)).toEqual(['hd', 'op']);
    engine.setStatus('nx', { rttMs: 3 });
    f.pushChanged();
    expect(sent).toHaveLength(5);
    expect(sent[4]).toMatchObject({ type: 'source', source: { id: 'nx', rttMs: 3 } });
  });

  it('views given to a snapshot count as sent; a forgotten source is news again', () => {
    const { engine, sent, feed: f } = feed();
    const configs = new Map(engine.sourceConfigs().map((c) => [c.id, c]));
    const views = f.snapshotViews(engine.snapshot().sources, configs);
    expect(views.map((v) => v.id)).toEqual(['nx', 'hd', 'op']);
    f.pushChanged();
    expect(sent).toEqual([]);
    f.forget('hd');
    f.pushChanged();
    expect(sent.map((c) => c.type === 'source' && c.source.id)).toEqual(['hd']);
  });

  it('an unknown source sends nothing', () => {
    const { sent, feed: f } = feed();
    f.push('zz', true);
    expect(sent).toEqual([]);
  });
});
