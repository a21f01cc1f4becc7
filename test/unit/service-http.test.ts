// The service endpoints' server on 127.0.0.1 port 0: a request that fails answers 500 with a fixed
// text (an error's message may quote a URL or a credential), and the reason goes to the log, masked.
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  INTERNAL_ERROR_BODY,
  startServiceHttp,
  type ServiceHttp,
} from '../../src-main/cli/service-http.js';
import { createLogger } from '../../src-main/engine/log.js';
import { SecretMask } from '../../src-main/shared/secret-mask.js';

const SECRET = 'sk-live-very-secret-value';

function collect() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

const servers: ServiceHttp[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('service endpoints server', () => {
  it('a failing /metrics answers 500 with a fixed text; the reason is logged, masked', async () => {
    const registry = new Registry();
    new Gauge({
      name: 'orderbell_broken',
      help: 'a collector that fails',
      registers: [registry],
      collect() {
        throw new Error(`upstream https://x.invalid/?key=${SECRET} refused`);
      },
    });
    const mask = new SecretMask();
    mask.add([SECRET]);
    const out = collect();
    const log = createLogger('info', mask, out.stream);
    const http = await startServiceHttp(
      { host: '127.0.0.1', port: 0 },
      { health: () => ({ code: 200, body: { status: 'ok', sources: {} } }), metrics: registry },
      log,
    );
    servers.push(http);

    const reply = await get(`${http.url}/metrics?scrape=1`);
    expect(reply.status).toBe(500);
    expect(reply.body).toBe(INTERNAL_ERROR_BODY);
    expect(reply.body).not.toContain('refused');
    expect(reply.body).not.toContain(SECRET);

    // The log is written asynchronously by pino; bounded wait for the line.
    for (let i = 0; i < 40 && !out.text().includes('service endpoint failed'); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    const line = JSON.parse(out.text().trim().split('\n').at(-1) ?? '{}') as Record<string, string>;
    expect(line.msg).toBe('service endpoint failed');
    expect(line.path).toBe('/metrics');
    expect(line.err).toBe('upstream https://x.invalid/?key=[redacted] refused');
    expect(out.text()).not.toContain(SECRET);
  });

  it('a healthy request is untouched: /healthz still answers its code and body', async () => {
    const http = await startServiceHttp(
      { host: '127.0.0.1', port: 0 },
      {
        health: () => ({ code: 503, body: { status: 'ok', sources: { a: 'offline' } } }),
        metrics: new Registry(),
      },
      createLogger('silent'),
    );
    servers.push(http);
    const reply = await get(`${http.url}/healthz`);
    expect(reply.status).toBe(503);
    expect(JSON.parse(reply.body)).toEqual({ status: 'ok', sources: { a: 'offline' } });
  });
});
