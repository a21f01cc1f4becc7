// Builds the bridge host (or just its parts, for tests that call one handler directly) over a
// FakeEngine and MemorySettings holding three sources: nx (nexchange, order N1), hd (houdini, with
// a secret) and op (orangepill, with a realm key).
import { parseConfig, type SourceConfig } from '../../src-main/engine/config.js';
import { silentLogger } from '../../src-main/engine/log.js';
import type { AlertNotice } from '../../src-main/shared/alert-policy.js';
import type { BridgeChange, ChangeBatch, NotificationPrefs } from '../../src-main/shared/bridge.js';
import { BridgeHost, type DemoControl } from '../../src-main/shared/bridge-host.js';
import { createHostContext, type HostOptions } from '../../src-main/shared/host/context.js';
import { createHandlers } from '../../src-main/shared/host/handlers/index.js';
import { MemorySettings } from '../../src-main/shared/settings-port.js';
import { FakeEngine } from './fake-engine.js';

export const SOURCES = parseConfig({
  sources: [
    { id: 'nx', provider: 'nexchange', url: 'ws://127.0.0.1:1/', orders: ['N1'] },
    { id: 'hd', provider: 'houdini', url: 'ws://127.0.0.1:2/', partnerId: 'p1', secret: 's3cr3t' },
    { id: 'op', provider: 'orangepill', url: 'ws://127.0.0.1:3/', realmKey: 'realm-key-value' },
  ],
}).config.sources;

export const platform = {
  notificationsSupported: true,
  secretsProtected: true,
  kind: 'web',
} as const;

export interface SetupOptions {
  demo?: boolean;
  prefs?: Partial<NotificationPrefs>;
  demoControl?: DemoControl;
  sources?: SourceConfig[];
  openExternal?: HostOptions['openExternal'];
}

function hostOptions(opts: SetupOptions) {
  const engine = new FakeEngine(opts.sources ?? SOURCES);
  const settings = new MemorySettings({ prefs: opts.prefs ?? {}, sources: SOURCES });
  const options: HostOptions = {
    engine,
    settings,
    platform,
    demo: opts.demo ?? false,
    log: silentLogger(),
    ...(opts.demoControl ? { demoControl: opts.demoControl } : {}),
    ...(opts.openExternal ? { openExternal: opts.openExternal } : {}),
  };
  return { engine, settings, options };
}

function recorder() {
  const batches: ChangeBatch[] = [];
  const client = { send: (b: ChangeBatch) => batches.push(b) };
  const notices: AlertNotice[] = [];
  return { batches, client, notices };
}

/** The whole host, a client not attached yet, and the notices it shows. */
export function setup(opts: SetupOptions = {}) {
  const { engine, settings, options } = hostOptions(opts);
  const host = new BridgeHost(options);
  const { batches, client, notices } = recorder();
  host.onAlert((n) => notices.push(n));
  return { engine, settings, host, batches, client, notices };
}

/**
 * The host's parts and its handlers, called directly; a client is attached and holds its snapshot,
 * so `changes()` are what a window would receive (after timers ran, or `ctx.stream.flush()`).
 */
export function parts(opts: SetupOptions = {}) {
  const { engine, settings, options } = hostOptions(opts);
  const ctx = createHostContext(options);
  const handlers = createHandlers(ctx);
  const { batches, client, notices } = recorder();
  ctx.alerts.onNotice((n) => notices.push(n));
  ctx.stream.attach(client);
  ctx.stream.snapshotTaken(client);
  const changes = (): BridgeChange[] => {
    ctx.stream.flush();
    return batches.flatMap((b) => b.changes);
  };
  return { engine, settings, ctx, handlers, batches, client, notices, changes };
}

export const changes = (batches: ChangeBatch[]): BridgeChange[] =>
  batches.flatMap((b) => b.changes);
