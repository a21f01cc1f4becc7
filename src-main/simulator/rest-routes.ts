// The REST stand-ins' routing: each simulator lists its endpoints as data (a path template and a
// handler), and BaseSimulator does the matching, counting and fault injection once for all of them.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RestCall {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The template's `{name}` segments, %-decoded ('' when the escape is broken: it names nothing). */
  params: Readonly<Record<string, string>>;
}

export interface RestRoute {
  /** Path template; a `{name}` segment matches exactly one segment (possibly empty). */
  path: string;
  handle(call: RestCall): void;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

/** The params of `pathname` under `template`, or undefined when it does not match. */
export function matchPath(template: string, pathname: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [i, part] of want.entries()) {
    const actual = got[i] ?? '';
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name !== undefined) params[name] = decodeSegment(actual);
    else if (part !== actual) return undefined;
  }
  return params;
}

/** The first route serving `pathname`, with its params. */
export function findRoute(
  routes: readonly RestRoute[],
  pathname: string,
): { route: RestRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return undefined;
}
