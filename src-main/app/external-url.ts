// The one gate in front of shell.openExternal: only plain web links (http/https, no credentials,
// a real host, a sane length) ever reach the OS. Everything else (file:, javascript:, custom
// schemes that start programs) is refused.
const MAX_LENGTH = 2048;

/** The normalized URL when it may be opened in the browser, else undefined. */
export function safeExternalUrl(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password || !url.hostname) return undefined;
  return url.href;
}
