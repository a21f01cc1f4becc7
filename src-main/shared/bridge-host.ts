// The main side of the bridge, for every transport (Electron IPC, the web-mode WebSocket, tests):
// attaches windows to the change stream and dispatches their commands to the handlers. The jobs
// themselves live in host/: the change stream, the secret-free source view, the form-to-config
// builder, alert routing, and one handler file per command domain. No Electron here.
import type { AlertNotice } from './alert-policy.js';
import {
  COMMAND_CHANNELS,
  type BridgeCommands,
  type BridgeSnapshot,
  type CommandName,
  type NotificationPrefs,
} from './bridge.js';
import type { AlertLine } from '../engine/types.js';
import { fail } from './host/command-result.js';
import { createHostContext, type HostContext, type HostOptions } from './host/context.js';
import { createHandlers, type Handlers } from './host/handlers/index.js';
import { snapshotFor } from './host/handlers/window.js';
import type { BridgeClient } from './host/ports.js';

export type { BridgeClient, DemoControl, EnginePort, ForwardingPort } from './host/ports.js';
export { forwardingOf } from './host/ports.js';
export { MAX_ORDER_ID_LENGTH } from './host/handlers/orders.js';
export type BridgeHostOptions = HostOptions;

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(COMMAND_CHANNELS, name);
}

export class BridgeHost {
  private readonly ctx: HostContext;
  private readonly handlers: Handlers;
  /** Everything leaving for a window or a notification passes through it (identity without a mask). */
  private readonly masked: <T>(value: T) => T;

  constructor(opts: BridgeHostOptions) {
    this.ctx = createHostContext(opts);
    this.handlers = createHandlers(this.ctx);
    const mask = opts.mask;
    this.masked = mask ? (value) => mask.value(value) : (value) => value;
  }

  /**
   * Run a command. `request` is validated by its handler (it crosses a trust boundary: IPC or a
   * socket), so transports may pass what they received as is. `from` is the calling window: a
   * `snapshot` from an attached client makes it receive every change after that snapshot, in order.
   * Never throws: failures are `{ ok: false, error, field? }` naming the offending field.
   */
  invoke<K extends CommandName>(
    command: K,
    request: BridgeCommands[K]['req'],
    from?: BridgeClient,
  ): Promise<BridgeCommands[K]['res']> {
    return this.dispatch(command, request, from) as Promise<BridgeCommands[K]['res']>;
  }

  /** Untyped entry point for transports: an unknown command name is refused. */
  async dispatch(command: unknown, request: unknown, from?: BridgeClient): Promise<unknown> {
    if (!isCommandName(command)) return fail(`unknown command ${JSON.stringify(command)}`);
    try {
      return this.masked(await this.handlers[command](request, from));
    } catch (err) {
      this.ctx.log.error({ command, err: (err as Error).message }, 'bridge command failed');
      return this.masked(fail((err as Error).message));
    }
  }

  /**
   * Attach a window. It receives nothing until it asks for its snapshot (invoke('snapshot', …, client));
   * then every later change, batched (at most one batch per ~50 ms), seq increasing. Returns detach.
   */
  attach(client: BridgeClient): () => void {
    return this.ctx.stream.attach(client); // its batches are masked as they leave the stream
  }

  /**
   * Notices to show as OS notifications: engine alerts that pass the prefs (status chosen, source
   * not muted, not paused), bursts coalesced into one summary, and activity the user turned on.
   * Alerts held back (paused, muted) are kept in `heldAlerts` for the window instead.
   */
  onAlert(listener: (notice: AlertNotice) => void): () => void {
    return this.ctx.alerts.onNotice((notice) => listener(this.masked(notice)));
  }

  /** A notification was clicked: tell the windows to show this order. */
  focusOrder(source: string, orderId: string): void {
    this.ctx.stream.enqueue({ type: 'focus-order', source, orderId });
  }

  /** Show a problem in every window (e.g. a settings file that could not be read). */
  addProblem(problem: string): void {
    this.ctx.problems.add(problem);
  }

  get currentPrefs(): NotificationPrefs {
    return this.ctx.alerts.prefs;
  }

  /** Attention entries not marked read yet (the tray shows the count). */
  get unreadAttention(): number {
    return this.ctx.attention.unread;
  }

  /** Called after every change of the attention list. Returns unsubscribe. */
  onAttention(listener: () => void): () => void {
    return this.ctx.attention.onChange(listener);
  }

  get heldAlerts(): AlertLine[] {
    return this.ctx.alerts.heldAlerts;
  }

  get isDemo(): boolean {
    return this.ctx.demo.active;
  }

  /** Full state for a window; `from` (an attached client) is then streamed changes after it. */
  snapshot(from?: BridgeClient): BridgeSnapshot {
    return this.masked(snapshotFor(this.ctx, from));
  }

  /** Send what is queued now (tests, shutdown). */
  flush(): void {
    this.ctx.stream.flush();
  }

  dispose(): void {
    this.ctx.dispose();
  }
}
