// GET /metrics's content, from a fake engine and a fake forwarding outbox: every source labelled
// with `source` and `provider`, counters copied as they are, removed sources gone, the per-target
// families present only when forwarding reports, and all of it strict Prometheus text.
import { describe, expect, it } from 'vitest';
import {
  createMetricsRegistry,
  METRIC_NAMES,
  type DeliveryStats,
} from '../../src-main/cli/metrics.js';
import { newSourceCounters, type SourceMetrics } from '../../src-main/engine/source-counters.js';
import { parsePromText, sampleOf } from '../support/prom-text.js';

const NOW = 1_800_000_000_000;

function sources(): SourceMetrics[] {
  return [
    {
      id: 'hd',
      provider: 'houdini',
      enabled: true,
      state: 'connected',
      stateSinceMs: NOW - 1_000,
      heardAtMs: NOW - 2_500,
      counters: { frames: 41, orderUpdates: 7, alerts: 2, reconnects: 3, catchUpLookups: 5 },
    },
    {
      id: 'op "quoted"',
      provider: 'orangepill',
      enabled: false,
      state: 'offline',
      stateSinceMs: NOW,
      counters: newSourceCounters(),
    },
  ];
}

async function scrape(list: () => SourceMetrics[], deliveries?: () => DeliveryStats) {
  const registry = createMetricsRegistry({
    sources: list,
    now: () => NOW,
    ...(deliveries ? { deliveries } : {}),
  });
  return parsePromText(await registry.metrics());
}

describe('service metrics', () => {
  it('labels every source with source and provider and copies its counters', async () => {
    const m = await scrape(sources);
    const hd = { source: 'hd', provider: 'houdini' };
    expect(sampleOf(m, METRIC_NAMES.frames, hd)).toBe(41);
    expect(sampleOf(m, METRIC_NAMES.orderUpdates, hd)).toBe(7);
    expect(sampleOf(m, METRIC_NAMES.alerts, hd)).toBe(2);
    expect(sampleOf(m, METRIC_NAMES.reconnects, hd)).toBe(3);
    expect(sampleOf(m, METRIC_NAMES.catchUpLookups, hd)).toBe(5);
    expect(sampleOf(m, METRIC_NAMES.lastMessageAge, hd)).toBe(2.5);
    expect(sampleOf(m, METRIC_NAMES.enabled, hd)).toBe(1);
    expect(sampleOf(m, METRIC_NAMES.connectionState, { ...hd, state: 'connected' })).toBe(1);
    expect(sampleOf(m, METRIC_NAMES.connectionState, { ...hd, state: 'offline' })).toBe(0);
    const op = { source: 'op "quoted"', provider: 'orangepill' };
    expect(sampleOf(m, METRIC_NAMES.enabled, op)).toBe(0);
    expect(sampleOf(m, METRIC_NAMES.frames, op)).toBe(0);
    expect(sampleOf(m, METRIC_NAMES.connectionState, { ...op, state: 'offline' })).toBe(1);
    // Never heard: no age rather than a made-up one.
    expect(m.get(METRIC_NAMES.lastMessageAge)?.samples).toHaveLength(1);
  });

  it('follows conventions: orderbell_ prefix, counters end in _total, every source sample labelled', async () => {
    const m = await scrape(sources);
    for (const family of m.values()) {
      expect(family.name).toMatch(/^orderbell_/);
      expect(family.help).not.toBe('');
      if (family.type === 'counter') expect(family.name).toMatch(/_total$/);
      // Every source in every per-source family (the age only once a frame came: tested above).
      if (
        family.name.startsWith('orderbell_source_') &&
        family.name !== METRIC_NAMES.lastMessageAge
      ) {
        for (const s of family.samples) expect(Object.keys(s.labels)).toContain('provider');
        expect(new Set(family.samples.map((s) => s.labels.source))).toEqual(
          new Set(['hd', 'op "quoted"']),
        );
      }
    }
  });

  it('drops a removed source at the next scrape', async () => {
    let list = sources();
    const registry = createMetricsRegistry({ sources: () => list, now: () => NOW });
    parsePromText(await registry.metrics());
    list = list.slice(0, 1);
    const m = parsePromText(await registry.metrics());
    for (const family of m.values()) {
      for (const s of family.samples) expect(s.labels.source).not.toBe('op "quoted"');
    }
  });

  it('reports each forwarding target: deliveries by state (delivered, retrying, failed) and the outbox depth', async () => {
    let stats: DeliveryStats = [
      { target: 'hook', type: 'webhook', delivered: 9, failed: 1, retrying: 2, outboxDepth: 3 },
      { target: 'phone', type: 'ntfy', delivered: 0, failed: 0, retrying: 0, outboxDepth: 0 },
    ];
    const m = await scrape(sources, () => stats);
    const hook = { target: 'hook', type: 'webhook' };
    expect(sampleOf(m, METRIC_NAMES.deliveries, { ...hook, state: 'delivered' })).toBe(9);
    expect(sampleOf(m, METRIC_NAMES.deliveries, { ...hook, state: 'failed' })).toBe(1);
    expect(sampleOf(m, METRIC_NAMES.deliveries, { ...hook, state: 'retrying' })).toBe(2);
    expect(sampleOf(m, METRIC_NAMES.outboxDepth, hook)).toBe(3);
    expect(m.get(METRIC_NAMES.deliveries)?.type).toBe('counter');
    expect(m.get(METRIC_NAMES.outboxDepth)?.type).toBe('gauge');
    expect(sampleOf(m, METRIC_NAMES.outboxDepth, { target: 'phone', type: 'ntfy' })).toBe(0);
    stats = [];
    const empty = await scrape(sources, () => stats);
    expect(empty.get(METRIC_NAMES.outboxDepth)?.samples).toEqual([]);
  });

  it('has no per-target families while nothing forwards', async () => {
    const m = await scrape(sources);
    expect(m.has(METRIC_NAMES.deliveries)).toBe(false);
    expect(m.has(METRIC_NAMES.outboxDepth)).toBe(false);
  });

  it('adds process metrics under the same prefix when asked', async () => {
    const registry = createMetricsRegistry({ sources, processMetrics: true });
    const m = parsePromText(await registry.metrics());
    expect(m.has('orderbell_process_resident_memory_bytes')).toBe(true);
  });
});
