// NDJSON on stdout: one line per event, written in batches per event-loop turn so a burst of
// thousands of updates costs a handful of write calls, not one each.
import type { Writable } from 'node:stream';
import type { EngineEvent } from '../engine/types.js';
import type { SecretMask } from '../shared/secret-mask.js';

export class NdjsonWriter {
  private buffer: string[] = [];
  private scheduled = false;
  private broken = false;

  /** `mask`: configured secrets never reach stdout, whatever line (a provider's echo) holds them. */
  constructor(
    private readonly out: Writable,
    private readonly mask?: SecretMask,
  ) {
    // The reader went away (`| head`): stop writing, do not crash.
    out.on('error', () => {
      this.broken = true;
    });
  }

  write(event: EngineEvent): void {
    if (this.broken) return;
    const line = JSON.stringify(event);
    this.buffer.push(this.mask ? this.mask.text(line) : line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.buffer.length === 0 || this.broken) return;
    const text = this.buffer.join('\n') + '\n';
    this.buffer = [];
    this.out.write(text);
  }
}
