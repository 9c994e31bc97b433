import { defineConfig } from 'vitest/config';

// Browser tests: one file at a time, each starts its own server on a free port.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    pool: 'forks',
    maxWorkers: 1,
  },
});
