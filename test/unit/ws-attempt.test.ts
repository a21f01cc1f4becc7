// One WebSocket attempt against a fake socket: whatever ends it, nothing it set up is left behind
// (no listener of ours on the socket, no timer), and nothing the socket does afterwards can act.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import { silentLogger } from '../../src-main/engine/log.js';
import type { SourceContext } from '../../src-main/engine/source.js';
import type { WsProtocol } from '../../src-main/engine/supervisor.js';
import { CLOSE_GRACE_MS, WsAttempt, type AttemptEnd } from '../../src-main/engine/ws-attempt.js';

const HEARTBEAT_MS = 100;
const HANDSHAKE_MS = 1_000;
const EVENTS = ['open', 'message', 'pong', 'close', 'error', 'unexpected-response'] as const;

class FakeSocket extends EventEmitter {
  readyState: number = 0; // CONNECTING
  readonly sent: string[] = [];
  pings = 0;
  terminated = 0;
  closedWith: [number, string] | undefined;
  send(text: string) {
    this.sent.push(text);
  }
  ping() {
    this.pings += 1;
  }
  terminate() {
    this.terminated += 1;
    this.readyState = 3;
  }
  close(code: number, reason: string) {
    this.closedWith = [code, reason];
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.emit('open');
  }
  /** Listeners other than the inert 'error' sink a released socket keeps. */
  ours(): number {
    return EVENTS.reduce((n, e) => n + this.listenerCount(e), 0) - this.listenerCount('error');
  }
}

function setUp(protocol: Partial<WsProtocol> = {}) {
  const ws = new FakeSocket();
  const onMessage = vi.fn();
  const ctx = {
    log: silentLogger(),
    heard: vi.fn(),
    rtt: vi.fn(),
    protocolError: vi.fn(),
  } as unknown as SourceContext;
  const proto: WsProtocol = {
    defaultHeartbeatMs: HEARTBEAT_MS,
    endpoint: () => ({ url: 'ws://fake' }),
    onOpen: (link) => link.ready(),
    onMessage,
    watch: () => {},
    unwatch: () => {},
    ...protocol,
  };
  const ended: AttemptEnd[] = [];
  const ready = vi.fn();
  const attempt = new WsAttempt(
    ws as unknown as WebSocket,
    proto,
    ctx,
    { heartbeatMs: HEARTBEAT_MS, handshakeTimeoutMs: HANDSHAKE_MS },
    { ready, ended: (end) => ended.push(end) },
  );
  return { ws, attempt, ended, ready, onMessage, ctx };
}

/** Nothing of the attempt is left: no listener of ours, no timer, at most one inert error sink. */
function expectNothingLeft(ws: FakeSocket) {
  expect(ws.ours()).toBe(0);
  expect(ws.listenerCount('error')).toBeLessThanOrEqual(1);
  expect(() => ws.emit('error', new Error('late'))).not.toThrow();
  expect(vi.getTimerCount()).toBe(0);
}

describe('WsAttempt', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('while live: one listener per socket event, a handshake deadline, then heartbeat timers', () => {
    const { ws, ready } = setUp();
    expect(ws.ours()).toBe(EVENTS.length - 1);
    expect(vi.getTimerCount()).toBe(1); // the handshake deadline
    ws.open();
    expect(ready).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(2); // silence deadline + keepalive interval
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(ws.pings).toBe(1);
  });

  it.each([
    ['the server closes', (ws: FakeSocket) => ws.emit('close', 1006, Buffer.from(''))],
    ['a socket error', (ws: FakeSocket) => ws.emit('error', new Error('ECONNRESET'))],
    ['the silence deadline', () => vi.advanceTimersByTime(2 * HEARTBEAT_MS)],
  ])('ends once on %s and leaves nothing behind', (_what, fault) => {
    const { ws, ended, onMessage } = setUp();
    ws.open();
    fault(ws);
    expect(ended).toEqual([{}]);
    expect(ws.terminated).toBe(1);
    expectNothingLeft(ws);
    // Whatever the old socket does now reaches no one.
    ws.emit('message', Buffer.from('{"late":true}'), false);
    ws.emit('close', 1000, Buffer.from(''));
    vi.advanceTimersByTime(10 * HEARTBEAT_MS);
    expect(onMessage).not.toHaveBeenCalled();
    expect(ended).toHaveLength(1);
  });

  it('ends on the handshake deadline when the provider never says hello, however alive', () => {
    const { ws, ended, ready } = setUp({ onOpen: () => {} });
    ws.open();
    for (let t = HEARTBEAT_MS; t < HANDSHAKE_MS; t += HEARTBEAT_MS) {
      vi.advanceTimersByTime(HEARTBEAT_MS);
      ws.emit('pong'); // the silence deadline is kept back…
    }
    expect(ended).toEqual([]);
    vi.advanceTimersByTime(HEARTBEAT_MS); // …but the hello is due now
    expect(ready).not.toHaveBeenCalled();
    expect(ended).toEqual([{}]);
    expectNothingLeft(ws);
  });

  it('traffic pushes the silence deadline back; a pong gives the round trip', () => {
    const { ws, ended, ctx } = setUp();
    ws.open();
    for (let i = 0; i < 5; i += 1) {
      vi.advanceTimersByTime(HEARTBEAT_MS);
      ws.emit('message', Buffer.from('{}'), false);
    }
    vi.advanceTimersByTime(3);
    ws.emit('pong');
    expect(ended).toEqual([]);
    expect(ctx.rtt).toHaveBeenCalledTimes(1);
    expect(ctx.heard).toHaveBeenCalledTimes(5);
  });

  it.each([
    [
      'a close code',
      { closeCode: 4401 },
      (ws: FakeSocket) => ws.emit('close', 4401, Buffer.from('AUTH_FAILED')),
    ],
    [
      'a refused upgrade',
      { httpStatus: 401 },
      (ws: FakeSocket) => ws.emit('unexpected-response', {}, { statusCode: 401, resume() {} }),
    ],
  ])('reports bad credentials from %s, once', (_what, expected, fault) => {
    const seen: unknown[] = [];
    const { ws, ended } = setUp({
      authFailure: (e) => {
        seen.push(e);
        return 'credentials rejected';
      },
    });
    fault(ws);
    expect(seen[0]).toMatchObject(expected);
    expect(ended).toEqual([{ authFailure: 'credentials rejected' }]);
    expectNothingLeft(ws);
  });

  it('the link goes inert with the attempt', () => {
    const { ws, attempt, ended } = setUp();
    ws.open();
    attempt.link.sendJson({ subscribe: 'A' });
    attempt.link.authFailed('bad key');
    attempt.link.authFailed('bad key');
    attempt.link.sendJson({ subscribe: 'B' });
    expect(ws.sent).toEqual(['{"subscribe":"A"}']);
    expect(ended).toEqual([{ authFailure: 'bad key' }]);
    expect(attempt.live).toBe(false);
  });

  it('dispose: lets the socket go without reporting an end', () => {
    const { ws, attempt, ended } = setUp();
    ws.open();
    attempt.dispose();
    attempt.dispose();
    expect(ended).toEqual([]);
    expect(ws.terminated).toBe(1);
    expectNothingLeft(ws);
  });

  it('shutdown: a clean close frame, done when the server answers', async () => {
    const { ws, attempt, ended } = setUp();
    ws.open();
    const done = attempt.shutdown();
    expect(ws.closedWith).toEqual([1000, 'client shutdown']);
    ws.emit('close', 1000, Buffer.from(''));
    await done;
    expect(ended).toEqual([]);
    expect(ws.terminated).toBe(0);
    expectNothingLeft(ws);
  });

  it(`shutdown: a server that never answers the close is cut after ${CLOSE_GRACE_MS} ms`, async () => {
    const { ws, attempt } = setUp();
    ws.open();
    const done = attempt.shutdown();
    await vi.advanceTimersByTimeAsync(CLOSE_GRACE_MS);
    await done;
    expect(ws.terminated).toBe(1);
    expectNothingLeft(ws);
  });
});
