// The throughput/latency baseline (issue 4): the practical floor of "a WebSocket stream to NDJSON".
// A minimal raw `ws` client that connects, sends the protocol's subscribe frames, `JSON.parse`s each
// frame and writes one NDJSON line per frame to stdout, nothing else. Lines are written once per
// event-loop turn, as the headless NdjsonWriter does, so the floor is not a syscall per frame.
//   node raw-ws.js SPEC.json   (SPEC: {url, headers?, send?: string[]})
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

interface Spec {
  url: string;
  headers?: Record<string, string>;
  send?: string[];
}

const specPath = process.argv[2];
if (!specPath) throw new Error('usage: raw-ws.js SPEC.json');
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Spec;

let lines: string[] = [];
let scheduled = false;
const flush = () => {
  scheduled = false;
  const text = lines.join('\n') + '\n';
  lines = [];
  process.stdout.write(text);
};

const ws = new WebSocket(spec.url, { headers: spec.headers ?? {}, perMessageDeflate: false });
ws.on('open', () => {
  for (const frame of spec.send ?? []) ws.send(frame);
});
ws.on('message', (data: WebSocket.RawData) => {
  lines.push(JSON.stringify(JSON.parse(data.toString())));
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
ws.on('error', (err) => {
  process.stderr.write(`raw-ws: ${err.message}\n`);
  process.exit(1);
});
ws.on('close', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
