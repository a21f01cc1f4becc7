// The halves of every provider's description (shared/providers.ts for the window, each adapter's
// descriptor behind engine/providers/index.ts, each simulator's behind simulator/index.ts) list the
// same providers, and every entry is complete. What is particular to one provider (its sample
// config, heartbeat, catch-up, secrets, words for bad credentials, demo) is checked in its own test
// file, test/integration/<provider>.test.ts, through descriptor-suite.ts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceSchemas } from '../../src-main/engine/config.js';
import {
  authFailureFor,
  CATCH_UP_MODES,
  type AuthSignal,
} from '../../src-main/engine/providers/descriptor.js';
import { ENGINE_PROVIDERS } from '../../src-main/engine/providers/index.js';
import { STATUSES } from '../../src-main/engine/types.js';
import {
  emptyStatusLabels,
  isProviderKey,
  isSecretField,
  PROVIDER_INFO,
  PROVIDERS,
} from '../../src-main/shared/providers.js';
import { SIMULATORS } from '../../src-main/simulator/index.js';

describe('the provider registries', () => {
  it('list the same providers, in the same order', () => {
    expect(Object.keys(ENGINE_PROVIDERS)).toEqual([...PROVIDERS]);
    expect(Object.keys(PROVIDER_INFO)).toEqual([...PROVIDERS]);
    expect(Object.keys(SIMULATORS)).toEqual([...PROVIDERS]);
  });

  // Its expectations (descriptor-suite.ts) are part of the provider suite, which the compiler makes
  // every provider's test file fill in.
  it.each(PROVIDERS.map((p) => [p]))(
    '%s: has its own test file running the provider suite',
    (p) => {
      const file = join(import.meta.dirname, '..', 'integration', `${p}.test.ts`);
      expect(existsSync(file), file).toBe(true);
      expect(readFileSync(file, 'utf8')).toMatch(/\bproviderSuite\(/);
    },
  );

  it.each(PROVIDERS.map((p) => [p]))('%s: the engine descriptor is complete', (provider) => {
    const d = ENGINE_PROVIDERS[provider];
    // The schema's provider field names this provider and no other.
    for (const p of PROVIDERS) {
      expect(d.schema.shape.provider.safeParse(p).success, p).toBe(p === provider);
    }
    expect(sourceSchemas[provider]).toBe(d.schema);

    const codes = Object.values(d.statuses);
    expect(codes.length).toBeGreaterThan(0);
    for (const entry of codes) expect(STATUSES).toContain(entry.status);

    expect(Number.isInteger(d.defaultHeartbeatMs) && d.defaultHeartbeatMs > 0).toBe(true);

    expect(CATCH_UP_MODES).toContain(d.catchUp.mode);
    if (d.catchUp.requires) expect(Object.keys(d.schema.shape)).toContain(d.catchUp.requires);

    expect(['ws', 'source']).toContain(d.connect.kind);
    for (const key of Object.keys(d.authFailures)) {
      expect(key).toMatch(/^(http \d{3}|close \d{4}|message \S+)$/);
    }
  });

  it.each(PROVIDERS.map((p) => [p]))('%s: the window descriptor is complete', (provider) => {
    const info = PROVIDER_INFO[provider];
    expect(info.name.trim()).not.toBe('');
    expect(info.short).toMatch(/^[A-Z]{2}$/);
    expect(info.colour).toMatch(/^#[0-9a-f]{6}$/);
    expect(info.fields.map((f) => f.name)).toContain('url');
    expect(isSecretField(provider, 'url')).toBe(false);
  });

  it.each(PROVIDERS.map((p) => [p]))('%s: the simulator descriptor is complete', (provider) => {
    const sim = SIMULATORS[provider];
    expect(sim.sourceId).toMatch(/^[a-z]{2}$/);
    expect(typeof sim.start).toBe('function');
    expect(typeof sim.demo.script).toBe('function');
    expect(typeof sim.demo.source).toBe('function');
    expect(typeof sim.soak.lifecycle).toBe('function');
    expect(typeof sim.soak.source).toBe('function');
  });

  it('tells badges apart: no two providers share a short name or a colour', () => {
    const infos = PROVIDERS.map((p) => PROVIDER_INFO[p]);
    expect(new Set(infos.map((i) => i.short)).size).toBe(PROVIDERS.length);
    expect(new Set(infos.map((i) => i.colour)).size).toBe(PROVIDERS.length);
  });

  it('tells demo and soak sources apart: no two simulators share a source id', () => {
    expect(new Set(PROVIDERS.map((p) => SIMULATORS[p].sourceId)).size).toBe(PROVIDERS.length);
  });

  it('knows its keys and starts every provider with no status labels', () => {
    for (const p of PROVIDERS) expect(isProviderKey(p)).toBe(true);
    for (const v of ['', 'NEXCHANGE', 'toString', 'constructor', 42, undefined]) {
      expect(isProviderKey(v)).toBe(false);
    }
    const labels = emptyStatusLabels();
    expect(Object.keys(labels)).toEqual([...PROVIDERS]);
    for (const p of PROVIDERS) expect(labels[p]).toEqual({});
    // A fresh object each time: the window may fill one without touching the next.
    expect(emptyStatusLabels()).not.toBe(labels);
  });
});

describe('auth failure tables', () => {
  const table = { 'http 401': 'no', 'close 4401': 'closed', 'message AUTH_FAILED': 'refused' };
  it.each<[AuthSignal, string | undefined]>([
    [{ httpStatus: 401 }, 'no'],
    [{ httpStatus: 403 }, undefined],
    [{ closeCode: 4401 }, 'closed'],
    [{ closeCode: 1000 }, undefined],
    [{ message: 'AUTH_FAILED' }, 'refused'],
    [{ message: 'auth_failed' }, undefined],
    [{}, undefined],
  ])('%j → %s', (signal, reason) => {
    expect(authFailureFor(table, signal)).toBe(reason);
  });
});
