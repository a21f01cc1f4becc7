// Whether a simulator does only what its provider's page promises ("strict") or also the one
// courtesy the current adapters still lean on: n.exchange and OZZOBiT answering a (re)subscribe with
// the order's current status. Neither page promises that, and a client that counts on it loses every
// finish that happened during a gap against the real server.
//
// The default lives here and only here. It stays lenient until the adapters catch up over REST after
// every reconnect; then flip it to true and every test that does not ask otherwise runs against
// servers that share none of the client's guesses.
export const STRICT_BY_DEFAULT = false;

/** The strictness a simulator runs with: the start option if given, else the default above. */
export function strictOf(options: { strict?: boolean }): boolean {
  return options.strict ?? STRICT_BY_DEFAULT;
}
