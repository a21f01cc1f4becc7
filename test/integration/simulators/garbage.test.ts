// Robustness of every simulator (the registry's, so a new one is covered too) against junk bytes,
// binary frames and broken requests, driven by raw TCP, `ws` and fetch clients.
import { afterEach, describe, expect, test } from 'vitest';
import { PROVIDERS } from '../../../src-main/shared/providers.js';
import { SIMULATORS } from '../../../src-main/simulator/index.js';
import { cleanups, runCleanups, track, wsClient, getJson, byType } from './raw-clients.js';

afterEach(runCleanups);

describe('garbage input', () => {
  test('no simulator falls over on junk bytes, binary frames or broken requests', async () => {
    const net = await import('node:net');
    const sims = await Promise.all(PROVIDERS.map((p) => SIMULATORS[p].start()));
    sims.forEach(track);
    for (const sim of sims) {
      const port = Number(new URL(sim.url).port);
      for (const junk of [
        '\x00\xff garbage\r\n\r\n',
        'GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n',
      ]) {
        const socket = net.connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        cleanups.push(() => socket.destroy());
        socket.end(junk);
      }
    }
    const nx = sims.find((sim) => sim.provider === 'nexchange');
    const hd = sims.find((sim) => sim.provider === 'houdini');
    if (!nx || !hd) throw new Error('missing simulators');
    const hdAuth = { authorization: `${hd.credentials.partnerId}:${hd.credentials.secret}` };
    expect((await getJson(`${hd.restUrl ?? ''}/v2/orders/%E0%A4%A`, hdAuth)).status).toBe(404);
    const client = await wsClient(nx.url);
    client.ws.send(Buffer.from([0, 1, 2, 3]), { binary: true });
    client.send({ subscribe: 42 });
    client.send({ subscribe: 'NX-1' });
    expect(await client.inbox.take()).toEqual({ subscribed: 'NX-1' });
    expect(nx.received[0]?.text).toBe('<binary 4 bytes>');
    const hdClient = await wsClient(hd.url, hdAuth);
    await hdClient.inbox.take(byType('welcome'));
    hdClient.send({ type: 'subscribe', houdiniIds: 'H1' });
    expect(await hdClient.inbox.take()).toMatchObject({ type: 'error', code: 'INVALID_MESSAGE' });
  });
});
