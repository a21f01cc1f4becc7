// Forwarding targets from the window: the bridge commands over the real engine's forwarding, real
// HTTP servers on loopback. Add, edit (a secret left empty is kept, unless the url moved), enable,
// remove; "Send test" shows the target's answer; a target's secret never reaches the window, the
// command results or the log, even when the target echoes it back.
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';
import { Engine } from '../../src-main/engine/engine.js';
import { FilePersistence } from '../../src-main/engine/persistence.js';
import type { ChangeBatch, NotifyView } from '../../src-main/shared/bridge.js';
import { BridgeHost, type ForwardingPort } from '../../src-main/shared/bridge-host.js';
import type { NotifyTarget, QuietHours } from '../../src-main/shared/notify.js';
import { SecretMask } from '../../src-main/shared/secret-mask.js';
import { MemorySettings } from '../../src-main/shared/settings-port.js';
import { captureLog } from '../mocks/app-harness.js';
import { startRecordingServer, type RecordingServer } from '../support/recording-server.js';

const SECRET = 'whsec-0123456789-never-shown';
const TOKEN = 'tk_ntfy_secret_token_value';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(init: Parameters<typeof startRecordingServer>[0] = {}) {
  const s = await startRecordingServer(init);
  cleanups.push(() => s.close());
  return s;
}

async function start() {
  const dir = mkdtempSync(join(tmpdir(), 'orderbell-targets-'));
  const mask = new SecretMask();
  const { log, lines } = captureLog();
  const engine = new Engine({
    config: parseConfig({ sources: [] }).config,
    persistence: new FilePersistence(dir),
    log,
    mask,
    forward: { timeZone: 'UTC', limits: { httpTimeoutMs: 2_000 } },
  });
  await engine.start();
  cleanups.push(() => engine.stop());
  // The engine's forwarding, with every setNotify recorded.
  const applied: { targets: NotifyTarget[]; quietHours?: QuietHours }[] = [];
  const forwarding: ForwardingPort = {
    setNotify: (targets, quietHours) => {
      applied.push({ targets: structuredClone(targets), ...(quietHours ? { quietHours } : {}) });
      return engine.setNotify(targets, quietHours);
    },
    testTarget: (t) => engine.testTarget(t),
  };
  const settings = new MemorySettings();
  const host = new BridgeHost({
    engine,
    settings,
    log,
    demo: false,
    platform: { kind: 'web', notificationsSupported: false, secretsProtected: false },
    mask,
    forwarding,
    flushIntervalMs: 1,
  });
  cleanups.push(() => host.dispose());
  const batches: ChangeBatch[] = [];
  const client = { send: (b: ChangeBatch) => void batches.push(structuredClone(b)) };
  host.attach(client);
  await host.invoke('snapshot', undefined, client);
  const views = (): NotifyView[] => {
    host.flush();
    return batches.flatMap((b) =>
      b.changes.flatMap((c) => (c.type === 'notify' ? [c.notify] : [])),
    );
  };
  return { engine, host, settings, applied, batches, views, lines, client };
}

function webhook(url: string, extra: Record<string, unknown> = {}) {
  return { id: 'hook', type: 'webhook' as const, fields: { url, secret: SECRET }, ...extra };
}

describe('target settings over the bridge', () => {
  it('add, edit (secret kept), enable/disable, remove: saved, applied, shown without secrets', async () => {
    const hook = await server();
    const t = await start();
    expect(await t.host.invoke('saveTarget', webhook(hook.url))).toEqual({ ok: true });
    expect(t.settings.getNotify()?.targets).toEqual([
      { id: 'hook', type: 'webhook', url: hook.url, secret: SECRET, enabled: true },
    ]);
    expect(t.applied.at(-1)?.targets.map((x) => x.id)).toEqual(['hook']);
    expect(t.views().at(-1)?.targets).toEqual([
      {
        id: 'hook',
        type: 'webhook',
        enabled: true,
        settings: { url: hook.url },
        secretsSet: { secret: true },
      },
    ]);

    // edit: statuses, secret left empty → kept
    expect(
      await t.host.invoke('saveTarget', {
        replaces: 'hook',
        id: 'hook',
        type: 'webhook',
        statuses: ['failed'],
        fields: { url: hook.url, secret: '' },
      }),
    ).toEqual({ ok: true });
    expect(t.settings.getNotify()?.targets[0]).toMatchObject({
      secret: SECRET,
      statuses: ['failed'],
    });

    // the url moves but the secret was left empty: refused (it would go somewhere new)
    expect(
      await t.host.invoke('saveTarget', {
        replaces: 'hook',
        id: 'hook',
        type: 'webhook',
        fields: { url: 'http://127.0.0.1:1/elsewhere' },
      }),
    ).toMatchObject({
      ok: false,
      field: 'secret',
      error: expect.stringMatching(/enter the secret again/),
    });

    // disable
    expect(
      await t.host.invoke('saveTarget', {
        replaces: 'hook',
        id: 'hook',
        type: 'webhook',
        enabled: false,
        fields: { url: hook.url },
      }),
    ).toEqual({ ok: true });
    expect(t.applied.at(-1)?.targets[0]?.enabled).toBe(false);
    expect(t.views().at(-1)?.targets[0]?.enabled).toBe(false);

    // a taken id, an unknown type, a bad url
    await t.host.invoke('saveTarget', {
      id: 'ping',
      type: 'ntfy',
      fields: { url: hook.url, token: TOKEN },
    });
    expect(
      await t.host.invoke('saveTarget', { id: 'ping', type: 'ntfy', fields: { url: hook.url } }),
    ).toMatchObject({ ok: false, field: 'id' });
    expect(
      await t.host.invoke('saveTarget', { id: 'x', type: 'smtp', fields: {} } as never),
    ).toMatchObject({
      ok: false,
      field: 'type',
    });
    expect(
      await t.host.invoke('saveTarget', { id: 'x', type: 'webhook', fields: { url: 'ftp://x' } }),
    ).toMatchObject({ ok: false, field: 'url' });
    expect(
      await t.host.invoke('saveTarget', { id: 'x', type: 'exec', fields: { command: [] } }),
    ).toMatchObject({ ok: false, field: 'command' });

    // remove
    expect(await t.host.invoke('removeTarget', { id: 'hook' })).toEqual({ ok: true });
    expect(await t.host.invoke('removeTarget', { id: 'hook' })).toMatchObject({ ok: false });
    expect(t.settings.getNotify()?.targets.map((x) => x.id)).toEqual(['ping']);
    const snap = await t.host.invoke('snapshot', undefined);
    expect(snap.notify?.targets.map((x) => [x.id, x.secretsSet])).toEqual([
      ['ping', { token: true }],
    ]);

    // nothing the window or the log received holds a secret
    const everything = JSON.stringify([t.batches, snap]) + t.lines.join('');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(TOKEN);
  });

  it('quiet hours: validated, saved, applied to the engine, shown', async () => {
    const t = await start();
    expect(
      await t.host.invoke('setQuietHours', { quietHours: { from: '25:00', to: '07:00' } }),
    ).toMatchObject({ ok: false, field: 'from' });
    const q = { from: '22:00', to: '07:00', except: ['failed' as const] };
    expect(await t.host.invoke('setQuietHours', { quietHours: q })).toEqual({ ok: true });
    expect(t.settings.getNotify()?.quietHours).toEqual(q);
    expect(t.applied.at(-1)?.quietHours).toEqual(q);
    expect(t.views().at(-1)?.quietHours).toEqual(q);
    expect(await t.host.invoke('setQuietHours', { quietHours: null })).toEqual({ ok: true });
    expect(t.views().at(-1)?.quietHours).toBeNull();
  });

  it('Send test: the answer of a real server, signed with the stored secret when left empty', async () => {
    const hook = await server();
    const t = await start();
    await t.host.invoke('saveTarget', webhook(hook.url));
    const answer = await t.host.invoke('testTarget', {
      replaces: 'hook',
      id: 'hook',
      type: 'webhook',
      fields: { url: hook.url },
    });
    expect(answer).toEqual({ ok: true, delivered: true, detail: 'HTTP 200: ok' });
    const req = hook.requests.at(-1) as RecordingServer['requests'][number];
    const expected = createHmac('sha256', SECRET).update(req.body).digest('hex');
    expect(req.headers['x-orderbell-signature']).toBe(`sha256=${expected}`);
    // an unsaved form can be tested too
    const other = await server();
    expect(
      await t.host.invoke('testTarget', { id: 'new', type: 'webhook', fields: { url: other.url } }),
    ).toMatchObject({ ok: true, delivered: true });
    // the form's own problems come back as field errors
    expect(
      await t.host.invoke('testTarget', { id: 'new', type: 'ntfy', fields: { url: 'nope' } }),
    ).toMatchObject({ ok: false, field: 'url' });
  });

  it('Send test to a target that is down and echoes the token: the answer, token masked', async () => {
    const down = await server({ down: true, echoHeader: 'authorization' });
    const t = await start();
    const answer = await t.host.invoke('testTarget', {
      id: 'ping',
      type: 'ntfy',
      fields: { url: down.url, token: TOKEN },
    });
    expect(answer).toMatchObject({ ok: true, delivered: false });
    expect(answer.ok && answer.detail).toMatch(/^HTTP 503: unavailable Bearer /);
    expect(JSON.stringify(answer)).not.toContain(TOKEN);
    expect(down.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(t.lines.join('')).not.toContain(TOKEN);
  });
});
