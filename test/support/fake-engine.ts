// A stand-in for the Engine with the surface BridgeHost uses: sources are plain configs, events are
// emitted by the test, orders live in a real OrderStore.
import type { SourceConfig } from '../../src-main/engine/config.js';
import type { EngineSnapshot, SourceStatus } from '../../src-main/engine/engine.js';
import { OrderStore } from '../../src-main/engine/store.js';
import type {
  ActivityLine,
  AlertLine,
  EngineEvent,
  NormalizedStatus,
  ProviderKey,
} from '../../src-main/engine/types.js';
import type { EnginePort } from '../../src-main/shared/bridge-host.js';
import { markOf, type OrderMark } from '../../src-main/shared/unverified.js';

export class FakeEngine implements EnginePort {
  readonly store = new OrderStore();
  readonly problems: string[] = [];
  readonly calls: string[] = [];
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly markListeners = new Set<(m: OrderMark) => void>();
  private readonly configs = new Map<string, SourceConfig>();
  private readonly statuses = new Map<string, SourceStatus>();
  private readonly activity: ActivityLine[] = [];
  private readonly alerts: AlertLine[] = [];

  constructor(sources: SourceConfig[] = []) {
    for (const cfg of sources) this.add(cfg);
  }

  private add(cfg: SourceConfig): void {
    this.configs.set(cfg.id, cfg);
    this.statuses.set(cfg.id, {
      id: cfg.id,
      provider: cfg.provider,
      enabled: cfg.enabled,
      state: 'connecting',
      watched: 'orders' in cfg ? [...cfg.orders] : [],
      ...(cfg.label ? { label: cfg.label } : {}),
    });
  }

  on(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onMark(listener: (m: OrderMark) => void): () => void {
    this.markListeners.add(listener);
    return () => this.markListeners.delete(listener);
  }

  /** Mark a known order unverified in the store and tell the mark listeners (as the engine does). */
  markUnverified(source: string, orderId: string, since: string, reason: string): void {
    if (!this.store.markUnverified(source, orderId, since, reason)) return;
    this.emitMark(source, orderId);
  }

  /** Clear a known order's mark (a REST lookup verified it) and tell the mark listeners. */
  verified(source: string, orderId: string): void {
    const record = this.store.get(source, orderId);
    if (record && this.store.clearUnverified(record)) this.emitMark(source, orderId);
  }

  private emitMark(source: string, orderId: string): void {
    const record = this.store.get(source, orderId);
    if (record) for (const l of this.markListeners) l(markOf(record));
  }

  emit(event: EngineEvent): void {
    if (event.kind === 'connection') {
      const s = this.statuses.get(event.source);
      if (s) s.state = event.state;
    }
    if (event.kind === 'alert') this.alerts.push(event);
    if (event.kind === 'activity') this.activity.push(event);
    for (const l of this.listeners) l(event);
  }

  /** Apply an order update to the store and emit its order line (as the engine does). */
  order(source: string, orderId: string, status: NormalizedStatus, providerStatus: string): void {
    const cfg = this.configs.get(source);
    if (!cfg) throw new Error(`no source ${source}`);
    const at = new Date().toISOString();
    const r = this.store.apply(source, cfg.provider, { orderId, status, providerStatus }, at);
    this.emit({
      kind: 'order',
      source,
      provider: cfg.provider,
      orderId,
      status: r.record.status,
      terminal: r.record.terminal,
      providerStatus,
      at,
    });
  }

  setStatus(id: string, patch: Partial<SourceStatus>): void {
    const s = this.statuses.get(id);
    if (s) Object.assign(s, patch);
  }

  snapshot(): EngineSnapshot {
    return {
      sources: [...this.statuses.values()].map((s) => ({ ...s, watched: [...s.watched] })),
      orders: [...this.store.all()],
      activity: [...this.activity],
      alerts: [...this.alerts],
      problems: [...this.problems],
    };
  }

  watch(sourceId: string, orderId: string): void {
    this.calls.push(`watch ${sourceId} ${orderId}`);
    this.statuses.get(sourceId)?.watched.push(orderId);
  }

  unwatch(sourceId: string, orderId: string): void {
    this.calls.push(`unwatch ${sourceId} ${orderId}`);
    const s = this.statuses.get(sourceId);
    if (s) s.watched = s.watched.filter((o) => o !== orderId);
    this.store.remove(sourceId, orderId);
  }

  reconnect(id: string): void {
    this.calls.push(`reconnect ${id}`);
  }

  reconnectAll(): void {
    this.calls.push('reconnectAll');
  }

  async upsertSource(cfg: SourceConfig): Promise<void> {
    this.calls.push(`upsert ${cfg.id}`);
    this.add(cfg);
  }

  async removeSource(id: string): Promise<void> {
    this.calls.push(`remove ${id}`);
    this.configs.delete(id);
    this.statuses.delete(id);
  }

  sourceStatus(id: string): SourceStatus | undefined {
    const s = this.statuses.get(id);
    return s && { ...s, watched: [...s.watched] };
  }

  sourceConfigs(): SourceConfig[] {
    return [...this.configs.values()];
  }
}

export function alertLine(
  source: string,
  orderId: string,
  status: NormalizedStatus = 'completed',
  provider: ProviderKey = 'nexchange',
): AlertLine {
  return {
    kind: 'alert',
    source,
    provider,
    orderId,
    status,
    title: `order ${orderId} ${status}`,
    body: `Order ${orderId}`,
    at: new Date().toISOString(),
  };
}
