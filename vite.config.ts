/**
 * The web UI (src-renderer) → dist/renderer: served by `ejournal serve` at `/` and loaded by the
 * Electron shell. Hashed assets under `assets/`; no inline scripts or styles (strict CSP
 * `script-src 'self'; style-src 'self'`): styles are CSS files, the module preload polyfill
 * (an inline script) is off.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    modulePreload: { polyfill: false },
    // Inlined data: URLs would need `img-src data:`; keep every asset a file.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
});
