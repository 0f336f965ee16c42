import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { App, LogLevel } from '@slack/bolt';
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
/** After a start: bursts like the one the issue measured (500 requests, 100 in flight). */
const BURSTS = 10;
const BURST = 500;
const IN_FLIGHT = 100;
/** Unmeasured bursts the load generator sends to a throwaway bare app before the measured ones. */
const CLIENT_WARM_UP_BURSTS = 2;
/**
 * Fresh bots given the ten bursts. One burst's p95 varies by a third from one burst to the next on
 * this machine, so one start cannot tell a slow first burst from an unlucky one: the first bursts of
 * every start are pooled, and so are the tenths.
 */
const STARTS = 3;
/** The bursts whose slowest is the yardstick of "no slower": the later half, where the bot runs warm. */
const STEADY_FROM = 5;

/** Asks the Slack side (the worker) to do something and waits for its answer. */
async function ask<K extends LoadReply['kind']>(worker: Worker, request: LoadRequest, expected: K): Promise<Extract<LoadReply, { kind: K }>> {
  worker.postMessage(request);
  const [reply] = (await once(worker, 'message')) as [LoadReply];
  if (reply.kind !== expected) throw new Error(`Slack benchmark: ${reply.kind === 'failed' ? reply.error : `unexpected ${reply.kind}`}`);
  return reply as Extract<LoadReply, { kind: K }>;
}

export interface AckFigures {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

type Burst = AckFigures & { allAnsweredMs: number; cpuMs?: number };

function figures(ackMs: number[]): AckFigures {
  const acks = [...ackMs].sort((a, b) => a - b);
  return { p50: percentile(acks, 50), p95: percentile(acks, 95), p99: percentile(acks, 99), max: acks[acks.length - 1]! };
}

export interface SlackFigures {
  backfill: AckFigures & { allAnsweredMs: number; maxRssMB: number };
  bareBolt: AckFigures;
  /** Backfill over the bare app, at p50 and p99. */
  ratio: { p50: number; p99: number };
  afterStart?: {
    /** The first start's bursts, over connections opened beforehand. */
    bursts: Burst[];
    /** Of the first start. */
    firstOverTenthP95: number;
    /** Over the median of the last three bursts (the first start's): one burst's p95 is as noisy as the first's. */
    firstOverLastThreeP95: number;
    /** The bot's CPU time (all its threads) in the first burst over the tenth (the first start's); Linux only. */
    firstOverTenthCpu?: number;
    /** Every start's bursts (the first is `bursts`). */
    starts: Burst[][];
    /** The acks of the first bursts of every start pooled, and of each later burst number likewise. */
    pooled: {
      /** p95 of the pooled acks of each burst number (1st, 2nd, ... 10th). */
      p95: number[];
      firstOverTenthP95: number;
      /** The slowest pooled p95 of bursts STEADY_FROM to 10, over the tenth's: how much steady bursts differ by chance. */
      steadyMaxOverTenthP95: number;
      /** Met when the pooled first burst is no slower, at p95, than the slowest pooled steady burst. */
      met: boolean;
      /** Summed CPU time of the bot in the first bursts over the tenths; Linux only. */
      firstOverTenthCpu?: number;
    };
    /** The control: the same ten bursts to a freshly started bare Bolt app (it only acks), over connections opened first. */
    bareBursts: Burst[];
    bareFirstOverTenthP95: number;
    /** The bare app's slowest of bursts STEADY_FROM to 10 over its tenth: the yardstick the bot is held to, applied to a process nothing warmed. */
    bareSteadyMaxOverTenthP95: number;
    bareFirstOverTenthCpu?: number;
    /** Backfill's first burst over the bare app's first burst, at p95. */
    firstOverBareFirstP95: number;
    /** The first burst to another fresh bot, and to a fresh bare Bolt app, over new connections. */
    newConnections: AckFigures & { allAnsweredMs: number };
    bareNewConnections: AckFigures & { allAnsweredMs: number };
  };
  afterStartFailed?: string;
}

/**
 * Time to ack `/explain` under 200 concurrent, correctly signed requests on loopback: to
 * Backfill (the real Bolt HTTP receiver, commands, search and response_url answers), then to a bare
 * Bolt app that only acks, on the same load in the same run: the floor Bolt itself sets. Then a
 * freshly started `node dist/main.cjs` (what npm start runs) in Slack HTTP mode takes ten bursts of 500 requests with 100
 * in flight over connections opened beforehand, and the first burst is compared with the tenth (and
 * with the median of the last three), by ack latency and, on Linux, by the CPU time the bot spent;
 * and the first burst over new connections goes to another fresh bot and to a fresh bare Bolt app. Slack's side (the requests, the fake
 * Web API and response_url) runs in a worker thread, so the bot's event loop does only the bot's work.
 */
export async function benchSlack(): Promise<{ lines: string[]; figures: SlackFigures }> {
  const worker = new Worker(new URL('./slack-load.js', import.meta.url));
  const app = createBackfill({ knowledge: openKnowledge(join(packageRoot, 'knowledge')), store: new SqliteStore(':memory:'), log: silentLogger });
  let slack: { url?: string; stop(): Promise<void> } | undefined;
  let bare: App | undefined;
  try {
    const { apiUrl } = await ask(worker, { kind: 'start' }, 'started');
    const config = { ...loadConfig({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl, SQLITE_PATH: ':memory:' }), PORT: 0 };
    slack = await startSlack(app, config, silentLogger, { host: '127.0.0.1' });
    const run = (url: string, prefix: string, count: number, extra: Partial<Extract<LoadRequest, { kind: 'run' }>> = {}): LoadRequest => ({
      kind: 'run',
      eventsUrl: `${url}/slack/events`,
      signingSecret: SECRET,
      prefix,
      count,
      queries: QUERIES,
      ...extra,
    });

    // One burst first: JIT-compiled code and open keep-alive connections, as on a running bot.
    await ask(worker, run(slack.url!, 'warmup', CONCURRENT), 'ran');
    const ours = await ask(worker, run(slack.url!, 'bench', CONCURRENT), 'ran');
    const backfill = { ...figures(ours.ackMs), allAnsweredMs: ours.allAnsweredMs, maxRssMB: process.resourceUsage().maxRSS / 1024 };
    await slack.stop();
    slack = undefined;

    // The floor: Bolt's own HTTP receiver and an /explain listener that only acks.
    bare = new App({ token: 'xoxb-bench', signingSecret: SECRET, clientOptions: { slackApiUrl: apiUrl }, deferInitialization: true, convoStore: false, logLevel: LogLevel.ERROR });
    bare.command('/explain', async ({ ack }) => {
      await ack();
    });
    await bare.init();
    const server = (await bare.start({ port: 0, host: '127.0.0.1' })) as Server;
    const bareUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await ask(worker, run(bareUrl, 'bare-warmup', CONCURRENT, { answers: false }), 'ran');
    const floor = figures((await ask(worker, run(bareUrl, 'bare', CONCURRENT, { answers: false }), 'ran')).ackMs);
    const ratio = { p50: backfill.p50 / floor.p50, p99: backfill.p99 / floor.p99 };

    const lines = [
      `Slack: ack of /explain, ${CONCURRENT} concurrent signed requests to the Bolt HTTP receiver on loopback`,
      `  p50 ${ms(backfill.p50)}, p99 ${ms(backfill.p99)}, max ${ms(backfill.max)} (target p99 < ${TARGET_P99_MS} ms: ${backfill.p99 < TARGET_P99_MS ? 'met' : 'MISSED'})`,
      `  all ${CONCURRENT} cards delivered to response_url ${ms(backfill.allAnsweredMs)} after the first request`,
      `  peak memory of the process (maxRSS): ${backfill.maxRssMB.toFixed(0)} MB`,
      `  bare Bolt app (only acks), same load: p50 ${ms(floor.p50)}, p99 ${ms(floor.p99)}, max ${ms(floor.max)}`,
      `  Backfill / bare Bolt: p50 ×${ratio.p50.toFixed(2)}, p99 ×${ratio.p99.toFixed(2)}`,
    ];
    const result: SlackFigures = { backfill, bareBolt: floor, ratio };
    try {
      const after = await burstsAfterStart(worker, apiUrl);
      result.afterStart = after;
      const first = after.bursts[0]!;
      const fresh = after.newConnections;
      const bareFresh = after.bareNewConnections;
      lines.push(
        `Slack after a start (npm start's node dist/main.cjs, Slack HTTP mode): ${BURSTS} bursts of ${BURST} /explain, ${IN_FLIGHT} in flight, over ${IN_FLIGHT} connections opened first (GET /health); the load generator first sent ${CLIENT_WARM_UP_BURSTS} unmeasured bursts to a throwaway bare Bolt app`,
        `  ${STARTS} fresh bots, one after another; the acks of each burst number pooled over them: p95 of the 1st burst ${ms(after.pooled.p95[0]!)}, of the ${BURSTS}th ${ms(after.pooled.p95[BURSTS - 1]!)}: ×${after.pooled.firstOverTenthP95.toFixed(2)}; the slowest of bursts ${STEADY_FROM} to ${BURSTS} ×${after.pooled.steadyMaxOverTenthP95.toFixed(2)} (target: the 1st no slower than the slowest of them: ${after.pooled.met ? 'met' : 'MISSED'})`,
        `    p95 of each burst number, pooled: ${after.pooled.p95.map((p) => p.toFixed(0)).join(', ')} ms${after.pooled.firstOverTenthCpu === undefined ? '' : `; CPU time of the bot (all its threads) in the 1st bursts / the ${BURSTS}th: ×${after.pooled.firstOverTenthCpu.toFixed(2)}`}`,
        ...after.starts.map((bs, i) => `    bot ${i + 1}: p95 of each burst ${bs.map((b) => b.p95.toFixed(0)).join(', ')} ms${bs[0]!.cpuMs === undefined ? '' : `; CPU ${bs.map((b) => b.cpuMs!.toFixed(0)).join(', ')} ms`}`),
        `  the first bot alone: p95 of the 1st burst / the ${BURSTS}th ×${after.firstOverTenthP95.toFixed(2)} (/ the median of its last three ×${after.firstOverLastThreeP95.toFixed(2)})${after.firstOverTenthCpu === undefined ? '' : `, CPU ×${after.firstOverTenthCpu.toFixed(2)}`}; its 1st burst: p50 ${ms(first.p50)}, p95 ${ms(first.p95)}, max ${ms(first.max)}, all answered in ${ms(first.allAnsweredMs)}`,
        `  the same ${BURSTS} bursts to a freshly started bare Bolt app (only acks): p95 of the 1st / the ${BURSTS}th ×${after.bareFirstOverTenthP95.toFixed(2)} (the slowest of bursts ${STEADY_FROM} to ${BURSTS} ×${after.bareSteadyMaxOverTenthP95.toFixed(2)})${after.bareFirstOverTenthCpu === undefined ? '' : `, CPU ×${after.bareFirstOverTenthCpu.toFixed(2)}`}; p95 of each: ${after.bareBursts.map((b) => b.p95.toFixed(0)).join(', ')} ms; the bot's 1st burst / the bare app's 1st: p95 ×${after.firstOverBareFirstP95.toFixed(2)}`,
        `  1st burst over ${IN_FLIGHT} new connections, to another fresh bot: p50 ${ms(fresh.p50)}, p95 ${ms(fresh.p95)}, max ${ms(fresh.max)}; to a fresh bare Bolt app: p50 ${ms(bareFresh.p50)}, p95 ${ms(bareFresh.p95)}, max ${ms(bareFresh.max)} (p95 ×${(fresh.p95 / bareFresh.p95).toFixed(2)})`,
      );
    } catch (err) {
      result.afterStartFailed = (err as Error).message;
      lines.push(`Slack after a start: failed (${result.afterStartFailed})`);
    }
    return { lines, figures: result };
  } finally {
    await slack?.stop();
    await bare?.stop().catch(() => undefined);
    await app.close();
    await ask(worker, { kind: 'stop' }, 'stopped').catch(() => undefined);
    await worker.terminate();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Child {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

/** CPU time a process has used so far, all its threads, in ms (Linux: /proc); undefined elsewhere. */
function cpuTimeMs(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in ticks of 10 ms.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Starts `script` (the bot as `npm start` runs it, or the bare Bolt app) in Slack HTTP mode against the fake, on a free port. */
async function startChild(script: string, apiUrl: string): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_APP_TOKEN: '', SLACK_API_URL: apiUrl, PORT: String(port), SQLITE_PATH: ':memory:', DATABASE_URL: '', DISCORD_TOKEN: '', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening" line within 60 s: ${stderr.slice(-300)}`)), 60_000);
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/listening for POST/.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => reject(new Error(`${script} exited: ${stderr.slice(-300)}`)));
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { base: `http://127.0.0.1:${port}`, pid: child.pid!, stop };
}

/**
 * Fresh processes after a start, once the load generator has warmed up on a throwaway bare app:
 * STARTS bots one after another, each given ten bursts over connections opened beforehand (its own
 * code warming up), then a bare Bolt app likewise (the control); then the first
 * burst over new connections, to a fresh bot and to a fresh bare Bolt app (what opening a hundred
 * connections to a cold process costs anyway).
 */
async function burstsAfterStart(worker: Worker, apiUrl: string): Promise<NonNullable<SlackFigures['afterStart']>> {
  /** A burst's figures, and its acks for pooling. */
  const burst = async (child: Child, prefix: string, answers = true): Promise<{ figures: Burst; ackMs: number[] }> => {
    const cpuBefore = cpuTimeMs(child.pid);
    const r = await ask(worker, { kind: 'run', eventsUrl: `${child.base}/slack/events`, signingSecret: SECRET, prefix, count: BURST, queries: QUERIES, inFlight: IN_FLIGHT, answers }, 'ran');
    const cpuAfter = cpuTimeMs(child.pid);
    return { figures: { ...figures(r.ackMs), allAnsweredMs: r.allAnsweredMs, ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuMs: cpuAfter - cpuBefore } : {}) }, ackMs: r.ackMs };
  };
  const bot = join(packageRoot, 'dist', 'main.cjs');
  const bareBolt = join(packageRoot, 'dist', 'bench', 'bare-bolt.js');
  /** Ten bursts to a freshly started `script`, over connections opened first. */
  const tenBursts = async (script: string, prefix: string, answers: boolean) => {
    const child = await startChild(script, apiUrl);
    const bursts: Array<{ figures: Burst; ackMs: number[] }> = [];
    try {
      await ask(worker, { kind: 'disconnect' }, 'disconnected');
      await ask(worker, { kind: 'connect', url: `${child.base}/health`, count: IN_FLIGHT }, 'connected');
      for (let b = 0; b < BURSTS; b++) bursts.push(await burst(child, `${prefix}-${b}`, answers));
    } finally {
      await child.stop();
    }
    return bursts;
  };
  // The load generator warms up too: two unmeasured bursts to a throwaway bare app first, so that
  // the bot's first burst is not slowed by the client's own cold code.
  const client = await startChild(bareBolt, apiUrl);
  try {
    for (let b = 0; b < CLIENT_WARM_UP_BURSTS; b++) await burst(client, `client-warm-up-${b}`, false);
  } finally {
    await client.stop();
  }
  const starts: Array<Array<{ figures: Burst; ackMs: number[] }>> = [];
  for (let s = 0; s < STARTS; s++) starts.push(await tenBursts(bot, `after-start-${s}`, true));
  const bareBursts = (await tenBursts(bareBolt, 'bare-after-start', false)).map((b) => b.figures);
  const freshBurst = async (script: string, prefix: string, answers: boolean) => {
    await ask(worker, { kind: 'disconnect' }, 'disconnected');
    const child = await startChild(script, apiUrl);
    try {
      return (await burst(child, prefix, answers)).figures;
    } finally {
      await child.stop();
    }
  };
  const newConnections = await freshBurst(bot, 'new-connections', true);
  const bareNewConnections = await freshBurst(bareBolt, 'bare-new-connections', false);
  await ask(worker, { kind: 'disconnect' }, 'disconnected');

  const bursts = starts[0]!.map((b) => b.figures);
  const first = bursts[0]!;
  const tenth = bursts[bursts.length - 1]!;
  const lastThree = percentile(bursts.slice(-3).map((b) => b.p95).sort((a, b) => a - b), 50);
  const bareFirst = bareBursts[0]!;
  const bareTenth = bareBursts[bareBursts.length - 1]!;
  const pooledP95 = Array.from({ length: BURSTS }, (_, b) => figures(starts.flatMap((bs) => bs[b]!.ackMs)).p95);
  const steadyMax = Math.max(...pooledP95.slice(STEADY_FROM - 1));
  const cpuOf = (b: number) => starts.reduce<number | undefined>((sum, bs) => (sum === undefined || bs[b]!.figures.cpuMs === undefined ? undefined : sum + bs[b]!.figures.cpuMs!), 0);
  const [firstCpu, tenthCpu] = [cpuOf(0), cpuOf(BURSTS - 1)];
  return {
    bursts,
    firstOverTenthP95: first.p95 / tenth.p95,
    firstOverLastThreeP95: first.p95 / lastThree,
    ...(first.cpuMs !== undefined && tenth.cpuMs ? { firstOverTenthCpu: first.cpuMs / tenth.cpuMs } : {}),
    starts: starts.map((bs) => bs.map((b) => b.figures)),
    pooled: {
      p95: pooledP95,
      firstOverTenthP95: pooledP95[0]! / pooledP95[BURSTS - 1]!,
      steadyMaxOverTenthP95: steadyMax / pooledP95[BURSTS - 1]!,
      met: pooledP95[0]! <= steadyMax,
      ...(firstCpu !== undefined && tenthCpu ? { firstOverTenthCpu: firstCpu / tenthCpu } : {}),
    },
    bareBursts,
    bareFirstOverTenthP95: bareFirst.p95 / bareTenth.p95,
    bareSteadyMaxOverTenthP95: Math.max(...bareBursts.slice(STEADY_FROM - 1).map((b) => b.p95)) / bareTenth.p95,
    firstOverBareFirstP95: first.p95 / bareFirst.p95,
    ...(bareFirst.cpuMs !== undefined && bareTenth.cpuMs ? { bareFirstOverTenthCpu: bareFirst.cpuMs / bareTenth.cpuMs } : {}),
    newConnections,
    bareNewConnections,
  };
}
