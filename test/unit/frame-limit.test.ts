// The shapes a refused oversized frame arrives in (ws's own error, socket.io's wrapping of it) and
// the words a limit is said in.
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src-main/engine/bytes.js';
import { frameTooLargeMessage, isFrameTooLarge } from '../../src-main/engine/frame-limit.js';

const wsError = Object.assign(new RangeError('Max payload size exceeded'), {
  code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH',
});

describe('isFrameTooLarge', () => {
  it.each<[string, unknown, boolean]>([
    ["ws's error", wsError, true],
    ['socket.io TransportError → ErrorEvent → ws error', { description: { error: wsError } }, true],
    ['another ws error', { code: 'WS_ERR_INVALID_UTF8' }, false],
    ['a plain Error', new Error('Max payload size exceeded'), false],
    ['undefined (io server disconnect)', undefined, false],
    ['a string', 'transport close', false],
    ['nested too deep', { description: { error: { error: { error: wsError } } } }, false],
  ])('%s → %s', (_name, err, want) => {
    expect(isFrameTooLarge(err)).toBe(want);
  });
});

describe('formatBytes and the frame line', () => {
  it.each<[number, string]>([
    [1024 * 1024, '1 MiB'],
    [4 * 1024 * 1024, '4 MiB'],
    [256 * 1024, '256 KiB'],
    [1536 * 1024, '1536 KiB'],
    [100, '100 bytes'],
    [0, '0 bytes'],
  ])('%i → %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  it('names the limit', () => {
    expect(frameTooLargeMessage()).toBe(
      'frame larger than the 1 MiB limit refused unread; reconnecting',
    );
  });
});
