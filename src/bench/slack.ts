import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { startSlack } from '../adapters/slack/slack.js';
import { createBackfill } from '../app.js';
import { loadConfig, packageRoot } from '../config/env.js';
import { silentLogger } from '../core/log.js';
import { openKnowledge } from '../knowledge/index.js';
import { SqliteStore } from '../store/sqlite.js';
import type { LoadReply, LoadRequest } from './slack-load.js';
import { ms, percentile } from './stats.js';

const CONCURRENT = 200;
const TARGET_P99_MS = 100;
const SECRET = 'bench-signing-secret';
const QUERIES = ['kafka acks', 'what is an xcom', 'spark executor memory', 'hdfs namenode', 'dbt incremental models'];

/** Asks the Slack side (the worker) to do something and waits for its answer. */
async function ask<K extends LoadReply['kind']>(worker: Worker, request: LoadRequest, expected: K): Promise<Extract<LoadReply, { kind: K }>> {
  worker.postMessage(request);
  const [reply] = (await once(worker, 'message')) as [LoadReply];
  if (reply.kind !== expected) throw new Error(`Slack benchmark: ${reply.kind === 'failed' ? reply.error : `unexpected ${reply.kind}`}`);
  return reply as Extract<LoadReply, { kind: K }>;
}

/**
 * Time to ack `/explain` under 200 concurrent, correctly signed requests to the real Bolt HTTP
 * receiver on loopback. Slack's side (the requests, the fake Web API and response_url) runs in a
 * worker thread, so the bot's event loop does only the bot's work, as in production.
 */
export async function benchSlack(): Promise<string[]> {
  const worker = new Worker(new URL('./slack-load.js', import.meta.url));
  const app = createBackfill({ knowledge: openKnowledge(join(packageRoot, 'knowledge')), store: new SqliteStore(':memory:'), log: silentLogger });
  let slack: { url?: string; stop(): Promise<void> } | undefined;
  try {
    const { apiUrl } = await ask(worker, { kind: 'start' }, 'started');
    const config = { ...loadConfig({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl, SQLITE_PATH: ':memory:' }), PORT: 0 };
    slack = await startSlack(app, config, silentLogger, { host: '127.0.0.1' });
    const run = (prefix: string, count: number): LoadRequest => ({ kind: 'run', eventsUrl: `${slack!.url}/slack/events`, signingSecret: SECRET, prefix, count, queries: QUERIES });

    // One burst first: JIT-compiled code and open keep-alive connections, as on a running bot.
    await ask(worker, run('warmup', CONCURRENT), 'ran');
    const { ackMs, allAnsweredMs } = await ask(worker, run('bench', CONCURRENT), 'ran');
    const acks = ackMs.sort((a, b) => a - b);
    const p99 = percentile(acks, 99);
    return [
      `Slack: ack of /explain, ${CONCURRENT} concurrent signed requests to the Bolt HTTP receiver on loopback`,
      `  p50 ${ms(percentile(acks, 50))}, p99 ${ms(p99)}, max ${ms(acks[acks.length - 1]!)} (target p99 < ${TARGET_P99_MS} ms: ${p99 < TARGET_P99_MS ? 'met' : 'MISSED'})`,
      `  all ${CONCURRENT} cards delivered to response_url ${ms(allAnsweredMs)} after the first request`,
      `  peak memory of the process (maxRSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    ];
  } finally {
    await slack?.stop();
    await app.close();
    await ask(worker, { kind: 'stop' }, 'stopped').catch(() => undefined);
    await worker.terminate();
  }
}
