// bench:desktop's measuring code, fed with app.getAppMetrics() figures.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../mocks/electron.js'));

const electron = await import('../mocks/electron.js');
const { summarize, runDesktopBench } = await import('../../src-main/app/bench.js');

function metric(workingSetSize: number, cpu: number, privateBytes?: number) {
  return {
    pid: 1,
    type: 'Browser',
    creationTime: 0,
    sandboxed: false,
    cpu: { percentCPUUsage: cpu, idleWakeupsPerSecond: 0 },
    memory: {
      workingSetSize,
      peakWorkingSetSize: workingSetSize,
      ...(privateBytes === undefined ? {} : { privateBytes }),
    },
  };
}

describe('bench:desktop', () => {
  it('sums private bytes where reported (Windows), else the working set', () => {
    expect(summarize('x', [metric(100, 0.5, 60), metric(200, 0.25, 90)] as never)).toMatchObject({
      processes: 2,
      memoryKB: 150,
      memoryKind: 'privateBytes',
      cpuPercent: 0.75,
    });
    expect(summarize('x', [metric(100, 0), metric(200, 0)] as never)).toMatchObject({
      memoryKB: 300,
      memoryKind: 'workingSetSize',
    });
  });

  it('measures closed, open, closed again', async () => {
    const spy = vi
      .spyOn(electron.app, 'getAppMetrics')
      .mockReturnValue([metric(1024, 0.1)] as never);
    const target = { openWindow: vi.fn(), window: { close: vi.fn() } };
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const results = await runDesktopBench(target, { settleMs: 1, sampleMs: 1 });
    write.mockRestore();
    spy.mockRestore();
    expect(results.map((r) => r.label)).toEqual([
      'window closed (tray only)',
      'window open, idle',
      'window closed again',
    ]);
    expect(target.openWindow).toHaveBeenCalledTimes(1);
    expect(target.window.close).toHaveBeenCalledTimes(1);
  });
});
