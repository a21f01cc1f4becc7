// One door for the window: it imports from src-main/ only the vocabulary directly in
// src-main/shared/, and that vocabulary pulls in nothing else (no engine, no Node), not even types.
// Two checks: the ESLint rule refuses a bad import in a window file, and the window's real import
// graph, followed through shared/, stays inside the allowed files.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('ESLint keeps the window to src-main/shared/', () => {
  // import in a window file → refused by no-restricted-imports
  const CASES: [string, boolean][] = [
    ['../../src-main/shared/bridge', false],
    ['../../src-main/shared/orders', false],
    ['../../src-main/shared/limits.js', false],
    ['../src-main/shared/statuses', false],
    ['../lib/orders', false],
    ['../../src-main/engine/types', true],
    ['../../src-main/engine/store', true],
    ['../../src-main/engine/providers/ozzobit', true],
    ['../../src-main/app/tray', true],
    ['../../src-main/cli/headless', true],
    ['../../src-main/simulator/index', true],
    ['../../src-main/shared/host/context', true],
    ['../../src-main/shared/host/handlers/orders', true],
    ['../../src-main/shared/bridge-host', true],
    ['../../src-main/shared/settings-port.js', true],
    ['node:fs', true],
    ['zod', true],
  ];
  const eslint = new ESLint({ cwd: ROOT });

  async function refused(file: string, code: string): Promise<boolean> {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
    return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
  }

  it.each(CASES)('%s refused: %s', async (source, expected) => {
    expect(await refused('src-renderer/components/Probe.ts', `import '${source}';\n`)).toBe(
      expected,
    );
  });

  it('holds in .svelte files too', async () => {
    const svelte = (source: string) =>
      `<script lang="ts">\n  import type { X } from '${source}';\n  let x: X | undefined;\n</script>\n{x}\n`;
    expect(
      await refused('src-renderer/components/Probe.svelte', svelte('../../src-main/engine/types')),
    ).toBe(true);
    expect(
      await refused('src-renderer/components/Probe.svelte', svelte('../../src-main/shared/lines')),
    ).toBe(false);
  });
});

/** Every import specifier in a source file (static imports and re-exports, types included). */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b(?:from|import)\s+'([^']+)'/g)) out.push(m[1] as string);
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|svelte)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** The file a relative specifier names (`./x.js`, `./x` and `./x.svelte` for x.svelte.ts alike). */
function resolveImport(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base.replace(/\.js$/, '')}.ts`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${relative(ROOT, from)}: cannot resolve ${spec}`);
}

describe("the window's import graph", () => {
  const allowedPackages = new Set(['svelte', '@tanstack/svelte-virtual']);
  const reached = new Set<string>();
  const problems: string[] = [];
  const queue = filesUnder(join(ROOT, 'src-renderer'));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (reached.has(file)) continue;
    reached.add(file);
    if (file.endsWith('.css')) continue;
    const where = relative(ROOT, file).split(sep).join('/');
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) {
        const pkg = spec.startsWith('@')
          ? spec.split('/').slice(0, 2).join('/')
          : spec.split('/')[0];
        if (!allowedPackages.has(pkg as string)) problems.push(`${where} imports ${spec}`);
        continue;
      }
      const target = resolveImport(file, spec);
      const rel = relative(ROOT, target).split(sep).join('/');
      if (rel.startsWith('src-main/')) {
        const ok =
          /^src-main\/shared\/[^/]+\.ts$/.test(rel) && !/\/(bridge-host|settings-port)/.test(rel);
        if (!ok) problems.push(`${where} imports ${rel}`);
      } else if (!rel.startsWith('src-renderer/')) problems.push(`${where} imports ${rel}`);
      queue.push(target);
    }
  }

  it('reaches src-main/ only through the shared vocabulary, and no package but Svelte', () => {
    expect(problems).toEqual([]);
  });

  it('really follows the window into shared/ (the check above is not empty)', () => {
    const shared = [...reached].map((f) => relative(ROOT, f).split(sep).join('/'));
    expect(shared).toEqual(
      expect.arrayContaining([
        'src-main/shared/bridge.ts',
        'src-main/shared/orders.ts',
        'src-main/shared/lines.ts',
        'src-main/shared/statuses.ts',
        'src-main/shared/limits.ts',
        'src-main/shared/providers.ts',
      ]),
    );
  });
});
