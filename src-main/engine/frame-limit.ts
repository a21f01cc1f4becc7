// The one frame-size limit every streaming provider shares, and how a frame past it is recognized
// and worded. `ws` refuses such a frame from its header, before buffering it (close code 1009), both
// for the plain-WebSocket providers and under socket.io's `websocket` transport (OZZOBiT).
import { formatBytes } from './bytes.js';

/**
 * Largest frame accepted. The largest legitimate frame is one order's update (well under 10 KiB);
 * 1 MiB leaves a hundred times that and bounds what one frame can make the process hold.
 */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** The `ws` error code for a frame longer than `maxPayload`. */
const TOO_LARGE_CODE = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';

/** The line a user reads when a frame is refused (the source is named by the logger). */
export function frameTooLargeMessage(limitBytes = MAX_FRAME_BYTES): string {
  return `frame larger than the ${formatBytes(limitBytes)} limit refused unread; reconnecting`;
}

/**
 * Whether an error (or what socket.io wraps it in: a TransportError whose `description` is the
 * WebSocket ErrorEvent whose `error` is ws's) is ws refusing an oversized frame. Walks at most a few
 * levels of `description` / `error`, the shapes socket.io-client and ws produce.
 */
export function isFrameTooLarge(err: unknown): boolean {
  let at: unknown = err;
  for (let depth = 0; depth < 4 && typeof at === 'object' && at !== null; depth += 1) {
    const o = at as { code?: unknown; description?: unknown; error?: unknown };
    if (o.code === TOO_LARGE_CODE) return true;
    at = o.error ?? o.description;
  }
  return false;
}
