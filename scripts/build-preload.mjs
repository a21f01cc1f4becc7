#!/usr/bin/env node
// Bundles the preload into one CommonJS file: a sandboxed preload can require only `electron`
// (and a few polyfilled built-ins), never an ES module or another file of ours, so the bridge
// channel map is inlined here. Vite (already the renderer's bundler) does the bundling.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'preload');

await build({
  configFile: false,
  root,
  logLevel: 'warn',
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    minify: false,
    sourcemap: false,
    target: 'chrome140',
    lib: {
      entry: join(root, 'src-main', 'preload', 'preload.ts'),
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: { external: ['electron'] },
  },
});
process.stderr.write(`preload: ${join(outDir, 'preload.cjs')}\n`);
