// The simulator registry: one descriptor per provider (descriptor.ts), each exported at the end of
// its simulator module. The demo, the soak and the tests read a provider's simulator only through
// this table; leaving a provider out is a compile error. The engine never imports it.
import type { ProviderKey } from '../engine/types.js';
import type { SimulatorDescriptor } from './descriptor.js';
import { HOUDINI_SIMULATOR } from './houdini.js';
import { NEXCHANGE_SIMULATOR } from './nexchange.js';
import { ORANGEPILL_SIMULATOR } from './orangepill.js';
import { OZZOBIT_SIMULATOR } from './ozzobit.js';
import { SATORIEX_SIMULATOR } from './satoriex.js';

export const SIMULATORS: Readonly<Record<ProviderKey, SimulatorDescriptor>> = {
  nexchange: NEXCHANGE_SIMULATOR,
  ozzobit: OZZOBIT_SIMULATOR,
  houdini: HOUDINI_SIMULATOR,
  orangepill: ORANGEPILL_SIMULATOR,
  satoriex: SATORIEX_SIMULATOR,
};
