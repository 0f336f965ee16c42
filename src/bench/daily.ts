import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createSlackApp } from '../adapters/slack/slack.js';
import { createBackfill } from '../app.js';
import { loadConfig, packageRoot } from '../config/env.js';
import { silentLogger } from '../core/log.js';
import { openKnowledgeCached } from '../knowledge/snapshot.js';
import { PostgresStore } from '../store/postgres.js';

/** Subscriptions due in the same minute, one post each (a concept of the day), over this many workspaces. */
const POSTS = 3_000;
const WORKSPACES = 10;
/** No run may take longer than this: the whole benchmark has a budget. */
const RUN_TIMEOUT_MS = 60_000;

/** What the benchmark uses of the fake Slack (test/slack/fake-slack.ts, built into dist/bench/fakes by `npm run bench`). */
interface FakeSlackApi {
  start(): Promise<unknown>;
  readonly apiUrl: string;
  readonly messages: Array<{ channel: string }>;
  waitFor(condition: () => boolean, timeoutMs?: number): Promise<unknown>;
  close(): Promise<void>;
}

export interface DailyRun {
  processes: number;
  posts: number;
  /** From the moment every process was told to sweep until the last post was answered by the fake. */
  ms: number;
  postsPerSecond: number;
  /** Posts each process sent. */
  perProcess: number[];
  /** Channels that got no post, or more than one. */
  missing: number;
  doubled: number;
}

export type DailyFigures = { runs: DailyRun[] } | { skipped: string } | { failed: string };

/** A schema of its own in the benchmark database, dropped afterwards. */
async function freshSchema(admin: pg.Client, url: string): Promise<{ url: string; name: string }> {
  const name = `backfill_bench_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE SCHEMA ${name}`);
  const inSchema = new URL(url);
  inSchema.searchParams.set('options', `-c search_path=${name}`);
  return { url: inSchema.toString(), name };
}

/** POSTS channels subscribed to a concept at 00:00 UTC every day: due at any time of the day the benchmark runs. */
async function subscribe(url: string): Promise<void> {
  await (await PostgresStore.open(url)).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO daily_subscriptions (address, kinds, time, timezone, topics, weekdays, state, paused_reason, created_by, created_at)
       SELECT 'slack:TBENCH' || (i % $2) || ':C' || lpad(i::text, 5, '0'), 'concept', '00:00', 'UTC', '', '', 'active', NULL, 'UBENCH', '2026-01-01T00:00:00.000Z'
       FROM generate_series(1, $1) AS i`,
      [POSTS, WORKSPACES],
    );
  } finally {
    await client.end();
  }
}

/** A bot process of the benchmark: started, then told to sweep once. */
interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<{ sent: number }>;
}

function startWorker(schemaUrl: string, apiUrl: string): Worker {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'worker', schemaUrl, apiUrl], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`a daily worker exited (${code}): ${stderr.trim().split('\n').slice(-1)[0] ?? ''}`)));
    });
  const ready = next().then(() => undefined);
  const done = ready.then(next).then((line) => JSON.parse(line) as { sent: number });
  return { child, ready, done };
}

async function run(admin: pg.Client, url: string, fake: FakeSlackApi, processes: number): Promise<DailyRun> {
  const schema = await freshSchema(admin, url);
  const workers: Worker[] = [];
  try {
    await subscribe(schema.url);
    const before = fake.messages.length;
    for (let i = 0; i < processes; i++) workers.push(startWorker(schema.url, fake.apiUrl));
    await Promise.all(workers.map((w) => w.ready));
    const started = performance.now();
    for (const w of workers) w.child.stdin!.write('go\n');
    const results = await Promise.race([
      Promise.all(workers.map((w) => w.done)),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not done within ${RUN_TIMEOUT_MS / 1000} s`)), RUN_TIMEOUT_MS).unref()),
    ]);
    const elapsed = performance.now() - started;
    const perChannel = new Map<string, number>();
    for (const m of fake.messages.slice(before)) perChannel.set(m.channel, (perChannel.get(m.channel) ?? 0) + 1);
    return {
      processes,
      posts: POSTS,
      ms: elapsed,
      postsPerSecond: (POSTS / elapsed) * 1000,
      perProcess: results.map((r) => r.sent),
      missing: POSTS - perChannel.size,
      doubled: [...perChannel.values()].filter((n) => n > 1).length,
    };
  } finally {
    for (const w of workers) w.child.kill();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema.name} CASCADE`);
  }
}

/**
 * 3,000 channels due in the same minute, posted through the fake Slack Web API (Bolt's WebClient,
 * the channel lanes, the outbox) by one and then three bot processes sharing one PostgreSQL
 * database: how long until the last post is out, and whether each channel got exactly one.
 */
export async function benchDaily(): Promise<{ lines: string[]; figures: DailyFigures }> {
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  const title = `Daily posts: ${POSTS.toLocaleString('en')} channels due in the same minute, through the fake Slack Web API, on PostgreSQL`;
  if (!url) {
    const skipped = 'set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL database the benchmark may create schemas in';
    return { lines: [`${title}: skipped (${skipped})`], figures: { skipped } };
  }
  const { FakeSlack } = (await import(new URL('./fakes/fake-slack.js', import.meta.url).href)) as { FakeSlack: new () => FakeSlackApi };
  const fake = new FakeSlack();
  const admin = new pg.Client({ connectionString: url });
  try {
    await fake.start();
    await admin.connect();
    const runs = [await run(admin, url, fake, 1), await run(admin, url, fake, 3)];
    const lines = [
      `${title} (posts in flight per process and platform: at most 16):`,
      ...runs.map(
        (r) =>
          `  ${r.processes} process${r.processes > 1 ? 'es' : '  '}  all out in ${(r.ms / 1000).toFixed(1).padStart(5)} s  ${r.postsPerSecond.toFixed(0).padStart(5)} posts/s  sent ${r.perProcess.map((n) => n.toLocaleString('en')).join(' + ')}` +
          `; ${r.missing === 0 && r.doubled === 0 ? 'every channel exactly once' : `MISSING ${r.missing}, DOUBLED ${r.doubled}`}`,
      ),
    ];
    return { lines, figures: { runs } };
  } catch (err) {
    const failed = err instanceof Error ? err.message : String(err);
    return { lines: [`${title}: failed (${failed})`], figures: { failed } };
  } finally {
    await admin.end().catch(() => undefined);
    await fake.close();
  }
}

/** The worker: a bot process on the schema, posting to the fake; it sweeps once when told to, and says how many it sent. */
async function worker(schemaUrl: string, apiUrl: string): Promise<void> {
  const knowledge = await openKnowledgeCached(join(packageRoot, 'knowledge'));
  const store = await PostgresStore.open(schemaUrl);
  const app = createBackfill({ knowledge, store, log: silentLogger });
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: 'bench', SLACK_API_URL: apiUrl, SQLITE_PATH: ':memory:' });
  const slack = createSlackApp(app, config, silentLogger);
  let sent = 0;
  app.messengers.register('slack', {
    send: async (address, reply, options) => {
      const posted = await slack.messenger.send(address, reply, options);
      sent++;
      return posted;
    },
    update: (message, reply) => slack.messenger.update(message, reply),
    recover: (address, reply, send) => slack.messenger.recover(address, reply, send),
  });
  process.stdout.write('ready\n');
  const input = createInterface({ input: process.stdin });
  await once(input, 'line');
  await app.daily.sweep();
  process.stdout.write(`${JSON.stringify({ sent })}\n`);
  slack.stopSending();
  await app.close();
  process.exit(0);
}

if (process.argv[2] === 'worker' && process.argv[1] === fileURLToPath(import.meta.url)) {
  worker(process.argv[3]!, process.argv[4]!).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
