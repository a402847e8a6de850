import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Loopback doubles bind real ports; forks keep each file's servers and sqlite handles apart.
    pool: 'forks',
  },
});
