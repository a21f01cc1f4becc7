// Every command's handler, one file per domain (orders, sources, prefs, demo, window, targets). The type
// annotation is the completeness check: a command of the bridge contract without a handler here
// does not compile.
import type { HostContext } from '../context.js';
import { attentionHandlers } from './attention.js';
import { demoHandlers } from './demo.js';
import { orderHandlers } from './orders.js';
import { prefsHandlers } from './prefs.js';
import { sourceHandlers } from './sources.js';
import { targetHandlers } from './targets.js';
import type { Handlers } from './types.js';
import { windowHandlers } from './window.js';

export type { Handler, Handlers } from './types.js';

export function createHandlers(ctx: HostContext): Handlers {
  const handlers: Handlers = {
    ...windowHandlers(ctx),
    ...orderHandlers(ctx),
    ...sourceHandlers(ctx),
    ...prefsHandlers(ctx),
    ...demoHandlers(ctx),
    ...attentionHandlers(ctx),
    ...targetHandlers(ctx),
  };
  return handlers;
}
