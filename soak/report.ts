import { conceptPostKey } from '../src/daily/service.js';
import { dailyQuizId } from '../src/quiz/engine.js';
import { logEvents, type BotSlot, type Incarnation } from './bots.js';
import type { DiscordSide, PlatformName, PostSeen, RequestKind, Sent, SlackSide } from './platforms.js';
import type { SoakOptions } from './soak.js';

/** A daily subscription the soak made, and when its posts are due. */
export interface DailyExpectation {
  platform: PlatformName;
  channel: string;
  address: string;
  zone: string;
  /** HH:MM local. */
  time: string;
  topics: string;
  dueAt: number;
  localDate: string;
  subscribed?: boolean;
  questionSeenAt?: number;
}

/** One click on an answer button. */
export interface Click {
  platform: PlatformName;
  channel: string;
  quizId: string;
  position: number;
  user: string;
  choice: number;
  /** once: the only click; twice/again: a first click and a second one with another answer; late: after the deadline; deadline: within 0.3 s of it; daily: the quiz of the day. */
  timing: 'once' | 'twice' | 'again' | 'late' | 'deadline' | 'daily';
  sent: Sent | undefined;
}

export interface SoakRecord {
  clicks: Click[];
  daily: DailyExpectation[];
  quizStarts: Sent[];
  kills: Array<{ slot: string; incarnation: number; at: number; uptimeMs: number; when: string }>;
  shares: Sent[];
  explains: Sent[];
  notes: string[];
}

interface Database {
  query<T>(sql: string): Promise<T[]>;
}

interface QuizRow {
  id: string;
  kind: 'quiz' | 'daily';
  address: string;
  total: number;
  current: number;
  state: string;
  end_reason: string | null;
}
interface QuestionRow {
  quiz_id: string;
  position: number;
  message_id: string | null;
  opened_at: string | null;
  deadline_at: string | null;
  closed_at: string | null;
}
interface AnswerRow {
  quiz_id: string;
  position: number;
  user_id: string;
  choice: number;
  answered_at: string;
}
interface OutboxRow {
  post_key: string;
  address: string;
  state: string;
  message_id: string | null;
  attempts: number;
  error: string | null;
}
interface PostRow {
  address: string;
  kind: string;
  local_date: string;
  status: string;
  attempts: number;
  error: string | null;
}

const KINDS = ['quiz question', 'quiz standings', 'daily concept', 'daily quiz'] as const;
type Kind = (typeof KINDS)[number];

const n = (value: number) => value.toLocaleString('en-US');
const mb = (kb: number | undefined) => (kb === undefined ? '-' : `${(kb / 1024).toFixed(0)} MB`);
const col = (text: string | number, width: number) => String(text).padStart(width);
const platformOf = (address: string): PlatformName => (address.startsWith('discord:') ? 'discord' : 'slack');
const REVEALED = /Answer: [A-D]\./;
const SHOWN_COUNT = /(\d+) \((\d+) right\)/;

function counter<K>(): { add(key: K, by?: number): void; entries(): Array<[K, number]>; get(key: K): number } {
  const map = new Map<K, number>();
  return {
    add: (key, by = 1) => void map.set(key, (map.get(key) ?? 0) + by),
    entries: () => [...map.entries()].sort((a, b) => b[1] - a[1]),
    get: (key) => map.get(key) ?? 0,
  };
}

export interface AnalyseInput {
  o: SoakOptions;
  record: SoakRecord;
  slack: SlackSide;
  discord: DiscordSide;
  slots: BotSlot[];
  db: Database;
  t0: number;
  trafficEnd: number;
}

/** Every post and answer checked against the platforms and the database; the report's lines and the verdict. */
export async function analyse({ o, record, slack, discord, slots, db, t0 }: AnalyseInput): Promise<{ lines: string[]; passed: boolean }> {
  const lines: string[] = [];
  const out = (line = '') => lines.push(line);
  const failures: string[] = [];

  const quizzes = await db.query<QuizRow>('SELECT id, kind, address, total, current, state, end_reason FROM quizzes');
  const questions = await db.query<QuestionRow>('SELECT quiz_id, position, message_id, opened_at, deadline_at, closed_at FROM quiz_questions');
  const answers = await db.query<AnswerRow>('SELECT quiz_id, position, user_id, choice, answered_at FROM answers');
  const outbox = await db.query<OutboxRow>('SELECT post_key, address, state, message_id, attempts, error FROM outbox');
  const dailyPosts = await db.query<PostRow>('SELECT address, kind, local_date, status, attempts, error FROM daily_posts');
  const quizById = new Map(quizzes.map((q) => [q.id, q]));

  // Discord posts carry a nonce: the hash of their key. Every key the database knows of names them.
  for (const q of quizzes) {
    for (let p = 0; p < Number(q.total); p++) discord.learnKey(`quiz:${q.id}:${p}`);
    discord.learnKey(`quiz:${q.id}:end`);
  }
  for (const row of outbox) discord.learnKey(row.post_key);

  const posts: Array<PostSeen & { keyNow?: string }> = [...slack.all().map((p) => ({ ...p, text: p.text, keyNow: p.key })), ...discord.all().map((p) => ({ ...p, text: p.text, keyNow: discord.keyOf(p) }))];
  const byKey = new Map<string, Array<PostSeen & { keyNow?: string }>>();
  for (const p of posts) if (p.keyNow) byKey.set(p.keyNow, [...(byKey.get(p.keyNow) ?? []), p]);

  const kindOf = (key: string): Kind | undefined => {
    if (key.startsWith('daily:concept:')) return 'daily concept';
    const m = /^quiz:([a-z0-9]+):(\d+|end)$/.exec(key);
    if (!m) return undefined;
    if (m[2] === 'end') return 'quiz standings';
    const kind = quizById.get(m[1]!)?.kind ?? (m[1]!.length === 16 ? 'daily' : 'quiz');
    return kind === 'daily' ? 'daily quiz' : 'quiz question';
  };

  // --- what should be out there ------------------------------------------------------------------
  const expected = new Map<string, { kind: Kind; platform: PlatformName; why?: string }>();
  // Every subscription comes due during the traffic or the drain, which waits for its posts.
  for (const t of record.daily) {
    if (!t.subscribed) continue;
    expected.set(conceptPostKey(t.address, t.localDate), { kind: 'daily concept', platform: t.platform });
    expected.set(`quiz:${dailyQuizId(t.address, t.localDate)}:0`, { kind: 'daily quiz', platform: t.platform });
  }
  const endedEarly = counter<string>();
  for (const q of quizzes) {
    if (q.kind !== 'quiz') continue;
    const platform = platformOf(q.address);
    const last = Math.min(Number(q.current), Number(q.total) - 1);
    for (let p = 0; p <= last; p++) expected.set(`quiz:${q.id}:${p}`, { kind: 'quiz question', platform, why: q.end_reason ?? undefined });
    expected.set(`quiz:${q.id}:end`, { kind: 'quiz standings', platform, why: q.end_reason ?? (q.state === 'running' ? 'still running at the end' : undefined) });
    if (q.end_reason) endedEarly.add(`${platform}: ${q.end_reason.replace(/Stopped by .*/, 'Stopped by someone.').replace(/question \d+/, 'question N')}`);
  }

  // --- posts: expected vs seen, duplicates ---------------------------------------------------------
  const table = new Map<string, { expected: number; seen: number; missing: number; duplicates: number }>();
  const row = (kind: string, platform: PlatformName) => {
    const k = `${kind}|${platform}`;
    let r = table.get(k);
    if (!r) table.set(k, (r = { expected: 0, seen: 0, missing: 0, duplicates: 0 }));
    return r;
  };
  const missing: string[] = [];
  for (const [key, e] of expected) {
    const r = row(e.kind, e.platform);
    r.expected++;
    const seen = byKey.get(key) ?? [];
    if (seen.length === 0) {
      r.missing++;
      const ob = outbox.find((x) => x.post_key === key);
      missing.push(`${e.platform} ${key}${e.why ? ` (quiz: ${e.why})` : ''}${ob ? ` (outbox: ${ob.state}${ob.error ? `, ${ob.error}` : ''})` : ' (never attempted)'}`);
    }
  }
  const unexpected: string[] = [];
  const duplicates: string[] = [];
  for (const [key, seen] of byKey) {
    const kind = kindOf(key) ?? 'other keyed post';
    const r = row(kind, seen[0]!.platform);
    r.seen++;
    if (seen.length > 1) {
      r.duplicates += seen.length - 1;
      duplicates.push(`${seen[0]!.platform} ${key}: ${seen.length} messages (${seen.map((p) => p.messageId).join(', ')})`);
    }
    if (!expected.has(key)) unexpected.push(`${seen[0]!.platform} ${key}`);
  }
  // Content duplicates a key would not show: each daily channel has exactly one concept and one quiz of the day.
  const perChannel = new Map<string, PostSeen[]>();
  for (const p of posts) perChannel.set(`${p.platform}:${p.channel}`, [...(perChannel.get(`${p.platform}:${p.channel}`) ?? []), p]);
  for (const t of record.daily) {
    if (t.platform !== 'slack') continue;
    const seen = perChannel.get(`slack:${t.channel}`) ?? [];
    if (seen.length > 2) duplicates.push(`slack ${t.channel}: ${seen.length} messages in a daily channel (${seen.map((p) => p.title).join(' | ')})`);
  }
  const discordOfTheDay = (perChannel.get(`discord:${record.daily.find((t) => t.platform === 'discord')?.channel}`) ?? []).filter((p) => /Quiz of the day/.test(p.title) || /Concept of the day/.test(p.text()));
  if (discordOfTheDay.length > 2) duplicates.push(`discord: ${discordOfTheDay.length} posts "of the day" in one channel`);
  const unkeyed = posts.filter((p) => !p.keyNow && !p.channel.startsWith('CEXPLAIN'));
  const shared = posts.filter((p) => !p.keyNow && p.channel.startsWith('CEXPLAIN'));

  out('');
  out('=== posts: expected vs seen ====================================================');
  out(`${'kind'.padEnd(16)}${'platform'.padEnd(10)}${col('expected', 9)}${col('seen', 7)}${col('missing', 9)}${col('duplicates', 12)}`);
  let totalDuplicates = 0;
  let totalMissing = 0;
  for (const kind of [...KINDS, 'other keyed post']) {
    for (const platform of ['slack', 'discord'] as const) {
      const r = table.get(`${kind}|${platform}`);
      if (!r) continue;
      totalDuplicates += r.duplicates;
      totalMissing += r.missing;
      out(`${kind.padEnd(16)}${platform.padEnd(10)}${col(n(r.expected), 9)}${col(n(r.seen), 7)}${col(n(r.missing), 9)}${col(n(r.duplicates), 12)}`);
    }
  }
  // A shared card is the click's answer: a message the bot posts, or an in_channel reply through the click's response_url.
  const sharesAcked = record.shares.filter((s) => s.status === 200).length;
  const sharedReplies = record.shares.map((s) => (s.responseId ? slack.fake.responsesTo(s.responseId).filter((r) => r.body['response_type'] === 'in_channel').length : 0));
  const sharedCount = shared.length + sharedReplies.reduce((a, b) => a + b, 0);
  const doubledReplies = sharedReplies.filter((c) => c > 1).length;
  const extraShares = Math.max(0, sharedCount - sharesAcked, doubledReplies);
  out(`${'shared card'.padEnd(16)}${'slack'.padEnd(10)}${col(`≤${n(sharesAcked)}`, 9)}${col(n(sharedCount), 7)}${col('-', 9)}${col(n(extraShares), 12)}   (a click's answer, not an outbox post: a kill can lose it)`);
  if (extraShares) duplicates.push(`${sharedCount} shared cards for ${sharesAcked} acknowledged Share clicks (${doubledReplies} clicks answered in the channel more than once)`);
  totalDuplicates += extraShares;
  out(`unkeyed bot posts in quiz or daily channels: ${unkeyed.length}`);
  out(`posts out there that nothing expected: ${unexpected.length}${unexpected.length ? `: ${unexpected.slice(0, 10).join('; ')}` : ''}`);
  for (const d of duplicates.slice(0, 20)) out(`  DUPLICATE ${d}`);
  for (const m of missing.slice(0, 20)) out(`  MISSING ${m}`);
  if (missing.length > 20) out(`  ... and ${missing.length - 20} more missing`);
  out(`quizzes: ${quizzes.filter((q) => q.kind === 'quiz').length} in-channel (${quizzes.filter((q) => q.kind === 'quiz' && q.state === 'running').length} still running), ${quizzes.filter((q) => q.kind === 'daily').length} quizzes of the day`);
  for (const [why, count] of endedEarly.entries()) out(`  ended early ${count}x: ${why}`);
  const postStates = counter<string>();
  for (const p of dailyPosts) postStates.add(`${p.kind} ${p.status}${p.error ? ` (${p.error})` : ''}`);
  out(`daily posts in the database: ${postStates.entries().map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}; retried: ${dailyPosts.filter((p) => Number(p.attempts) > 1).length}`);
  if (duplicates.length) failures.push(`${totalDuplicates} duplicate post(s)`);
  if (totalMissing) failures.push(`${totalMissing} expected post(s) missing`);
  if (unkeyed.length) failures.push(`${unkeyed.length} unkeyed bot post(s) in quiz or daily channels`);

  // --- the outbox agrees with the platforms --------------------------------------------------------
  const outboxStates = counter<string>();
  const mismatches: string[] = [];
  for (const r of outbox) {
    outboxStates.add(r.state);
    if (r.state !== 'sent') continue;
    const seen = byKey.get(r.post_key) ?? [];
    if (!seen.some((p) => p.messageId === r.message_id)) mismatches.push(`${r.post_key}: recorded ${r.message_id}, channel shows ${seen.map((p) => p.messageId).join(', ') || 'nothing'}`);
  }
  const open = outbox.filter((r) => r.state === 'sending' || r.state === 'unknown');
  out(`outbox: ${outboxStates.entries().map(([k, v]) => `${n(v)} ${k}`).join(', ')}; taken over or retried (attempts > 1): ${outbox.filter((r) => Number(r.attempts) > 1).length}; record ≠ channel: ${mismatches.length}`);
  out(`  settled after an interruption: ${slack.fake.callsOf('conversations.history').length} Slack history look-ups; ${discord.fake.calls.filter((c) => c.method === 'POST' && /^\/channels\/\d+\/messages$/.test(c.path)).length - discord.fake.created.length} Discord posts dropped by their nonce`);
  for (const r of open.slice(0, 10)) out(`  OPEN ${r.post_key}: ${r.state}${r.error ? ` (${r.error})` : ''}`);
  for (const m of mismatches.slice(0, 10)) out(`  MISMATCH ${m}`);
  if (mismatches.length) failures.push(`${mismatches.length} outbox record(s) disagree with the channel`);
  if (open.length) failures.push(`${open.length} outbox record(s) left sending or unknown`);

  // --- reveals -------------------------------------------------------------------------------------
  const answersTo = new Map<string, AnswerRow[]>();
  for (const a of answers) answersTo.set(`${a.quiz_id}:${a.position}`, [...(answersTo.get(`${a.quiz_id}:${a.position}`) ?? []), a]);
  const stoppedAt = Date.now();
  let revealsDue = 0;
  const unrevealed: string[] = [];
  const miscounted: string[] = [];
  const unclosed: string[] = [];
  for (const q of questions) {
    const key = `quiz:${q.quiz_id}:${q.position}`;
    if (!q.closed_at) {
      if (q.deadline_at && Date.parse(q.deadline_at) < stoppedAt - 60_000) unclosed.push(`${key} (deadline ${q.deadline_at})`);
      continue;
    }
    const seen = byKey.get(key)?.[0];
    if (!q.message_id || !seen) continue;
    revealsDue++;
    const text = seen.text();
    if (!REVEALED.test(text)) {
      unrevealed.push(key);
      continue;
    }
    const shown = SHOWN_COUNT.exec(text);
    const stored = answersTo.get(`${q.quiz_id}:${q.position}`)?.length ?? 0;
    if (shown && Number(shown[1]) !== stored) miscounted.push(`${key}: the reveal shows ${shown[1]} answers, the database holds ${stored}`);
  }
  out(`reveals: ${n(revealsDue)} closed questions, ${unrevealed.length} not revealed in the channel, ${miscounted.length} revealed with another answer count than the database; ${unclosed.length} past their deadline but not closed`);
  for (const u of unrevealed.slice(0, 10)) out(`  UNREVEALED ${u}`);
  for (const m of miscounted.slice(0, 10)) out(`  MISCOUNTED ${m}`);
  for (const u of unclosed.slice(0, 10)) out(`  NOT CLOSED ${u}`);
  if (unrevealed.length) failures.push(`${unrevealed.length} closed question(s) never revealed`);
  if (miscounted.length) failures.push(`${miscounted.length} reveal(s) disagree with the database`);
  if (unclosed.length) failures.push(`${unclosed.length} question(s) past their deadline but not closed`);

  // --- answers: sent vs recorded -------------------------------------------------------------------
  const replyOf = (sent: Sent | undefined) => (sent ? (sent.platform === 'slack' ? slack.reply(sent) : discord.reply(sent)) : undefined);
  const reached = (sent: Sent | undefined) => Boolean(sent && (sent.platform === 'slack' ? sent.status === 200 : sent.delivered));
  const stored = new Map(answers.map((a) => [`${a.quiz_id}:${a.position}:${a.user_id}`, a]));
  const outcomes = counter<string>();
  const lost: string[] = [];
  const wrongAlready: string[] = [];
  const closedWhileOpen: string[] = [];
  const questionAt = new Map(questions.map((q) => [`${q.quiz_id}:${q.position}`, q]));
  const clickedBy = new Map<string, Array<{ click: Click; reply: string | undefined }>>();
  for (const c of record.clicks) {
    const reply = replyOf(c.sent);
    const k = `${c.quizId}:${c.position}:${c.user}`;
    clickedBy.set(k, [...(clickedBy.get(k) ?? []), { click: c, reply }]);
    const row = stored.get(k);
    const locked = reply && /Locked in: ([A-D])\./.exec(reply);
    const already = reply && /already answered( ([A-D]))?/.exec(reply);
    if (!reply && !reached(c.sent)) outcomes.add('did not reach a bot (killed, or down)');
    else if (locked) {
      outcomes.add('"Locked in"');
      const letter = 'ABCD'.indexOf(locked[1]!);
      if (!row || Number(row.choice) !== letter) lost.push(`${c.platform} ${k}: "Locked in: ${locked[1]}", database ${row ? `holds ${'ABCD'[Number(row.choice)]}` : 'has nothing'}`);
    } else if (already) {
      outcomes.add('"You already answered"');
      if (!row) lost.push(`${c.platform} ${k}: "already answered", database has nothing`);
      else if (already[2] && 'ABCD'.indexOf(already[2]) !== Number(row.choice)) wrongAlready.push(`${k}: told ${already[2]}, database ${'ABCD'[Number(row.choice)]}`);
    } else if (reply && /has closed/.test(reply)) {
      const q = questionAt.get(`${c.quizId}:${c.position}`);
      const at = c.sent!.at;
      const timing =
        c.timing === 'late' || c.timing === 'deadline'
          ? 'clicked late or at the deadline'
          : !q?.opened_at || at < Date.parse(q.opened_at)
            ? 'clicked before the database had the question open (its post was still being recorded, or settled after a kill)'
            : q.deadline_at && at >= Date.parse(q.deadline_at) - 50
              ? 'clicked in time by the player, after the deadline by the bot (the question reached the player late)'
              : 'CLICKED WHILE OPEN by the database';
      outcomes.add(`"closed": ${timing}`);
      if (timing.startsWith('CLICKED')) closedWhileOpen.push(`${c.platform} ${k} at ${new Date(at).toISOString()}, open ${q?.opened_at} to ${q?.deadline_at}`);
    }
    else if (reply) outcomes.add(`other reply: ${reply.slice(0, 60)}`);
    else outcomes.add('reached a bot, no reply (killed while answering)');
  }
  let phantom = 0;
  let unconfirmed = 0;
  for (const [k, a] of stored) {
    const clicks = clickedBy.get(k);
    if (!clicks) {
      phantom++;
      continue;
    }
    if (!clicks.some((c) => c.reply && /Locked in|already answered/.test(c.reply))) unconfirmed++;
    void a;
  }
  const soakQuizIds = new Set(record.clicks.map((c) => c.quizId));
  const acked = record.clicks.filter((c) => reached(c.sent)).length;
  out('');
  out('=== answers: sent vs recorded ==================================================');
  out(`clicks sent ${n(record.clicks.length)} (${n(record.clicks.filter((c) => c.timing === 'daily').length)} on quizzes of the day); reached a bot ${n(acked)}`);
  for (const [what, count] of outcomes.entries()) out(`  ${col(n(count), 7)}  ${what}`);
  out(`database: ${n(answers.filter((a) => soakQuizIds.has(a.quiz_id)).length)} answers recorded; every "Locked in" recorded with its choice: ${lost.length === 0 ? 'yes' : 'NO'} (${lost.length} lost)`);
  out(`  ${n(unconfirmed)} recorded whose player got no confirmation (the process died after the write); ${phantom} recorded that nobody sent; ${wrongAlready.length} "already answered X" naming another choice than recorded`);
  for (const l of lost.slice(0, 20)) out(`  LOST ${l}`);
  for (const w of wrongAlready.slice(0, 5)) out(`  WRONG ${w}`);
  for (const w of closedWhileOpen.slice(0, 10)) out(`  REFUSED WHILE OPEN ${w}`);
  if (lost.length) failures.push(`${lost.length} acknowledged answer(s) not in the database`);
  if (phantom) failures.push(`${phantom} answer(s) in the database that nobody sent`);
  if (closedWhileOpen.length) failures.push(`${closedWhileOpen.length} answer(s) refused as closed while the question was open`);

  // --- requests without an answer, errors ----------------------------------------------------------
  const incarnation = (sent: Sent): Incarnation | undefined => slots.find((s) => s.name === sent.slot)?.incarnations.find((i) => i.n === sent.incarnation);
  const killedSoon = (sent: Sent) => {
    const inc = incarnation(sent);
    return Boolean(inc?.exit && inc.exit.at - sent.at < 15_000);
  };
  const noReply = counter<string>();
  const transport = counter<string>();
  const allSent: Array<{ kind: RequestKind; sent: Sent }> = [
    ...record.explains.map((s) => ({ kind: 'explain' as const, sent: s })),
    ...record.quizStarts.map((s) => ({ kind: 'quiz' as const, sent: s })),
    ...record.clicks.filter((c) => c.sent).map((c) => ({ kind: 'answer' as const, sent: c.sent! })),
  ];
  for (const { kind, sent } of allSent) {
    if (sent.platform === 'slack' && sent.status !== 200) {
      transport.add(`slack ${kind}: ${sent.transportError ?? `HTTP ${sent.status}`}${killedSoon(sent) || (incarnation(sent)?.exit && (incarnation(sent)!.exit!.at <= sent.at + 15_000)) ? ' (bot killed)' : ''}`);
      continue;
    }
    if (sent.platform === 'discord' && !sent.delivered) {
      transport.add(`discord ${kind}: dispatched while the bot was down`);
      continue;
    }
    if (!replyOf(sent)) noReply.add(`${sent.platform} ${kind}: ${killedSoon(sent) ? 'its bot was killed within 15 s' : 'its bot kept running'}`);
  }
  const events = logEvents(slots);
  const byKind = counter<string>();
  for (const e of events) byKind.add(`${e.level} ${e.kind}`);
  const guardErrors = events.filter((e) => /unexpected error/.test(e.message));
  const crashes = slots.flatMap((s) => s.crashes);
  const noReplyLive = noReply.entries().filter(([k]) => k.endsWith('kept running')).reduce((s, [, v]) => s + v, 0);

  out('');
  out('=== errors ======================================================================');
  const whens = counter<string>();
  for (const k of record.kills) whens.add(k.when);
  out(`kill -9: ${record.kills.length} (${slots.map((s) => `${s.name} ${record.kills.filter((k) => k.slot === s.name).length}`).join(', ')}; ${whens.entries().map(([w, c]) => `${c} ${w}`).join(', ')}); bots that exited by themselves: ${crashes.length}; "unexpected error" in the logs: ${guardErrors.length}`);
  for (const c of crashes) out(`  CRASH ${c.slot} run ${c.n}: code ${c.exit?.code}, signal ${c.exit?.signal}; last lines: ${c.proc.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  out('requests that got no HTTP answer or were not delivered:');
  for (const [what, count] of transport.entries()) out(`  ${col(n(count), 6)}  ${what}`);
  if (!transport.entries().length) out('       0');
  out('requests acknowledged but never answered:');
  for (const [what, count] of noReply.entries()) out(`  ${col(n(count), 6)}  ${what}`);
  if (!noReply.entries().length) out('       0');
  out(`bot log lines at WARN or ERROR, by kind (${n(events.length)} in all):`);
  for (const [what, count] of byKind.entries().slice(0, 30)) out(`  ${col(n(count), 6)}  ${what}`);
  if (byKind.entries().length > 30) out(`  ... ${byKind.entries().length - 30} more kinds`);
  for (const note of record.notes.slice(0, 20)) out(`  soak: ${note}`);
  if (crashes.length) failures.push(`${crashes.length} bot process(es) exited by themselves`);
  if (noReplyLive) failures.push(`${noReplyLive} request(s) acknowledged by a running bot and never answered`);

  // --- memory ----------------------------------------------------------------------------------------
  out('');
  out('=== memory (RSS) ================================================================');
  for (const slot of slots) {
    const runs = slot.incarnations.filter((i) => i.rss.length);
    const first = runs[0]?.rss[0];
    const last = runs.at(-1)?.rss.at(-1);
    const peak = Math.max(0, ...runs.flatMap((i) => i.rss.map((r) => r.kb)));
    const longest = runs.reduce<Incarnation | undefined>((best, i) => ((i.rss.at(-1)!.at - i.rss[0]!.at) > (best ? best.rss.at(-1)!.at - best.rss[0]!.at : -1) ? i : best), undefined);
    const span = longest ? ` ; longest run (${Math.round((longest.rss.at(-1)!.at - longest.rss[0]!.at) / 60_000)} min): ${mb(longest.rss[0]!.kb)} → ${mb(longest.rss.at(-1)!.kb)}` : '';
    out(`bot ${slot.name}: ${slot.incarnations.length} run(s); start ${mb(first?.kb)} (at ${first ? `${Math.round((first.at - t0) / 1000)} s` : '-'}), end ${mb(last?.kb)}, peak ${mb(peak)}${span}`);
  }

  out('');
  out(`traffic ${o.minutes} min, seed ${o.seed}; ${n(record.explains.length)} explains, ${n(record.quizStarts.length)} quiz starts, ${n(record.clicks.length)} answer clicks, ${record.daily.length} daily subscriptions, ${record.kills.length} kill -9`);
  const passed = failures.length === 0;
  out(passed ? `PASS: no duplicate, no lost answer, no missing post, no crash` : `FAIL: ${failures.join('; ')}`);
  return { lines, passed };
}
