// The saved forwarding targets and quiet hours, as the host keeps them: read from the settings at
// start, handed to the engine's forwarding and the alert router whenever they change, their secrets
// added to the mask, and shown to the windows without those secrets. It also remembers the targets
// that gave up on an alert (a `delivery` line with state `failed`) until they deliver again.
import type { EngineEvent } from '../../engine/types.js';
import type { BridgeChange, NotifyView, TargetFailure, TargetView } from '../bridge.js';
import { TARGET_SECRET_FIELDS, type NotifyTarget } from '../notify.js';
import type { SecretMask } from '../secret-mask.js';
import type { NotifySettings, SettingsPort } from '../settings-port.js';
import type { AlertRouter } from './alert-router.js';
import type { ForwardingPort } from './ports.js';

/** Failures kept for the window (newest kept). */
export const FAILURE_LIMIT = 50;

/** What the window may see of a target. */
export function targetView(target: NotifyTarget): TargetView {
  const raw = target as unknown as Record<string, unknown>;
  const secretsSet: Record<string, boolean> = {};
  for (const field of TARGET_SECRET_FIELDS[target.type]) {
    secretsSet[field] = typeof raw[field] === 'string' && raw[field] !== '';
  }
  return {
    id: target.id,
    type: target.type,
    enabled: target.enabled !== false,
    ...(target.statuses ? { statuses: [...target.statuses] } : {}),
    settings: target.type === 'exec' ? { command: [...target.command] } : { url: target.url },
    secretsSet,
  };
}

export interface NotifyFeedOptions {
  settings: SettingsPort;
  enqueue: (change: BridgeChange) => void;
  alerts: AlertRouter;
  forwarding?: ForwardingPort;
  mask?: SecretMask;
  watchSave: (result: Promise<void> | void) => void;
  /** Whether the engine runs the demo now: its simulated alerts are never forwarded. */
  demoActive?: () => boolean;
}

export class NotifyFeed {
  private current: NotifySettings;
  private failures: TargetFailure[] = [];

  constructor(private readonly opts: NotifyFeedOptions) {
    this.current = opts.settings.getNotify() ?? { targets: [] };
    opts.mask?.addTargets(this.current.targets);
  }

  /** The targets and quiet hours, secrets included (main side only). */
  get settings(): NotifySettings {
    return structuredClone(this.current);
  }

  target(id: string): NotifyTarget | undefined {
    const t = this.current.targets.find((x) => x.id === id);
    return t && structuredClone(t);
  }

  /**
   * Hand the saved targets to the engine (at start, after a change, on a demo switch). In the demo
   * no target is handed over: a simulated order must never reach a phone or a chat as if it were
   * real ("Send test" still works). Targets left out only pause: alerts still waiting for them
   * go out after the demo.
   */
  apply(demo = this.opts.demoActive?.() ?? false): void {
    this.handOver(demo, []);
  }

  /** `removed`: targets the user deleted, which lose what waited for them. */
  private handOver(demo: boolean, removed: readonly string[]): void {
    const targets = demo ? [] : this.current.targets;
    const change = removed.length > 0 ? [{ removed: [...removed] }] : [];
    // A failure to apply shows as a problem in the window (like a failed save).
    this.opts.watchSave(
      this.opts.forwarding?.setNotify(targets, this.current.quietHours, ...change),
    );
    this.opts.alerts.useQuietHours(this.current.quietHours);
  }

  /** Save, apply and tell the windows. */
  change(next: NotifySettings): void {
    const ids = new Set(next.targets.map((t) => t.id));
    const removed = this.current.targets.map((t) => t.id).filter((id) => !ids.has(id));
    this.current = structuredClone(next);
    this.opts.mask?.addTargets(next.targets);
    this.failures = this.failures.filter((f) => ids.has(f.target));
    this.handOver(this.opts.demoActive?.() ?? false, removed);
    this.opts.watchSave(this.opts.settings.setNotify(this.current));
    this.push();
  }

  /** A target that gave up is shown; one that delivered again is cleared. */
  follow(event: EngineEvent): void {
    if (event.kind !== 'delivery') return;
    if (event.state === 'failed') {
      const failure: TargetFailure = {
        target: event.target,
        source: event.source,
        orderId: event.orderId,
        status: event.status,
        at: event.at,
      };
      this.failures = [...this.failures, failure].slice(-FAILURE_LIMIT);
      this.push();
    } else if (
      event.state === 'delivered' &&
      this.failures.some((f) => f.target === event.target)
    ) {
      this.failures = this.failures.filter((f) => f.target !== event.target);
      this.push();
    }
  }

  view(): NotifyView {
    return {
      targets: this.current.targets.map(targetView),
      quietHours: this.current.quietHours ? structuredClone(this.current.quietHours) : null,
      failures: structuredClone(this.failures),
    };
  }

  private push(): void {
    this.opts.enqueue({ type: 'notify', notify: this.view() });
  }
}
