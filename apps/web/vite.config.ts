import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: {
    alias: { '@tradewire/contract': fileURLToPath(new URL('../../packages/contract/src/index.ts', import.meta.url)) },
  },
  server: { proxy: { '/api': process.env.TRADEWIRE_API ?? 'http://localhost:8080' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Building a zod schema has no side effect, so a page keeps only the contract's schemas it
    // uses (the dashboard parses events and error bodies, not forms). The contract's one zod
    // setting is made through zod/v4/core's `config`, which this does not cover.
    rolldownOptions: { treeshake: { manualPureFunctions: ['z'] } },
  },
});
