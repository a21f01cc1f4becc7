// The status model (docs/headless.md): terminal-ness follows the normalized status, and every
// provider code has a label. Each provider's own codes are checked row by row in its test file,
// test/integration/<provider>.test.ts (its descriptor's `statuses`, run by descriptor-suite.ts).
import { describe, expect, it } from 'vitest';
import { STATUS_TABLES } from '../../src-main/engine/providers/index.js';
import { isTerminal } from '../../src-main/engine/status.js';

describe('status tables follow the status model, docs/headless.md', () => {
  it.each([
    ['completed', true],
    ['failed', true],
    ['canceled', true],
    ['expired', true],
    ['refunded', true],
    ['deleted', true],
    ['pending', false],
    ['on_hold', false],
    ['processing', false],
  ] as const)('%s terminal = %s', (status, terminal) => {
    expect(isTerminal(status)).toBe(terminal);
  });

  it('every provider code has a label a person can read', () => {
    for (const table of Object.values(STATUS_TABLES)) {
      for (const entry of Object.values(table)) expect(entry.label.length).toBeGreaterThan(0);
    }
  });
});
