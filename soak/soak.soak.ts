import { expect, it } from 'vitest';
import { runSoak } from './soak.js';

/**
 * `npm run soak` (soak/run.mjs): not part of `npm test`. SOAK_MINUTES (default 20) sets the length
 * of the traffic; TEST_DATABASE_URL runs it on PostgreSQL instead of a SQLite file; SOAK_SEED
 * repeats a run's random choices.
 */
const minutes = Number(process.env['SOAK_MINUTES'] ?? 20);
const seed = Number(process.env['SOAK_SEED'] ?? Math.floor(Math.random() * 1e9));

it(`soak: ${minutes} min of mixed traffic with kill -9 and restarts`, { timeout: (minutes + 20) * 60_000 }, async () => {
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`SOAK_MINUTES must be a positive number of minutes (got "${process.env['SOAK_MINUTES']}")`);
  const { passed } = await runSoak({
    minutes,
    seed,
    databaseUrl: process.env['TEST_DATABASE_URL'] || undefined,
    answerSeconds: 10,
    revealMinutes: 5,
    dailyChannels: 200,
    slackQuizChannels: 4,
    players: 20,
    print: (line) => process.stdout.write(`${line}\n`),
  });
  expect(passed, 'the soak found duplicates, lost answers or other failures (see the report above)').toBe(true);
});
