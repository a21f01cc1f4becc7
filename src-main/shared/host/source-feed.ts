// Source views on the change stream: a source's view is queued when something changed it (a
// connection event, a command: forced) or, on the status tick, only when it differs from what the
// windows last got, so an idle source costs nothing per tick.
import type { SourceConfig } from '../../engine/config.js';
import type { SourceStatus } from '../../engine/engine.js';
import type { BridgeChange, SourceView } from '../bridge.js';
import type { EnginePort } from './ports.js';
import { sourceView } from './source-view.js';

export class SourceFeed {
  /** Source id → JSON of the view the windows hold. */
  private readonly lastSent = new Map<string, string>();

  constructor(
    private readonly engine: Pick<EnginePort, 'sourceStatus' | 'sourceConfigs'>,
    private readonly enqueue: (change: BridgeChange) => void,
  ) {}

  /** Queue the source's view if it changed since last sent (or always, when forced). */
  push(id: string, force = false): void {
    const status = this.engine.sourceStatus(id);
    if (!status) return;
    const view = sourceView(
      status,
      this.engine.sourceConfigs().find((c) => c.id === id),
    );
    const text = JSON.stringify(view);
    if (!force && this.lastSent.get(id) === text) return;
    this.lastSent.set(id, text);
    this.enqueue({ type: 'source', source: view });
  }

  /** The status tick: every configured source whose view changed. */
  pushChanged(): void {
    for (const cfg of this.engine.sourceConfigs()) this.push(cfg.id);
  }

  /** The source is gone: its next view (if it comes back) is news. */
  forget(id: string): void {
    this.lastSent.delete(id);
  }

  /** Views for a snapshot; the windows then hold these, so the tick sends only later changes. */
  snapshotViews(statuses: readonly SourceStatus[], configs: ReadonlyMap<string, SourceConfig>) {
    const views: SourceView[] = statuses.map((s) => sourceView(s, configs.get(s.id)));
    for (const view of views) this.lastSent.set(view.id, JSON.stringify(view));
    return views;
  }
}
