import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackfill, type Backfill } from '../../src/app.js';
import type { Logger } from '../../src/core/log.js';
import { plainText } from '../../src/core/reply.js';
import { seededRandom } from '../../src/core/random.js';
import { againButton } from '../../src/knowledge/buttons.js';
import { learnerOf } from '../../src/learning/learner.js';
import type { Knowledge } from '../../src/knowledge/knowledge.js';
import { readUsableKnowledge, skippedLines } from '../../src/knowledge/usable.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { SearchIndex } from '../../src/search/engine.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDatabase } from '../helpers/app.js';
import { kafkaIdeas, writeKnowledge } from '../helpers/knowledge.js';
import { RecordingMessenger } from '../helpers/messenger.js';
import { FakeTime } from '../helpers/time.js';

/**
 * State written while a card was valid (a learner's review card, an open quiz, a daily post that
 * chose it) read by a bot that started without it, because a later change made the card invalid.
 */

const ADDRESS = 'test:T1:C1';
const alice = { id: 'U1', name: 'alice', isManager: true };
const DAY = 24 * 60 * 60 * 1000;

const full = writeKnowledge(kafkaIdeas(4));
const partial = mkdtempSync(join(tmpdir(), 'backfill-kb-partial-'));
cpSync(full, partial, { recursive: true });
const c1 = join(partial, 'kafka', 'c1.md');
writeFileSync(c1, readFileSync(c1, 'utf8').replace('sources:', 'sourcez:'));

function recordingLog(lines: string[]): Logger {
  const keep = (level: string) => (m: string, d?: unknown) => void lines.push(`${level} ${m}${d instanceof Error ? ` ${d.message}` : ''}`);
  return { debug: () => undefined, info: () => undefined, warn: keep('warn'), error: keep('error') };
}

function bot(knowledge: Knowledge, database: string, time: FakeTime, platform: RecordingMessenger, log: Logger): Backfill {
  const app = createBackfill({ knowledge, store: new SqliteStore(database), log, clock: time, timers: time, sweepTimers: time, random: seededRandom(3), answerSeconds: 20 });
  app.attach('test', platform);
  return app;
}

describe('a bot started without a card that its state still names', () => {
  it('loads the others, and the learner card, open quiz and daily post that named it do not break anything', async () => {
    const usable = readUsableKnowledge(partial);
    expect(usable.kb.concepts.map((c) => c.id)).toEqual(['kafka/c2', 'kafka/c3', 'kafka/c4']);
    expect(skippedLines(usable)).toEqual([expect.stringMatching(/^knowledge card kafka\/c1\.md skipped: unknown field "sourcez" \(did you mean "sources"\?\)$/), '1 of 4 cards skipped: fix them and run `npm run backfill -- kb validate`']);

    const time = new FakeTime('2026-06-01T06:00:00Z');
    const database = tempDatabase();
    const platform = new RecordingMessenger();
    const lines: string[] = [];
    const before = bot(openKnowledge(full), database, time, platform, recordingLog(lines));
    await before.resume();
    const say = async (app: Backfill, text: string) => plainText(await app.bot.handleText(ADDRESS, alice, text));
    // A review card for each of c1 and c2, due tomorrow.
    for (const id of ['kafka/c1', 'kafka/c2']) await before.bot.handle({ kind: 'action', address: ADDRESS, user: alice, action: againButton.action(id) });
    expect((await before.store.learningCards(learnerOf(ADDRESS, alice.id))).map((c) => c.conceptId).sort()).toEqual(['kafka/c1', 'kafka/c2']);
    // A quiz over every card, its first question open.
    expect(await say(before, '/quiz kafka 4')).toBeDefined();
    const quiz = (await before.store.runningQuizzes())[0]!;
    expect(await say(before, '/daily subscribe concept 09:00')).toContain('Subscribed');
    await before.close();
    // While no bot runs: at 09:00 today's concept of the day was claimed with c1 chosen, and its send is to be tried again.
    await time.advance(3 * 60 * 60 * 1000 + 30_000);
    const store = new SqliteStore(database);
    expect(await store.claimPost(ADDRESS, 'concept', '2026-06-01', time.now().toISOString())).toBe(true);
    await store.updatePost(ADDRESS, 'concept', '2026-06-01', { status: 'retry', conceptId: 'kafka/c1', nextAttemptAt: time.now().toISOString() });
    await store.close();

    // The next start, on the knowledge base without c1.
    const knowledge = { kb: usable.kb, search: new SearchIndex(usable.kb.concepts, usable.kb.topics, []) };
    const after = bot(knowledge, database, time, platform, recordingLog(lines));
    await after.resume();
    // The quiz runs to its end: each question closes and is revealed, c1's with its id for a title.
    for (let i = 0; i < 12 && (await after.store.runningQuizzes()).length; i++) await time.advance(20_000);
    expect(await after.store.runningQuizzes()).toEqual([]);
    const asked = await after.store.questionsOf(quiz.id);
    expect(asked.map((q) => q.conceptId)).toContain('kafka/c1');
    expect(asked.every((q) => q.closedAt !== null || q.openedAt === null)).toBe(true);
    // The daily post goes out with another card, not c1.
    await after.daily.sweep();
    const post = (await after.store.postsOf(ADDRESS, 'concept')).find((p) => p.localDate === '2026-06-01');
    expect(post?.status, lines.join('\n')).toBe('posted');
    expect(post?.conceptId).not.toBe('kafka/c1');
    expect(platform.sent.some((s) => s.text.includes('Concept of the day') && s.text.includes(knowledge.kb.byId.get(post!.conceptId!)!.title))).toBe(true);
    // A day later: the review asks about c2 only, /progress and /explain answer, and nothing failed.
    await time.advance(DAY);
    const review = await say(after, '/review');
    expect(review, review).toMatch(/Question 1 of \d+,/);
    expect(review).not.toContain('Kafka idea 1');
    expect(await say(after, '/progress')).toContain('Apache Kafka');
    expect(await say(after, '/explain kafka idea 1')).not.toContain('== Kafka idea 1 ==');
    expect(await say(after, '/quiz review')).toBeDefined();
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
    await after.close();
  });
});
