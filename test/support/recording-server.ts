// A real HTTP server on 127.0.0.1:0 that records every request (headers and raw body) and can fail:
// answer 500 to the first K requests, 503 while `down`, or hold requests unanswered while `hang`.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the server answered. */
  answered: number;
}

export interface RecordingServer {
  url: string;
  requests: RecordedRequest[];
  /** Requests answered 2xx. */
  delivered(): RecordedRequest[];
  failFirst: number;
  down: boolean;
  hang: boolean;
  /** When down, the 503 answer echoes this header's value (a target that echoes secrets back). */
  echoHeader?: string;
  close(): Promise<void>;
}

export async function startRecordingServer(
  init: Partial<Pick<RecordingServer, 'failFirst' | 'down' | 'hang' | 'echoHeader'>> = {},
): Promise<RecordingServer> {
  const hanging: ServerResponse[] = [];
  const state: RecordingServer = {
    url: '',
    requests: [],
    delivered: () => state.requests.filter((r) => r.answered >= 200 && r.answered < 300),
    failFirst: init.failFirst ?? 0,
    down: init.down ?? false,
    hang: init.hang ?? false,
    ...(init.echoHeader ? { echoHeader: init.echoHeader } : {}),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answered: 0,
      };
      state.requests.push(rec);
      if (state.hang) {
        hanging.push(res);
        return;
      }
      const failing = state.requests.length <= state.failFirst;
      if (failing || state.down) {
        rec.answered = failing ? 500 : 503;
        const echo = state.echoHeader ? String(req.headers[state.echoHeader] ?? '') : '';
        res.writeHead(rec.answered).end(`unavailable ${echo}`);
        return;
      }
      rec.answered = 200;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return state;
}
