import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { FakeSlack, FAKE_BOT } from '../test/slack/fake-slack.js';
import { seededRandom } from '../src/core/random.js';
import { localTime } from '../src/daily/clock.js';
import { conceptPostKey } from '../src/daily/service.js';
import { dailyQuizId } from '../src/quiz/engine.js';
import { FakeDiscord } from '../test/discord/fake-discord.js';
import { APPLICATION_ID, CHANNEL_ID, GUILD_ID } from '../test/discord/payloads.js';
import { tempDatabase } from '../test/helpers/app.js';
import { freePort } from '../test/helpers/spawn-main.js';
import { BotSlot } from './bots.js';
import { dailySubscribeOptions, DiscordSide, explainOptions, parseQuizKey, quizStartOptions, SlackSide, type DiscordCommandStyle, type Person, type PlatformName, type PostSeen, type Sent } from './platforms.js';
import { analyse, type DailyExpectation, type Click, type SoakRecord } from './report.js';

/**
 * `npm run soak`: mixed traffic for a while against the fake Slack and Discord, with real bot
 * processes (`node dist/main.js`) on one database, killed with SIGKILL at random moments and
 * started again; then every post and answer is checked against the platform and the database.
 */

export interface SoakOptions {
  minutes: number;
  /** PostgreSQL (a schema of its own in this database) instead of a SQLite file. */
  databaseUrl?: string;
  seed: number;
  /** QUIZ_ANSWER_SECONDS of the bot processes. */
  answerSeconds: number;
  /** DAILY_QUIZ_REVEAL_MINUTES of the bot processes. */
  revealMinutes: number;
  dailyChannels: number;
  slackQuizChannels: number;
  players: number;
  print: (line: string) => void;
}

const SIGNING_SECRET = 'soak-signing-secret';
const TOPICS = ['', 'kafka', 'spark', 'airflow', 'hadoop', 'dbt', 'terraform', 'kafka spark'];
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Asia/Kolkata', 'America/Los_Angeles', 'Australia/Sydney', 'America/Sao_Paulo', 'Pacific/Auckland', 'Europe/London'];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const clock = (ms: number) => `${pad(Math.floor(ms / 60_000), 2)}:${pad(Math.floor((ms % 60_000) / 1000), 2)}`;

/** The soak's database: the bots' environment, a reader for the final checks, and its clean-up. */
interface SoakDatabase {
  name: string;
  env: Record<string, string>;
  query<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

async function openDatabase(url: string | undefined): Promise<SoakDatabase> {
  if (!url) {
    const path = tempDatabase();
    let reader: Database.Database | undefined;
    return {
      name: `SQLite file ${path}`,
      env: { SQLITE_PATH: path, DATABASE_URL: '' },
      async query<T>(sql: string) {
        reader ??= new Database(path, { readonly: true, fileMustExist: true });
        return reader.prepare(sql).all() as T[];
      },
      async close() {
        reader?.close();
      },
    };
  }
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const schema = `soak_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const inSchema = new URL(url);
  inSchema.searchParams.set('options', `-c search_path=${schema}`);
  const reader = new pg.Pool({ connectionString: inSchema.toString(), max: 2 });
  const shown = new URL(url);
  shown.password = shown.password ? '***' : '';
  return {
    name: `PostgreSQL ${shown.toString()} (schema ${schema}, dropped at the end)`,
    env: { DATABASE_URL: inSchema.toString() },
    async query<T>(sql: string) {
      return (await reader.query(sql)).rows as T[];
    },
    async close() {
      await reader.end();
      if (!process.env['SOAK_KEEP_DB']) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** Queries people type, from the labelled query sets. */
function explainQueries(): string[] {
  const dir = join(process.cwd(), 'test/search/queries');
  const queries: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const entries = parseYaml(readFileSync(join(dir, file), 'utf8')) as Array<{ q?: string }> | null;
    for (const e of entries ?? []) if (typeof e.q === 'string') queries.push(e.q);
  }
  return queries.length ? queries : ['kafka acks', 'what is an xcom', 'spark shuffle'];
}

/** A quiz channel: its players, and the quizzes its messages show. */
interface QuizChannel {
  platform: PlatformName;
  channel: string;
  address: string;
  players: Person[];
  quizzes: Map<string, { firstSeen: number; lastProgress: number; ended: boolean; stalledReported: boolean }>;
  lastEndAt: number;
  lastStartAt: number;
  /** When its latest question was seen: the next post follows its close. */
  lastQuestionAt: number;
  starts: Sent[];
}

export async function runSoak(o: SoakOptions): Promise<{ passed: boolean }> {
  const random = seededRandom(o.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  const print = o.print;
  const logDir = mkdtempSync(join(tmpdir(), 'backfill-soak-'));
  const db = await openDatabase(o.databaseUrl);
  const fakeSlack = await new FakeSlack({ now: () => Date.now() }).start();
  // The platforms take a moment to answer, as the real ones do; the fakes create the message when
  // the moment is over, so a kill -9 meanwhile leaves a post that went out and was never recorded.
  fakeSlack.slowDown('chat.postMessage', 250).slowDown('chat.update', 100);
  const fakeDiscord = await FakeDiscord.start();
  fakeDiscord.messageDelayMs = 250;
  const windowMs = o.answerSeconds * 1000;
  const record: SoakRecord = { clicks: [], daily: [], quizStarts: [], kills: [], shares: [], explains: [], notes: [] };

  const common = { LOG_LEVEL: 'info', QUIZ_ANSWER_SECONDS: String(o.answerSeconds), DAILY_QUIZ_REVEAL_MINUTES: String(o.revealMinutes), DEFAULT_TIMEZONE: 'UTC', KNOWLEDGE_DIR: '', SLACK_APP_TOKEN: '', SLACK_ADMIN_USERS: '', ...db.env };
  const slackEnv = (port: number) => ({ ...common, SLACK_BOT_TOKEN: 'xoxb-soak', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fakeSlack.apiUrl, PORT: String(port), DISCORD_TOKEN: '', DISCORD_APPLICATION_ID: '' });
  const [portA, portB] = [await freePort(), await freePort()];
  const A = new BotSlot('A', slackEnv(portA!), /Slack started/, logDir);
  const B = new BotSlot('B', slackEnv(portB!), /Slack started/, logDir);
  const D = new BotSlot('D', { ...common, SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', DISCORD_TOKEN: fakeDiscord.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fakeDiscord.apiUrl }, /Discord started/, logDir);
  const slots = [A, B, D];
  const killAll = () => slots.forEach((s) => s.killNow());
  process.once('exit', killAll);

  const slack = new SlackSide(fakeSlack, SIGNING_SECRET, [{ slot: A, port: portA! }, { slot: B, port: portB! }], random);
  const discord = new DiscordSide(fakeDiscord, D);
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const tracked = p.catch((err: unknown) => record.notes.push(`soak: ${err instanceof Error ? err.message : String(err)}`)).finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  let passed = false;
  try {
    print(`Backfill soak: ${o.minutes} min of traffic, seed ${o.seed}`);
    print(`database: ${db.name}`);
    print(`bot processes: A and B (Slack, HTTP mode, ports ${portA} and ${portB}), D (Discord); logs in ${logDir}`);
    print(`QUIZ_ANSWER_SECONDS=${o.answerSeconds}, DAILY_QUIZ_REVEAL_MINUTES=${o.revealMinutes}; kill -9 hits B and D at random moments, A runs throughout (its memory is the leak check)`);
    for (const slot of slots) await slot.start();
    for (const slot of slots) if (!slot.serving) throw new Error(`bot ${slot.name} did not start: ${slot.current?.startError ?? 'unknown'}`);

    // --- people ----------------------------------------------------------------------------------
    const admin: Person = { id: 'USOAKADMIN', name: 'Soak Admin', manager: true };
    fakeSlack.addUser({ id: admin.id, display_name: admin.name, is_admin: true });
    const slackPlayers = (c: number) =>
      Array.from({ length: o.players }, (_, i): Person => {
        const person = { id: `UQ${c}P${pad(i + 1, 2)}`, name: i % 7 === 3 ? `*p${c}.${i + 1}* [x](https://evil.example)` : `Player ${c}.${i + 1}` };
        fakeSlack.addUser({ id: person.id, display_name: person.name });
        return person;
      });
    const readers = Array.from({ length: 12 }, (_, i): Person => {
      const person = { id: `UREADER${pad(i + 1, 2)}`, name: `Reader ${i + 1}` };
      fakeSlack.addUser({ id: person.id, display_name: person.name });
      return person;
    });
    const quizChannels: QuizChannel[] = [];
    for (let c = 1; c <= o.slackQuizChannels; c++) {
      const channel = `CQUIZ${c}`;
      quizChannels.push({ platform: 'slack', channel, address: `slack:${FAKE_BOT.teamId}:${channel}`, players: slackPlayers(c), quizzes: new Map(), lastEndAt: 0, lastStartAt: 0, lastQuestionAt: 0, starts: [] });
    }
    const discordPlayers = Array.from({ length: o.players }, (_, i): Person => ({ id: String(410000000000000000n + BigInt(i + 1)), name: `Dplayer ${i + 1}` }));
    const discordAdmin: Person = { id: '410000000000000999', name: 'Dadmin', manager: true };
    quizChannels.push({ platform: 'discord', channel: CHANNEL_ID, address: `discord:${GUILD_ID}:${CHANNEL_ID}`, players: discordPlayers, quizzes: new Map(), lastEndAt: 0, lastStartAt: 0, lastQuestionAt: 0, starts: [] });

    // --- daily subscriptions, due during the traffic --------------------------------------------
    const setupStart = Date.now();
    const minute = 60_000;
    const firstDue = Math.ceil((setupStart + 75_000) / minute) * minute;
    const lastDue = Math.max(firstDue, Math.floor((setupStart + 0.6 * o.minutes * minute) / minute) * minute);
    const dueMinutes = (lastDue - firstDue) / minute + 1;
    const horizon = setupStart + (o.minutes + 15) * minute;
    // Zones whose local date does not change during the run (a time after local midnight would be due at once for the day before).
    const zones = ZONES.filter((z) => localTime(new Date(setupStart), z).date === localTime(new Date(horizon), z).date);
    const dailyTargets: DailyExpectation[] = [];
    for (let i = 0; i < o.dailyChannels; i++) {
      const dueAt = firstDue + Math.floor((i * dueMinutes) / o.dailyChannels) * minute;
      const zone = zones[i % zones.length] ?? 'UTC';
      const local = localTime(new Date(dueAt), zone);
      const hhmm = `${pad(Math.floor(local.minutes / 60), 2)}:${pad(local.minutes % 60, 2)}`;
      const channel = `CDAILY${pad(i + 1, 3)}`;
      const address = `slack:${FAKE_BOT.teamId}:${channel}`;
      dailyTargets.push({ platform: 'slack', channel, address, zone, time: hhmm, topics: pick(TOPICS), dueAt, localDate: local.date });
    }
    {
      const dueAt = firstDue + Math.floor(dueMinutes / 2) * minute;
      const local = localTime(new Date(dueAt), 'UTC');
      const hhmm = `${pad(Math.floor(local.minutes / 60), 2)}:${pad(local.minutes % 60, 2)}`;
      dailyTargets.push({ platform: 'discord', channel: CHANNEL_ID, address: `discord:${GUILD_ID}:${CHANNEL_ID}`, zone: 'UTC', time: hhmm, topics: 'kafka', dueAt, localDate: local.date });
    }
    for (const t of dailyTargets) {
      discord.learnKey(conceptPostKey(t.address, t.localDate));
      discord.learnKey(`quiz:${dailyQuizId(t.address, t.localDate)}:0`);
    }
    // Discord's /quiz and /daily take the command line as one text option, or (as native
    // subcommands) typed options; the first /daily finds out which.
    let discordStyle: DiscordCommandStyle = 'args';
    const subscribe = async (t: DailyExpectation) => {
      const text = `subscribe both ${t.time} ${t.zone} ${t.topics}`.trim();
      for (let attempt = 0; attempt < 3; attempt++) {
        let reply: string | undefined;
        if (t.platform === 'slack') {
          const sent = await slack.command('subscribe', '/daily', text, admin, t.channel);
          reply = await fakeSlack.waitFor(() => slack.reply(sent), 20_000).catch(() => undefined);
        } else {
          const sent = discord.command('subscribe', 'daily', dailySubscribeOptions(discordStyle, t.time, t.zone, t.topics), discordAdmin);
          const deadline = Date.now() + 20_000;
          while (!(reply = discord.reply(sent)) && Date.now() < deadline) await sleep(100);
          if (reply && !/Subscribed|Updated/.test(reply) && attempt === 0) {
            discordStyle = 'subcommands';
            continue;
          }
        }
        if (reply && /Subscribed|Updated/.test(reply)) {
          t.subscribed = true;
          return;
        }
        record.notes.push(`subscribe ${t.channel}: ${reply ?? 'no reply'}`);
      }
    };
    const queue = [...dailyTargets];
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) await subscribe(t);
    }));
    record.daily = dailyTargets;
    const subscribed = dailyTargets.filter((t) => t.subscribed).length;
    if (discordStyle !== 'args') print('discord: /quiz and /daily as native subcommands');
    print(`daily: ${subscribed} of ${dailyTargets.length} channels subscribed (${o.dailyChannels} Slack, 1 Discord) in ${((Date.now() - setupStart) / 1000).toFixed(1)} s, due ${new Date(firstDue).toISOString().slice(11, 16)}-${new Date(lastDue).toISOString().slice(11, 16)} UTC in ${zones.length} time zones`);
    if (subscribed < dailyTargets.length) throw new Error('not every daily subscription was confirmed');

    // --- traffic ---------------------------------------------------------------------------------
    const t0 = Date.now();
    const trafficEnd = t0 + o.minutes * minute;
    const trafficOn = () => Date.now() < trafficEnd;
    let scanning = true;
    for (const slot of slots) slot.sampleRss();
    const sampler = setInterval(() => slots.forEach((s) => s.sampleRss()), 5_000);

    const channelOf = new Map(quizChannels.map((c) => [`${c.platform}:${c.channel}`, c]));
    const dailyOf = new Map(dailyTargets.map((t) => [`${t.platform}:${t.channel}`, t]));
    const dailyPlayers = readers;

    /** A person clicks an answer button; what came of it is read at the end. */
    const click = (platform: PlatformName, post: PostSeen, quizId: string, position: number, person: Person, choice: number, timing: Click['timing']) => {
      const value = `quiz:${quizId}:${position}:${choice}`;
      const entry: Click = { platform, channel: post.channel, quizId, position, user: person.id, choice, timing, sent: undefined };
      record.clicks.push(entry);
      if (platform === 'slack') track(slack.click('answer', value, person, post.channel, { messageTs: post.messageId }).then((sent) => (entry.sent = sent)));
      else entry.sent = discord.click('answer', value, person, post.messageId);
    };
    const later = (ms: number, work: () => void) => track(sleep(ms).then(work));

    /** Everyone in the channel answers a new question: most once, some twice, some late, some at the deadline. */
    const playQuestion = (channel: QuizChannel, post: PostSeen, quizId: string, position: number) => {
      for (const person of channel.players) {
        const r = random();
        const choice = Math.floor(random() * 4);
        if (r < 0.84) later(between(500, windowMs - 2000), () => click(channel.platform, post, quizId, position, person, choice, 'once'));
        else if (r < 0.92) {
          const first = between(500, windowMs - 3500);
          later(first, () => click(channel.platform, post, quizId, position, person, choice, 'twice'));
          later(first + between(300, 1500), () => click(channel.platform, post, quizId, position, person, (choice + 1) % 4, 'again'));
        } else if (r < 0.96) later(windowMs + between(1500, 3000), () => click(channel.platform, post, quizId, position, person, choice, 'late'));
        else later(windowMs + between(-300, 300), () => click(channel.platform, post, quizId, position, person, choice, 'deadline'));
      }
    };

    const onPost = (post: PostSeen, key: string | undefined) => {
      const parsed = parseQuizKey(key);
      const quizChannel = channelOf.get(`${post.platform}:${post.channel}`);
      if (parsed && quizChannel && parsed.quizId.length !== 16) {
        const quiz = quizChannel.quizzes.get(parsed.quizId) ?? { firstSeen: Date.now(), lastProgress: Date.now(), ended: false, stalledReported: false };
        quizChannel.quizzes.set(parsed.quizId, quiz);
        quiz.lastProgress = Date.now();
        if (parsed.position === 'end') {
          quiz.ended = true;
          quizChannel.lastEndAt = Date.now();
        } else {
          quizChannel.lastQuestionAt = Date.now();
          playQuestion(quizChannel, post, parsed.quizId, parsed.position);
        }
        return;
      }
      const daily = dailyOf.get(`${post.platform}:${post.channel}`);
      if (parsed && parsed.position !== 'end' && parsed.quizId.length === 16 && daily) {
        daily.questionSeenAt ??= Date.now();
        // A few readers answer the quiz of the day, within its first minutes.
        const people = post.platform === 'slack' ? dailyPlayers : discordPlayers;
        for (let i = 0; i < 3; i++) later(between(3000, 60_000), () => click(post.platform, post, parsed.quizId, parsed.position as number, pick(people), Math.floor(random() * 4), 'daily'));
      }
    };

    const scanner = (async () => {
      while (scanning) {
        for (const post of slack.scan()) onPost(post, post.key);
        for (const post of discord.scan()) onPost(post, discord.keyOf(post));
        await sleep(200);
      }
    })();

    /** Starts a quiz whenever the channel has none, sometimes two people at once (through both processes). */
    const quizLoop = async (channel: QuizChannel) => {
      await sleep(between(0, 3000));
      while (trafficOn()) {
        const active = [...channel.quizzes.values()].some((q) => !q.ended);
        const now = Date.now();
        for (const q of channel.quizzes.values()) {
          if (!q.ended && !q.stalledReported && now - q.lastProgress > windowMs + 120_000) {
            q.stalledReported = true;
            record.notes.push(`quiz channel ${channel.channel}: no progress for ${Math.round((now - q.lastProgress) / 1000)} s`);
          }
        }
        if (!active && now - channel.lastEndAt > 1500 && now - channel.lastStartAt > 30_000) {
          channel.lastStartAt = now;
          const topic = pick(TOPICS.slice(0, 7));
          const count = Math.floor(between(3, 6));
          const text = `${topic} ${count}`.trim();
          const starter = pick(channel.players);
          if (channel.platform === 'slack') {
            track(slack.command('quiz', '/quiz', text, starter, channel.channel).then((s) => void record.quizStarts.push(s)));
            if (random() < 0.2) track(slack.command('quiz', '/quiz', text, pick(channel.players), channel.channel).then((s) => void record.quizStarts.push(s)));
          } else {
            record.quizStarts.push(discord.command('quiz', 'quiz', quizStartOptions(discordStyle, topic, count), starter));
            if (random() < 0.2) record.quizStarts.push(discord.command('quiz', 'quiz', quizStartOptions(discordStyle, topic, count), pick(channel.players)));
          }
        }
        await sleep(250);
      }
    };

    /** Cards: /explain from readers, and now and then "Share in channel". */
    const queries = explainQueries();
    const explainLoop = async (platform: PlatformName, everyMs: number) => {
      while (trafficOn()) {
        await sleep(between(everyMs / 2, everyMs * 1.5));
        const query = pick(queries);
        if (platform === 'slack') {
          const channel = `CEXPLAIN${Math.floor(between(1, 4))}`;
          const reader = pick(readers);
          track(
            slack.command('explain', '/explain', query, reader, channel).then(async (sent) => {
              record.explains.push(sent);
              if (random() > 0.15) return;
              const body = await fakeSlack.waitFor(() => slack.replyBody(sent), 10_000).catch(() => undefined);
              const share = json(body).match(/share:[\w-]+\/[\w-]+/)?.[0];
              if (share) record.shares.push(await slack.click('share', share, reader, channel, { ephemeral: true }));
            }),
          );
        } else {
          record.explains.push(discord.command('explain', 'explain', explainOptions(query), pick(discordPlayers)));
        }
      }
    };

    /**
     * kill -9 of B or D, then a restart. The moments are random, and some are aimed where posts go
     * out: just after a minute starts (daily posts come due), or just as a quiz question closes (its
     * reveal and the next question follow).
     */
    const chaos = async () => {
      while (Date.now() < trafficEnd - 20_000) {
        const victim = random() < 0.6 ? B : D;
        const aim = random();
        let when: string;
        if (aim < 0.35) {
          when = 'as a minute starts';
          await sleep(Math.min(between(5_000, 40_000), trafficEnd - Date.now()));
          await sleep(Math.min(Math.ceil(Date.now() / minute) * minute - Date.now() + between(0, 2500), trafficEnd - Date.now()));
        } else if (aim < 0.7) {
          when = 'as a question closes';
          await sleep(between(5_000, 30_000));
          const channel = pick(quizChannels.filter((c) => c.platform === (victim === D ? 'discord' : 'slack')));
          const seen = channel.lastQuestionAt;
          for (let i = 0; i < 150 && channel.lastQuestionAt === seen && trafficOn(); i++) await sleep(100);
          await sleep(channel.lastQuestionAt + windowMs + between(0, 800) - Date.now());
        } else {
          when = 'at a random moment';
          await sleep(Math.min(between(5_000, 45_000), trafficEnd - Date.now()));
        }
        if (!trafficOn()) break;
        if (!victim.serving) continue;
        const at = Date.now();
        await victim.kill9();
        record.kills.push({ slot: victim.name, incarnation: victim.current!.n, at, uptimeMs: at - (victim.current!.readyAt ?? at), when });
        await sleep(between(300, 8000));
        await victim.start();
      }
    };

    /** A process that died by itself is started again, as a supervisor would. */
    let watching = true;
    const watchdog = (async () => {
      while (watching) {
        for (const slot of slots) {
          const c = slot.current;
          if (c?.exit && !c.ending && !slot.isStarting) {
            print(`!! bot ${slot.name} (run ${c.n}) exited by itself: code ${c.exit.code}, signal ${c.exit.signal}; starting it again`);
            await slot.start();
          }
        }
        await sleep(1000);
      }
    })();

    const progress = setInterval(() => {
      const quizzes = quizChannels.reduce((n, c) => n + c.quizzes.size, 0);
      const ended = quizChannels.reduce((n, c) => n + [...c.quizzes.values()].filter((q) => q.ended).length, 0);
      const dailySeen = slack.all().filter((p) => p.key?.startsWith('daily:')).length + discord.all().filter((p) => discord.keyOf(p)?.startsWith('daily:')).length;
      const rss = slots.map((s) => `${s.name} ${s.current?.rss.at(-1) ? Math.round(s.current.rss.at(-1)!.kb / 1024) : '-'} MB`).join(', ');
      print(`[${clock(Date.now() - t0)}] quizzes ${quizzes} seen / ${ended} over, answers clicked ${record.clicks.length}, explains ${record.explains.length}, daily concepts out ${dailySeen}/${dailyTargets.length}, kills ${record.kills.length}, RSS ${rss}`);
    }, 60_000);

    await Promise.all([...quizChannels.map(quizLoop), explainLoop('slack', 700), explainLoop('discord', 6000), chaos()]);

    // --- drain: no new work; what was started runs to its end ------------------------------------
    print(`[${clock(Date.now() - t0)}] traffic over; draining (every bot serving, running quizzes finish, due posts and reveals land)`);
    for (const slot of slots) if (!slot.serving) await slot.start();
    const drainUntil = Date.now() + 4 * minute;
    const revealBy = (t: DailyExpectation) => (t.questionSeenAt ?? t.dueAt) + o.revealMinutes * minute + 30_000;
    const settled = () => {
      const quizzesOver = quizChannels.every((c) => [...c.quizzes.values()].every((q) => q.ended));
      const dailyOut = dailyTargets.every((t) => t.questionSeenAt !== undefined) && slack.all().filter((p) => p.key?.startsWith('daily:')).length + discord.all().filter((p) => discord.keyOf(p)?.startsWith('daily:')).length >= dailyTargets.length;
      const revealsDue = dailyTargets.filter((t) => revealBy(t) < drainUntil + 2 * minute);
      const revealed = revealsDue.every((t) => [...slack.all(), ...discord.all()].some((p) => p.channel === t.channel && (p.platform === 'slack' ? p.key : discord.keyOf(p)) === `quiz:${dailyQuizId(t.address, t.localDate)}:0` && /Answer: [A-D]\./.test(p.text())));
      return quizzesOver && dailyOut && revealed && pending.size === 0;
    };
    const maxDrain = Math.max(drainUntil, ...dailyTargets.map(revealBy).filter((at) => at < drainUntil + 2 * minute));
    while (!settled() && Date.now() < maxDrain) await sleep(1000);
    await sleep(3000); // the last replies through response_url
    await Promise.all([...pending]);
    print(`[${clock(Date.now() - t0)}] drained${settled() ? '' : ' (not everything settled within the drain time)'}`);
    clearInterval(progress);
    clearInterval(sampler);
    for (const slot of slots) slot.sampleRss();
    watching = false;
    await watchdog;
    for (const slot of slots) await slot.stop();
    scanning = false;
    await scanner;

    // --- checks ----------------------------------------------------------------------------------
    const result = await analyse({ o, record, slack, discord, slots, db, t0, trafficEnd });
    for (const line of result.lines) print(line);
    passed = result.passed;
  } finally {
    killAll();
    process.off('exit', killAll);
    await fakeSlack.close();
    await fakeDiscord.close();
    await db.close().catch((err: unknown) => print(`database clean-up failed: ${err instanceof Error ? err.message : String(err)}`));
  }
  return { passed };
}

function json(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value);
}
