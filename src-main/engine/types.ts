// The engine's vocabulary. Everything a face (CLI, Electron, web mode) sees is built from these
// types; the NDJSON lines of docs/headless.md are exactly `EngineEvent`.

import type { OrderDetails } from '../shared/lines.js';
import type { NormalizedStatus } from '../shared/statuses.js';

// The vocabulary the window shares (providers, the status model, the NDJSON lines) lives in
// shared/; re-exported here so engine code reads all of its vocabulary from one module.
export { PROVIDERS, PROVIDER_NAMES, isProviderKey, type ProviderKey } from '../shared/providers.js';
export {
  CONNECTION_STATES,
  STATUSES,
  type ConnectionState,
  type NormalizedStatus,
} from '../shared/statuses.js';
export type {
  ActivityLine,
  AlertLine,
  ConnectionLine,
  DeliveryLine,
  EngineEvent,
  OrderDetails,
  OrderLine,
  ProblemLine,
} from '../shared/lines.js';

/** One normalized observation of an order, as an adapter reports it. */
export interface OrderUpdate {
  orderId: string;
  status: NormalizedStatus;
  /** The provider's own code or event name, kept verbatim (numbers as decimal strings). */
  providerStatus: string;
  details?: OrderDetails;
}

/** A provider event that is not about an order: never alerts. */
export interface ActivityUpdate {
  event: string;
  entityId?: string;
  detail?: string;
}
