// SecretMask: which values are masked, in which forms, and that everything else is left alone.
import { describe, expect, it } from 'vitest';
import {
  MIN_MASKED_SECRET_CHARS,
  SecretMask,
  secretsOf,
} from '../../src-main/shared/secret-mask.js';

describe('SecretMask.text', () => {
  const rows: [string, string[], string, string][] = [
    ['no secrets: unchanged', [], 'apiKey oz_live_1234', 'apiKey oz_live_1234'],
    ['every occurrence', ['s3cr3t'], 'a s3cr3t b s3cr3t', 'a [redacted] b [redacted]'],
    ['inside a word', ['abcd'], 'xxabcdxx', 'xx[redacted]xx'],
    ['shorter than the minimum: left alone', ['abc'], 'abc abcd', 'abc abcd'],
    ['regex characters are literal', ['a.b*c+'], 'a.b*c+ axbbc', '[redacted] axbbc'],
    ['as JSON escapes it', ['he said "hi"'], '{"m":"he said \\"hi\\""}', '{"m":"[redacted]"}'],
    ['as a URL encodes it', ['p@ss word'], '/x?token=p%40ss%20word', '/x?token=[redacted]'],
    ['a secret holding another: masked whole', ['abcd', 'abcdefgh'], '-abcdefgh-', '-[redacted]-'],
  ];
  it.each(rows)('%s', (_name, secrets, text, want) => {
    const mask = new SecretMask();
    mask.add(secrets);
    expect(mask.text(text)).toBe(want);
  });

  it('the minimum is 4 characters', () => {
    expect(MIN_MASKED_SECRET_CHARS).toBe(4);
  });
});

describe('secretsOf and SecretMask.value', () => {
  it('reads the secret fields of a source, whatever its provider', () => {
    expect(
      secretsOf({ id: 'hd', provider: 'houdini', partnerId: 'p', secret: 'sss1', url: 'wss://x' }),
    ).toEqual(['sss1']);
    expect(secretsOf({ apiKey: 'k', realmKey: 'r', token: 't', secret: 5 })).toEqual([
      'k',
      'r',
      't',
    ]);
    expect(secretsOf(null)).toEqual([]);
  });

  it('masks every string of plain data, keys and other values untouched', () => {
    const mask = new SecretMask();
    mask.addSources([{ token: 'jwt-value-1' }]);
    const batch = {
      seq: 3,
      changes: [{ type: 'event', event: { detail: 'echo jwt-value-1', n: 1, ok: true } }],
      'jwt-value-1': null,
    };
    expect(mask.value(batch)).toEqual({
      seq: 3,
      changes: [{ type: 'event', event: { detail: 'echo [redacted]', n: 1, ok: true } }],
      'jwt-value-1': null,
    });
    expect(batch.changes[0]?.event.detail).toBe('echo jwt-value-1'); // the original is not changed
  });
});
