import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/stress/**'],
    testTimeout: 60000,
    hookTimeout: 60000,
    // Native kernels own the threads; test files run one at a time so timings and thread
    // budgets are not multiplied by vitest's own workers.
    fileParallelism: false,
  },
});
