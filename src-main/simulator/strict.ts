// Whether a simulator does only what its provider's page promises ("strict") or also the one
// courtesy the pages never promise: n.exchange and OZZOBiT answering a (re)subscribe with the order's
// current status (and Houdini keeping orders in REST past 48 h). A client that counted on that
// courtesy would lose every finish that happened during a gap against the real server.
//
// The default lives here and only here, and it is strict: the adapters catch up over REST after
// every reconnect, so every test that does not ask otherwise runs against servers that share none of
// the client's guesses. A test that is about the courtesy itself (or about a server that does more
// than its page says, which the page allows) asks for `strict: false`.
export const STRICT_BY_DEFAULT = true;

/** The strictness a simulator runs with: the start option if given, else the default above. */
export function strictOf(options: { strict?: boolean }): boolean {
  return options.strict ?? STRICT_BY_DEFAULT;
}
