// Demo mode for the desktop: the five loopback simulators started in this process, imported only
// when the demo is used (socket.io and ws servers have no business in a normal start).
import type { DemoControl } from '../shared/bridge-host.js';

interface RunningDemo {
  sources: unknown[];
  run(): void;
  close(): Promise<void>;
}

export class DesktopDemo implements DemoControl {
  private running: RunningDemo | undefined;

  constructor(private readonly speed = 1) {}

  async start(): Promise<{ sources: unknown[]; run(): void }> {
    await this.stop();
    const { startDemo } = await import('../simulator/demo.js');
    const demo = await startDemo({ speed: this.speed });
    this.running = demo;
    return { sources: demo.sources, run: () => demo.run() };
  }

  async stop(): Promise<void> {
    const demo = this.running;
    this.running = undefined;
    await demo?.close();
  }
}
