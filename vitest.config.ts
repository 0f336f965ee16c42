import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // The processes tests start read no .env: an operator's own settings must not change what they test.
    env: { ENV_FILE: 'off' },
    hookTimeout: 30_000,
    globalSetup: ['./test/support/temp-root.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
