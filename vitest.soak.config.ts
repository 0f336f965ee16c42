import { defineConfig } from 'vitest/config';

/** `npm run soak` only: the soak runner imports the test helpers and fakes, so it runs under vitest. */
export default defineConfig({
  test: {
    include: ['soak/**/*.soak.ts'],
    pool: 'forks',
    fileParallelism: false,
    // The report is printed as the run goes, not collected per test.
    disableConsoleIntercept: true,
    reporters: ['default'],
    hookTimeout: 60_000,
  },
});
