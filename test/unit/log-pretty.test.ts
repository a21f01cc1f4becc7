// Readable logs (pino-pretty) keep every promise of the JSON ones: secrets masked by value and
// redacted by field name, levels honoured. The terminal itself is tested end to end in
// test/integration/service.test.ts.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src-main/engine/log.js';
import { SecretMask } from '../../src-main/shared/secret-mask.js';

function collect() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('pretty logs', () => {
  it('are human-readable lines, with secrets masked and secret fields redacted', () => {
    const mask = new SecretMask();
    mask.add(['pretty-secret-value']);
    const out = collect();
    const log = createLogger('info', mask, out.stream, true);
    log.info({ source: 'hd' }, 'server said: token pretty-secret-value is wrong');
    log.warn({ apiKey: 'field-secret' }, 'retrying');
    const text = out.text();
    expect(text).toMatch(/INFO.*: server said: token \[redacted\] is wrong/);
    expect(text).toMatch(/source: "hd"/);
    expect(text).toMatch(/WARN.*: retrying/);
    expect(text).not.toContain('pretty-secret-value');
    expect(text).not.toContain('field-secret');
    expect(text).not.toMatch(/^\{/m); // no JSON line
  });

  it('honour the level', () => {
    const out = collect();
    const log = createLogger('warn', undefined, out.stream, true);
    log.info('hidden');
    log.warn('shown');
    expect(out.text()).not.toContain('hidden');
    expect(out.text()).toContain('shown');
  });
});
