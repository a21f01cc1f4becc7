// Builds the status window (src-renderer/) into dist-renderer/, served by Electron (app://) and by
// web mode (http on 127.0.0.1). Relative asset URLs so both origins work.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const svelteConfig = fileURLToPath(new URL('./svelte.config.js', import.meta.url));

export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [svelte({ configFile: svelteConfig })],
  build: {
    outDir: '../dist-renderer',
    emptyOutDir: true,
    target: 'es2022',
    // No inline scripts anywhere: the CSP allows only 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
