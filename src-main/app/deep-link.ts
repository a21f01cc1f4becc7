// orderbell://order/<source>/<orderId>: the app's own link to one order. The OS hands it to us
// (macOS `open-url`; Windows and Linux as an argument of a new launch, which the single-instance
// lock turns into `second-instance` on the running app), and a notification click goes through the
// same parser. A link comes from outside (any web page can offer one), so it is parsed strictly and
// its ids obey the same rules as ids typed into the window.
import { CONTROL_CHARACTERS, MAX_ORDER_ID_LENGTH, MAX_SOURCE_ID_LENGTH } from '../shared/limits.js';

export const LINK_SCHEME = 'orderbell';

/** Longest link we look at: two percent-encoded ids (3 bytes per character) and the prefix. */
const MAX_LINK_LENGTH = 32 + 3 * 4 * (MAX_SOURCE_ID_LENGTH + MAX_ORDER_ID_LENGTH);

export interface OrderLink {
  source: string;
  orderId: string;
}

/** The link for one order (ids percent-encoded). */
export function orderLink(source: string, orderId: string): string {
  return `${LINK_SCHEME}://order/${encodeURIComponent(source)}/${encodeURIComponent(orderId)}`;
}

function validId(value: string, max: number): boolean {
  return (
    value.length > 0 &&
    value.length <= max &&
    value.trim() === value &&
    !CONTROL_CHARACTERS.test(value)
  );
}

/** The order a link names, or undefined for anything else (other scheme, extra parts, bad ids). */
export function parseOrderLink(link: string): OrderLink | undefined {
  if (link.length > MAX_LINK_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${LINK_SCHEME}:` || url.hostname !== 'order') return undefined;
  if (url.username || url.password || url.port || url.search || url.hash) return undefined;
  const parts = url.pathname.split('/');
  // ['', source, orderId]: exactly two segments (a trailing slash, which some launchers add, aside).
  if (parts.length === 4 && parts[3] === '') parts.pop();
  if (parts.length !== 3 || parts[0] !== '') return undefined;
  let source: string;
  let orderId: string;
  try {
    source = decodeURIComponent(parts[1] ?? '');
    orderId = decodeURIComponent(parts[2] ?? '');
  } catch {
    return undefined;
  }
  if (!validId(source, MAX_SOURCE_ID_LENGTH) || !validId(orderId, MAX_ORDER_ID_LENGTH)) {
    return undefined;
  }
  return { source, orderId };
}

/**
 * The link among a launch's arguments (Windows and Linux pass it as one argument; Chromium may add
 * its own switches around it), or undefined.
 */
export function linkInArgv(argv: readonly string[]): string | undefined {
  return argv.find((arg) => arg.toLowerCase().startsWith(`${LINK_SCHEME}:`));
}
