// Commands on the orders a source watches: add one by id, remove one.
import { MAX_ORDER_ID_LENGTH } from '../../limits.js';
import { fail, isRecord, ok } from '../command-result.js';
import type { CommandResult } from '../../bridge.js';
import type { HostContext } from '../context.js';
import type { Handlers } from './types.js';

// The window checks the same limit before sending (shared/limits.ts).
export { MAX_ORDER_ID_LENGTH } from '../../limits.js';

type Deps = Pick<HostContext, 'engine' | 'stream' | 'sources'>;

/** The `source` field: an existing source id, or the refusal to show. */
function sourceField(ctx: Deps, req: Record<string, unknown>): string | CommandResult {
  const source = req.source;
  if (typeof source !== 'string' || source.trim() === '') return fail('choose a source', 'source');
  if (!ctx.engine.sourceStatus(source)) return fail(`no source "${source}"`, 'source');
  return source;
}

/** Why this (trimmed) order id cannot be watched, or undefined when it can. */
function orderIdProblem(orderId: string): string | undefined {
  if (orderId === '') return 'enter an order id';
  if (orderId.length > MAX_ORDER_ID_LENGTH) {
    return `must be at most ${MAX_ORDER_ID_LENGTH} characters`;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(orderId))
    return 'must not contain spaces or control characters';
  return undefined;
}

export function orderHandlers(ctx: Deps): Pick<Handlers, 'addOrder' | 'removeOrder'> {
  const { engine } = ctx;
  return {
    async addOrder(req) {
      if (!isRecord(req)) return fail('request must be an object');
      const source = sourceField(ctx, req);
      if (typeof source !== 'string') return source;
      if (typeof req.orderId !== 'string') return fail('enter an order id', 'orderId');
      const orderId = req.orderId.trim();
      const problem = orderIdProblem(orderId);
      if (problem) return fail(problem, 'orderId');
      const status = engine.sourceStatus(source);
      if (status?.watched.includes(orderId) || engine.store.get(source, orderId)) {
        return fail('this order is already in the list', 'orderId');
      }
      engine.watch(source, orderId);
      ctx.sources.push(source, true);
      return ok;
    },

    async removeOrder(req) {
      if (!isRecord(req)) return fail('request must be an object');
      const source = sourceField(ctx, req);
      if (typeof source !== 'string') return source;
      const orderId = req.orderId;
      if (typeof orderId !== 'string' || orderId === '') return fail('missing order id', 'orderId');
      const watched = engine.sourceStatus(source)?.watched.includes(orderId) ?? false;
      if (!watched && !engine.store.get(source, orderId)) {
        return fail(`order "${orderId}" is not tracked`, 'orderId');
      }
      engine.unwatch(source, orderId);
      // The engine emits no event for a removal: the windows learn it here.
      ctx.stream.enqueue({ type: 'order-removed', source, orderId });
      ctx.sources.push(source, true);
      return ok;
    },
  };
}
