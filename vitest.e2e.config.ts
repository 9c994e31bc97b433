import { defineConfig } from 'vitest/config';

// Browser tests: one file at a time, each starts its own server on a free port, on its own copy of a
// demo data directory seeded once by the global setup.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    pool: 'forks',
    maxWorkers: 1,
  },
});
