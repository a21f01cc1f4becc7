// The strict exposition-format reader the service tests rely on: it must accept what prom-client
// writes and refuse what a scraper would.
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePromText } from '../support/prom-text.js';

describe('parsePromText (test support)', () => {
  it('reads prom-client output back: families, label values with escapes, values', async () => {
    const registry = new Registry();
    const c = new Counter({
      name: 'x_total',
      help: 'h',
      labelNames: ['a'],
      registers: [registry],
    });
    c.inc({ a: 'quote " backslash \\ newline \n' }, 3);
    const families = parsePromText(await registry.metrics());
    const family = families.get('x_total');
    expect(family?.type).toBe('counter');
    expect(family?.samples).toEqual([
      { name: 'x_total', labels: { a: 'quote " backslash \\ newline \n' }, value: 3 },
    ]);
  });

  it('reads NaN and Inf in any letter case, as Prometheus does (prom-client writes "Nan")', () => {
    const m = parsePromText(
      '# TYPE x gauge\nx{a="1"} Nan\nx{a="2"} +Inf\nx{a="3"} -inf\nx{a="4"} 1e-3\n',
    );
    expect(m.get('x')?.samples.map((s) => s.value)).toEqual([NaN, Infinity, -Infinity, 0.001]);
  });

  it.each([
    ['a sample of an undeclared family', 'x 1\n'],
    ['a bad metric name', '# TYPE 1x gauge\n1x 1\n'],
    ['an unknown type', '# TYPE x meter\n'],
    ['a counter without _total', '# TYPE x counter\nx 1\n'],
    ['a negative counter', '# TYPE x_total counter\nx_total -1\n'],
    ['an unquoted label value', '# TYPE x gauge\nx{a=b} 1\n'],
    ['a bad label name', '# TYPE x gauge\nx{1a="b"} 1\n'],
    ['a label twice', '# TYPE x gauge\nx{a="b",a="c"} 1\n'],
    ['a duplicate series', '# TYPE x gauge\nx{a="b"} 1\nx{a="b"} 2\n'],
    ['a bad value', '# TYPE x gauge\nx one\n'],
    ['no final newline', '# TYPE x gauge\nx 1'],
    ['TYPE after samples', '# TYPE x gauge\nx 1\n# TYPE x gauge\n'],
  ])('refuses %s', (_what, text) => {
    expect(() => parsePromText(text)).toThrow();
  });
});
