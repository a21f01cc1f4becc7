// A source as the engine reports it: in its snapshot, and (with the settings that are not secret)
// in the window's source bar. Types only, safe for the window; engine/engine.ts re-exports it.
import type { ProviderKey } from './providers.js';
import type { ConnectionState } from './statuses.js';

export interface SourceStatus {
  id: string;
  provider: ProviderKey;
  label?: string;
  enabled: boolean;
  state: ConnectionState;
  detail?: string;
  lastMessageAt?: string;
  rttMs?: number;
  watched: string[];
}
