// Commands on the attention list: mark some entries read, or all of them.
import { fail, isRecord, ok } from '../command-result.js';
import type { HostContext } from '../context.js';
import type { Handlers } from './types.js';

type Deps = Pick<HostContext, 'attention'>;

export function attentionHandlers(ctx: Deps): Pick<Handlers, 'markRead' | 'markAllRead'> {
  return {
    async markRead(req) {
      if (
        !isRecord(req) ||
        !Array.isArray(req.keys) ||
        !req.keys.every((k) => typeof k === 'string')
      ) {
        return fail('must be a list of entry keys', 'keys');
      }
      ctx.attention.markRead(req.keys as string[]);
      return ok;
    },

    async markAllRead() {
      ctx.attention.markRead(null);
      return ok;
    },
  };
}
