import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Builds the dashboard into dist/ui, served by Breakwater at /ui (src/http/routes/ui.ts). */
export default defineConfig({
  root: import.meta.dirname,
  base: '/ui/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: '../dist/ui',
    emptyOutDir: true,
    // The charts (the Overview page, loaded lazily) are the largest chunk.
    chunkSizeWarningLimit: 1024,
  },
});
