// The provider registry: one entry per provider, so shared code never imports a provider module.
import type { SourceConfig, SourceConfigOf } from '../config.js';
import type { Source, SourceContext } from '../source.js';
import type { StatusTable } from '../status.js';
import { WsSupervisor, type SupervisorOptions, type WsProtocol } from '../supervisor.js';
import type { ProviderKey } from '../types.js';
import { HOUDINI_STATUS, HoudiniProtocol } from './houdini.js';
import { NEXCHANGE_STATUS, NexchangeProtocol } from './nexchange.js';
import { ORANGEPILL_STATUS, OrangepillProtocol } from './orangepill.js';
import { OZZOBIT_STATUS, OzzobitSource, type OzzobitTuning } from './ozzobit.js';
import { SATORIEX_STATUS, SatoriexProtocol } from './satoriex.js';

/** Knobs tests and benchmarks turn (short heartbeats, fast polls); production uses the defaults. */
export interface AdapterTuning {
  supervisor?: SupervisorOptions;
  ozzobit?: OzzobitTuning;
  satoriexPollMs?: number;
  houdiniPageSize?: number;
}

export const STATUS_TABLES: Record<ProviderKey, StatusTable> = {
  nexchange: NEXCHANGE_STATUS,
  ozzobit: OZZOBIT_STATUS,
  houdini: HOUDINI_STATUS,
  orangepill: ORANGEPILL_STATUS,
  satoriex: SATORIEX_STATUS,
};

type WsFactory<P extends ProviderKey> = (
  cfg: SourceConfigOf<P>,
  ctx: SourceContext,
  tuning: AdapterTuning,
) => WsProtocol;

const WS_PROTOCOLS: { [P in Exclude<ProviderKey, 'ozzobit'>]: WsFactory<P> } = {
  nexchange: (cfg, ctx) => new NexchangeProtocol(cfg, ctx),
  houdini: (cfg, ctx, t) => new HoudiniProtocol(cfg, ctx, t.houdiniPageSize),
  orangepill: (cfg, ctx) => new OrangepillProtocol(cfg, ctx),
  satoriex: (cfg, ctx, t) => new SatoriexProtocol(cfg, ctx, t.satoriexPollMs),
};

export function createSource(cfg: SourceConfig, ctx: SourceContext, tuning: AdapterTuning): Source {
  if (cfg.provider === 'ozzobit') return new OzzobitSource(cfg, ctx, tuning.ozzobit);
  const factory = WS_PROTOCOLS[cfg.provider] as WsFactory<typeof cfg.provider>;
  const protocol = factory(cfg as never, ctx, tuning);
  return new WsSupervisor(cfg.id, cfg.provider, protocol, ctx, {
    ...tuning.supervisor,
    ...(cfg.heartbeatIntervalMs ? { heartbeatIntervalMs: cfg.heartbeatIntervalMs } : {}),
  });
}
