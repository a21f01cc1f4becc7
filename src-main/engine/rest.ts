// REST catch-up calls: bounded in time, JSON only, errors that say which call failed and why.

export class RestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RestError';
  }
}

export const REST_TIMEOUT_MS = 10_000;

export async function getJson(
  url: string,
  headers: Record<string, string>,
  timeoutMs = REST_TIMEOUT_MS,
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new RestError(`GET ${new URL(url).pathname} failed: ${(err as Error).message}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new RestError(`GET ${new URL(url).pathname} answered HTTP ${res.status}`, res.status);
  }
  try {
    return await res.json();
  } catch {
    throw new RestError(`GET ${new URL(url).pathname} answered something that is not JSON`);
  }
}
