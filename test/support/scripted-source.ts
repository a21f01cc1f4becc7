// A Source the test drives by hand: it "connects" when started and reports exactly the orders the
// test tells it to, as an adapter would (from the stream, or from REST with `options`). Engine tests
// use it to exercise the store, the ledger, persistence and marks without a wire protocol.
import type { OrderReportOptions, Source, SourceContext } from '../../src-main/engine/source.js';
import type { NormalizedStatus, OrderDetails, ProviderKey } from '../../src-main/engine/types.js';

export class ScriptedSource implements Source {
  constructor(
    readonly id: string,
    readonly provider: ProviderKey,
    readonly ctx: SourceContext,
  ) {}
  start(): void {
    this.ctx.connection('connected');
  }
  async stop(): Promise<void> {}
  reconnectNow(): void {}
  watch(): void {}
  unwatch(): void {}
  say(
    orderId: string,
    status: NormalizedStatus,
    providerStatus: string,
    extra: { details?: OrderDetails; options?: OrderReportOptions } = {},
  ): void {
    this.ctx.order(
      { orderId, status, providerStatus, ...(extra.details ? { details: extra.details } : {}) },
      extra.options ?? {},
    );
  }
}
