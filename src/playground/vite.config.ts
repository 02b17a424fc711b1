/**
 * Builds the playground into the package's dist/playground/. Relative URLs
 * (`base: './'`) so the backend can serve it under any path; one hashed
 * script and stylesheet under playground-assets/, which the server serves.
 */
import { defineConfig } from 'vite';

// URL paths, not node:path: this file is type-checked with the browser app's DOM-only settings.
const pathOf = (relative: string) => decodeURIComponent(new URL(relative, import.meta.url).pathname);
const here = pathOf('.');

export default defineConfig({
  root: here,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: pathOf('../../dist/playground/'),
    emptyOutDir: true,
    assetsDir: 'playground-assets',
    target: 'es2022',
    // One small script: no preload helper, no source maps shipped in the package.
    modulePreload: false,
    sourcemap: false,
    reportCompressedSize: true,
  },
});
