// After sleep, a screen unlock or the network coming back, every source reconnects at once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';

vi.mock('electron', () => import('../mocks/electron.js'));
vi.mock('electron-store', () => import('../mocks/electron-store.js'));

const electron = await import('../mocks/electron.js');
const { watchPower } = await import('../../src-main/app/power.js');
const { startHarness } = await import('../mocks/app-harness.js');
type Harness = import('../mocks/app-harness.js').Harness;

beforeEach(() => electron.resetElectron());
afterEach(() => vi.useRealTimers());

describe('watchPower', () => {
  it('resume and unlock-screen → reconnectAll, close wake-ups coalesced', () => {
    let t = 0;
    const reconnectAll = vi.fn();
    const stop = watchPower({ reconnectAll, now: () => t });
    electron.powerMonitor.emit('resume');
    expect(reconnectAll).toHaveBeenCalledTimes(1);
    t += 500;
    electron.powerMonitor.emit('unlock-screen'); // same wake-up
    expect(reconnectAll).toHaveBeenCalledTimes(1);
    t += 10_000;
    electron.powerMonitor.emit('unlock-screen');
    expect(reconnectAll).toHaveBeenCalledTimes(2);
    stop();
    t += 10_000;
    electron.powerMonitor.emit('resume');
    expect(reconnectAll).toHaveBeenCalledTimes(2);
    expect(electron.powerMonitor.listenerCount('resume')).toBe(0);
  });

  it('the network coming back → reconnectAll (sampled with net.isOnline)', () => {
    vi.useFakeTimers();
    const reconnectAll = vi.fn();
    const stop = watchPower({ reconnectAll, onlinePollMs: 1_000 });
    vi.advanceTimersByTime(3_000);
    expect(reconnectAll).not.toHaveBeenCalled();
    electron.state.online = false;
    vi.advanceTimersByTime(2_000);
    expect(reconnectAll).not.toHaveBeenCalled();
    electron.state.online = true;
    vi.advanceTimersByTime(1_000);
    expect(reconnectAll).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5_000);
    expect(reconnectAll).toHaveBeenCalledTimes(1);
    stop();
  });
});

describe('in the running shell', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.desktop.stop();
    h = undefined;
  });

  it('resume → engine.reconnectAll; tray "Reconnect all" too', async () => {
    const sources = parseConfig({
      sources: [{ id: 'nx', provider: 'nexchange', url: 'ws://127.0.0.1:1/', orders: [] }],
    }).config.sources;
    h = await startHarness({ sources, demo: false });
    electron.powerMonitor.emit('resume');
    expect(h.engine.calls.filter((c) => c === 'reconnectAll')).toHaveLength(1);
    electron.Tray.created.at(-1)?.contextMenu?.find('Reconnect all')?.click?.({ checked: false });
    expect(h.engine.calls.filter((c) => c === 'reconnectAll')).toHaveLength(2);
    await h.desktop.stop();
    electron.powerMonitor.emit('resume');
    expect(h.engine.calls.filter((c) => c === 'reconnectAll')).toHaveLength(2);
    h = undefined;
  });
});
