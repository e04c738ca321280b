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
  build: { outDir: 'dist', emptyOutDir: true },
});
