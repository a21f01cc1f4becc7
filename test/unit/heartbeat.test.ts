import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src-main/engine/log.js';
import { DEADLINE_INTERVALS, Heartbeat } from '../../src-main/engine/heartbeat.js';
import { UndoList } from '../../src-main/engine/undo-list.js';

const INTERVAL = 100;

function setUp() {
  const undo = new UndoList();
  const ping = vi.fn();
  const expired = vi.fn();
  const rtt = vi.fn();
  let clock = 0;
  const heartbeat = new Heartbeat(undo, {
    intervalMs: INTERVAL,
    log: silentLogger(),
    ping,
    expired,
    rtt,
    now: () => clock,
  });
  return {
    undo,
    heartbeat,
    ping,
    expired,
    rtt,
    advance(ms: number) {
      clock += ms;
      vi.advanceTimersByTime(ms);
    },
  };
}

describe('Heartbeat', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the deadline is two intervals', () => {
    expect(DEADLINE_INTERVALS).toBe(2);
  });

  it('pings once per interval after start()', () => {
    const h = setUp();
    h.heartbeat.start();
    h.advance(INTERVAL - 1);
    expect(h.ping).not.toHaveBeenCalled();
    h.advance(1);
    expect(h.ping).toHaveBeenCalledTimes(1);
    h.heartbeat.heard();
    h.advance(INTERVAL);
    expect(h.ping).toHaveBeenCalledTimes(2);
  });

  it('watchSilence() alone never pings (the handshake is not over yet)', () => {
    const h = setUp();
    h.heartbeat.watchSilence();
    h.advance(DEADLINE_INTERVALS * INTERVAL - 1);
    expect(h.ping).not.toHaveBeenCalled();
  });

  it.each([
    ['no traffic at all', [] as number[], DEADLINE_INTERVALS * INTERVAL],
    ['traffic at 150 ms', [150], 150 + DEADLINE_INTERVALS * INTERVAL],
    ['traffic at 50 and 190 ms', [50, 190], 190 + DEADLINE_INTERVALS * INTERVAL],
  ])('expires after two silent intervals: %s → at %i ms', (_what, heardAt, expiresAt) => {
    const h = setUp();
    h.heartbeat.watchSilence();
    let t = 0;
    for (const at of heardAt) {
      h.advance(at - t);
      t = at;
      h.heartbeat.heard();
    }
    h.advance(expiresAt - 1 - t);
    expect(h.expired).not.toHaveBeenCalled();
    h.advance(1);
    expect(h.expired).toHaveBeenCalledTimes(1);
  });

  it('expires once, even if traffic is heard after the deadline passed', () => {
    const h = setUp();
    h.heartbeat.start();
    h.advance(DEADLINE_INTERVALS * INTERVAL);
    expect(h.expired).toHaveBeenCalledTimes(1);
    h.heartbeat.heard();
    h.heartbeat.watchSilence();
    h.advance(10 * INTERVAL);
    expect(h.expired).toHaveBeenCalledTimes(1);
  });

  it('a pong keeps the link alive and gives the round trip of the outstanding ping, once', () => {
    const h = setUp();
    h.heartbeat.start();
    h.advance(INTERVAL); // ping sent at 100
    h.advance(7);
    h.heartbeat.pong();
    expect(h.rtt).toHaveBeenCalledExactlyOnceWith(7);
    h.heartbeat.pong(); // unsolicited: no ping outstanding
    expect(h.rtt).toHaveBeenCalledTimes(1);
    h.advance(DEADLINE_INTERVALS * INTERVAL - 1);
    expect(h.expired).not.toHaveBeenCalled();
  });

  it('ends with its undo list: no timer left, nothing fires afterwards', () => {
    const h = setUp();
    h.heartbeat.start();
    expect(vi.getTimerCount()).toBe(2);
    h.undo.run();
    expect(vi.getTimerCount()).toBe(0);
    h.heartbeat.heard(); // a late frame must not revive the deadline
    h.heartbeat.start();
    h.advance(10 * INTERVAL);
    expect(h.ping).not.toHaveBeenCalled();
    expect(h.expired).not.toHaveBeenCalled();
  });
});
