import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real simulators on ephemeral loopback ports; a small pool keeps a 2-core CI box responsive.
    maxWorkers: 2,
  },
});
