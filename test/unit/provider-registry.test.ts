// The two halves of every provider's description (shared/providers.ts for the window, each adapter's
// descriptor behind engine/providers/index.ts) list the same providers, and every entry is complete.
import { describe, expect, it } from 'vitest';
import { sourceSchemas } from '../../src-main/engine/config.js';
import {
  authFailureFor,
  CATCH_UP_MODES,
  type AuthSignal,
  type CatchUpMode,
} from '../../src-main/engine/providers/descriptor.js';
import { ENGINE_PROVIDERS } from '../../src-main/engine/providers/index.js';
import { STATUSES, type ProviderKey } from '../../src-main/engine/types.js';
import {
  emptyStatusLabels,
  isProviderKey,
  isSecretField,
  PROVIDER_INFO,
  PROVIDERS,
  SECRET_FIELDS,
} from '../../src-main/shared/providers.js';

interface Expected {
  /** The smallest config the provider accepts. */
  sample: Record<string, unknown>;
  secrets: string[];
  heartbeatMs: number;
  catchUp: CatchUpMode;
  catchUpRequires?: string;
  connect: 'ws' | 'source';
}

const url = 'wss://provider.example/ws';
const EXPECTED: Record<ProviderKey, Expected> = {
  nexchange: {
    sample: { id: 'a', provider: 'nexchange', url },
    secrets: [],
    heartbeatMs: 20_000,
    catchUp: 'lookup',
    catchUpRequires: 'restUrl',
    connect: 'ws',
  },
  ozzobit: {
    sample: { id: 'a', provider: 'ozzobit', url, apiKey: 'k' },
    secrets: ['apiKey'],
    heartbeatMs: 30_000,
    catchUp: 'lookup',
    catchUpRequires: 'restUrl',
    connect: 'source',
  },
  houdini: {
    sample: { id: 'a', provider: 'houdini', url, partnerId: 'p', secret: 's' },
    secrets: ['secret'],
    heartbeatMs: 20_000,
    catchUp: 'list',
    catchUpRequires: 'restUrl',
    connect: 'ws',
  },
  orangepill: {
    sample: { id: 'a', provider: 'orangepill', url, realmKey: 'r' },
    secrets: ['realmKey'],
    heartbeatMs: 10_000,
    catchUp: 'none',
    connect: 'ws',
  },
  satoriex: {
    sample: { id: 'a', provider: 'satoriex', url, token: 't' },
    secrets: ['token'],
    heartbeatMs: 20_000,
    catchUp: 'list',
    catchUpRequires: 'restUrl',
    connect: 'ws',
  },
};

describe('the provider registries', () => {
  it('list the same providers, in the same order', () => {
    expect(Object.keys(ENGINE_PROVIDERS)).toEqual([...PROVIDERS]);
    expect(Object.keys(PROVIDER_INFO)).toEqual([...PROVIDERS]);
    expect(Object.keys(EXPECTED).sort()).toEqual([...PROVIDERS].sort());
  });

  it.each(PROVIDERS.map((p) => [p]))('%s: the engine descriptor is complete', (provider) => {
    const d = ENGINE_PROVIDERS[provider];
    const want = EXPECTED[provider];
    const parsed = d.schema.safeParse(want.sample);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data?.provider).toBe(provider);
    // The schema answers only for its own provider.
    expect(d.schema.safeParse({ ...want.sample, provider: 'elsewhere' }).success).toBe(false);
    expect(sourceSchemas[provider]).toBe(d.schema);

    const codes = Object.values(d.statuses);
    expect(codes.length).toBeGreaterThan(0);
    for (const entry of codes) expect(STATUSES).toContain(entry.status);

    expect(d.defaultHeartbeatMs).toBe(want.heartbeatMs);
    expect(Number.isInteger(d.defaultHeartbeatMs) && d.defaultHeartbeatMs > 0).toBe(true);

    expect(CATCH_UP_MODES).toContain(d.catchUp.mode);
    expect(d.catchUp.mode).toBe(want.catchUp);
    expect(d.catchUp.requires).toBe(want.catchUpRequires);
    if (d.catchUp.requires) expect(Object.keys(d.schema.shape)).toContain(d.catchUp.requires);

    expect(d.connect.kind).toBe(want.connect);
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
    expect(info.fields.filter((f) => f.kind === 'secret').map((f) => f.name)).toEqual(
      EXPECTED[provider].secrets,
    );
    for (const name of EXPECTED[provider].secrets) {
      expect(isSecretField(provider, name)).toBe(true);
      expect(SECRET_FIELDS).toContain(name);
    }
    expect(isSecretField(provider, 'url')).toBe(false);
  });

  it('tells badges apart: no two providers share a short name or a colour', () => {
    const infos = PROVIDERS.map((p) => PROVIDER_INFO[p]);
    expect(new Set(infos.map((i) => i.short)).size).toBe(PROVIDERS.length);
    expect(new Set(infos.map((i) => i.colour)).size).toBe(PROVIDERS.length);
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

  // Each adapter's own words for "bad credentials", as the `auth_failed` detail shows them.
  it.each<[ProviderKey, AuthSignal, string | undefined]>([
    ['nexchange', { httpStatus: 401 }, undefined],
    ['nexchange', { closeCode: 4401 }, undefined],
    ['ozzobit', { message: 'connect_error' }, 'connection refused'],
    ['houdini', { httpStatus: 401 }, 'Authorization header missing (HTTP 401)'],
    [
      'houdini',
      { httpStatus: 400 },
      'Authorization header malformed, must be partnerId:secret (HTTP 400)',
    ],
    ['houdini', { closeCode: 4401 }, 'credentials rejected (AUTH_FAILED, close 4401)'],
    ['houdini', { message: 'AUTH_FAILED' }, 'credentials rejected (AUTH_FAILED)'],
    ['houdini', { httpStatus: 500 }, undefined],
    ['orangepill', { message: 'error' }, 'realm key rejected'],
    ['orangepill', { message: 'info' }, undefined],
    ['satoriex', { httpStatus: 401 }, 'token rejected (HTTP 401)'],
    ['satoriex', { httpStatus: 403 }, 'token rejected (HTTP 403)'],
    ['satoriex', { closeCode: 4401 }, 'token rejected (close 4401)'],
    ['satoriex', { closeCode: 1008 }, 'token rejected (close 1008, policy violation)'],
    ['satoriex', { closeCode: 1006 }, undefined],
  ])('%s %j → %s', (provider, signal, reason) => {
    expect(authFailureFor(ENGINE_PROVIDERS[provider].authFailures, signal)).toBe(reason);
  });
});
