import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const contract = fileURLToPath(new URL('./packages/contract/src/index.ts', import.meta.url));

export default defineConfig({
  resolve: { alias: { '@tradewire/contract': contract } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'contract', include: ['packages/contract/src/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'web',
          include: ['apps/web/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['apps/web/src/test/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['apps/server/src/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // Some tests start the compiled server as real processes; it is built once here.
          globalSetup: ['apps/server/src/test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          // Debian Chromium through playwright-core against the real server and the built dashboard.
          name: 'e2e',
          include: ['apps/web/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          globalSetup: ['apps/web/e2e/global-setup.ts'],
          fileParallelism: false,
          // A real browser on a shared 2-core machine: one rerun before a timing hiccup fails CI.
          retry: 1,
        },
      },
    ],
  },
});
