// The parts of the bridge host, built once and shared by the command handlers: the change stream,
// the source feed on it, the alert router, the problem list and the demo switch. Engine events are
// routed here: every event goes on the stream; a connection event re-sends its source; alerts and
// activity go to the alert router. An order's unverified mark, which is no engine event, goes on
// the stream as its own change.
import type { Logger } from '../../engine/log.js';
import type { EngineEvent } from '../../engine/types.js';
import type { CoalescerOptions } from '../alert-policy.js';
import type { BridgeSnapshot } from '../bridge.js';
import type { SecretMask } from '../secret-mask.js';
import type { SettingsPort } from '../settings-port.js';
import { AlertRouter } from './alert-router.js';
import { AttentionLog, MemoryAttention, type AttentionStore } from './attention-log.js';
import { ChangeStream } from './change-stream.js';
import { NotifyFeed } from './notify-feed.js';
import type { DemoControl, EnginePort, ForwardingPort } from './ports.js';
import { ProblemList } from './problems.js';
import { SourceFeed } from './source-feed.js';

export interface HostOptions {
  engine: EnginePort;
  settings: SettingsPort;
  platform: BridgeSnapshot['platform'];
  /** Whether the engine currently runs the demo sources. */
  demo: boolean;
  log: Logger;
  demoControl?: DemoControl;
  /** Opens a URL in the user's browser (Electron: shell.openExternal); absent: command refused. */
  openExternal?: (url: string) => void | Promise<void>;
  /** Problems to show from the start (e.g. a damaged settings file), besides the engine's. */
  problems?: string[];
  /** Changes are sent at most this often; default 50 ms. */
  flushIntervalMs?: number;
  /** Source status (age, RTT) is re-checked this often while a window is attached; default 1000 ms. */
  statusIntervalMs?: number;
  coalescer?: CoalescerOptions;
  now?: () => number;
  /** "Monitoring degraded" after a source is offline / auth_failed this long (default 5 min). */
  degradedAfterMs?: number;
  /** Configured secrets: masked in every batch, snapshot, command result and notice. */
  mask?: SecretMask;
  /** Where the attention list is kept (the state folder's attention.json); default in memory. */
  attention?: AttentionStore;
  /** The engine's forwarding (targets, quiet hours, "Send test"); absent: targets only saved. */
  forwarding?: ForwardingPort;
}

/** Whether the demo runs, how to switch it, and whether a switch is under way. */
export interface DemoState {
  active: boolean;
  readonly control: DemoControl | undefined;
  switching: boolean;
}

export interface HostContext {
  readonly engine: EnginePort;
  readonly settings: SettingsPort;
  readonly log: Logger;
  readonly platform: BridgeSnapshot['platform'];
  readonly stream: ChangeStream;
  readonly sources: SourceFeed;
  readonly alerts: AlertRouter;
  readonly attention: AttentionLog;
  readonly problems: ProblemList;
  readonly demo: DemoState;
  readonly openExternal: ((url: string) => void | Promise<void>) | undefined;
  /** Saved forwarding targets and quiet hours, and the targets that gave up. */
  readonly notify: NotifyFeed;
  readonly forwarding: ForwardingPort | undefined;
  readonly mask: SecretMask | undefined;
  /** Stops following the engine and shuts the parts down (queued changes are still sent). */
  dispose(): void;
}

export function createHostContext(opts: HostOptions): HostContext {
  const { engine, settings, log } = opts;
  // The tick needs the feed and the feed needs the stream: the closure breaks the cycle.
  const stream: ChangeStream = new ChangeStream({
    log,
    onStatusTick: () => sources.pushChanged(),
    ...(opts.flushIntervalMs !== undefined ? { flushIntervalMs: opts.flushIntervalMs } : {}),
    ...(opts.statusIntervalMs !== undefined ? { statusIntervalMs: opts.statusIntervalMs } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.mask ? { outgoing: maskWith(opts.mask) } : {}),
  });
  const enqueue = stream.enqueue.bind(stream);
  const sources = new SourceFeed(engine, enqueue);
  const problems = new ProblemList(engine, enqueue, log, opts.problems);
  const attention = new AttentionLog({
    store: opts.attention ?? new MemoryAttention(),
    enqueue,
    watchSave: (result) => problems.watchSave(result),
    order: (source, orderId) => engine.store.get(source, orderId),
  });
  const alerts = new AlertRouter({
    settings,
    onWanted: (alert) => attention.add(alert),
    enqueue,
    watchSave: (result) => problems.watchSave(result),
    log,
    ...(opts.coalescer ? { coalescer: opts.coalescer } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.degradedAfterMs !== undefined ? { degradedAfterMs: opts.degradedAfterMs } : {}),
    sourceInfo: (id) => {
      const status = engine.sourceStatus(id);
      return (
        status && { enabled: status.enabled, ...(status.label ? { label: status.label } : {}) }
      );
    },
  });

  const demo: DemoState = { active: opts.demo, control: opts.demoControl, switching: false };
  const notify = new NotifyFeed({
    settings,
    enqueue,
    alerts,
    demoActive: () => demo.active,
    watchSave: (result) => problems.watchSave(result),
    ...(opts.forwarding ? { forwarding: opts.forwarding } : {}),
    ...(opts.mask ? { mask: opts.mask } : {}),
  });

  // The saved targets reach the engine before it starts delivering (faces start it after this).
  notify.apply();

  const onEngineEvent = (event: EngineEvent): void => {
    stream.enqueue({ type: 'event', event });
    if (event.kind === 'connection') sources.push(event.source, true);
    alerts.route(event);
    notify.follow(event);
  };
  const unsubscribe = engine.on(onEngineEvent);
  const unsubscribeMarks = engine.onMark((mark) => stream.enqueue({ type: 'order-mark', mark }));

  return {
    engine,
    settings,
    log,
    platform: opts.platform,
    stream,
    sources,
    alerts,
    attention,
    problems,
    demo,
    openExternal: opts.openExternal,
    notify,
    forwarding: opts.forwarding,
    mask: opts.mask,
    dispose() {
      unsubscribe();
      unsubscribeMarks();
      alerts.dispose();
      stream.dispose();
    },
  };
}

function maskWith(mask: SecretMask) {
  return <T>(value: T): T => mask.value(value);
}
