import { defineConfig } from 'vitest/config';

// Slow tier of the hardening suite (issue 7): `npm run test:stress`. Runs test/stress/** (memory
// ceilings, sanitizers, valgrind, native fuzz, worker_threads, real CLI processes) and the fast
// tier's fuzz files again at 10x their calls.
export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts', 'test/hardening/fuzz-*.test.ts'],
    testTimeout: 30 * 60 * 1000,
    hookTimeout: 10 * 60 * 1000,
    // one file at a time: the memory and timing checks must not share the machine with each other
    fileParallelism: false,
    env: { SPEARSIM_FUZZ_SCALE: '10' },
  },
});
