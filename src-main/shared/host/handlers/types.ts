// A command handler takes the request as received (it validates it) and the calling window.
import type { BridgeCommands, CommandName } from '../../bridge.js';
import type { BridgeClient } from '../ports.js';

export type Handler<K extends CommandName> = (
  request: unknown,
  from?: BridgeClient,
) => Promise<BridgeCommands[K]['res']>;

/** One handler per bridge command: a command without one does not compile. */
export type Handlers = { [K in CommandName]: Handler<K> };
