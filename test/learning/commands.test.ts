import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.js';
import { Outbox } from '../../src/core/outbox.js';
import { learnerOf } from '../../src/learning/learner.js';
import { reminderSender } from '../../src/learning/reminders.js';
import { MASTERED_STABILITY_DAYS } from '../../src/learning/schedule.js';
import type { SqliteStore } from '../../src/store/sqlite.js';
import { tempDatabase, testApp } from '../helpers/app.js';
import { consoleChat } from '../helpers/console.js';
import { REAL_KNOWLEDGE_DIR, writeKnowledge } from '../helpers/knowledge.js';
import { FakeTime } from '../helpers/time.js';
import { DATABASES, DAY, dropSchemas, KNOWLEDGE_DIR } from './fixtures.js';

afterAll(dropSchemas);

const ME = learnerOf('console:local', 'console:you');

/** The number of the button labelled `label` in what the console printed. */
function button(printed: string, label: string | RegExp): string {
  const source = typeof label === 'string' ? label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : label.source;
  const found = new RegExp(`\\[(\\d+)\\] (?:${source})`).exec(printed);
  if (!found) throw new Error(`no button ${String(label)} in:\n${printed}`);
  return found[1]!;
}

/** The letter of the right option of the practice question on screen. */
async function rightLetter(app: ReturnType<typeof testApp>['app'], printed: string): Promise<string> {
  const prompt = /== Review · [^=]+ ==\n\n(.+)\n/.exec(printed)?.[1];
  expect(prompt, printed).toBeDefined();
  // The latest practice question of this person is the one on screen (prompts can repeat).
  const row = (app.store as SqliteStore).db.prepare('SELECT correct FROM learning_practice WHERE user_id = ? AND prompt = ? ORDER BY rowid DESC LIMIT 1').get('console:you', prompt) as { correct: number };
  return 'ABCD'[row.correct]!;
}

function setup(time = new FakeTime('2026-03-02T09:00:00Z'), database = tempDatabase()) {
  const { app } = testApp(KNOWLEDGE_DIR, { time, database });
  return { app, time, database, chat: consoleChat(app) };
}

describe('/help', () => {
  it('lists /review, /progress and /report, and /help progress states when a concept counts as mastered', async () => {
    const { app, chat } = setup();
    const help = await chat.say('/help');
    expect(help).toContain('/review [count] · remind <HH:MM|off> [zone]: Practise what is due for you');
    expect(help).toContain('/progress [topics] · channel · forget: Your progress, privately');
    expect(help).toContain('/report <concept> <wrong|unclear|outdated> [note]');
    const progress = await chat.say('/help progress');
    expect(progress).toContain(`reaches ${MASTERED_STABILITY_DAYS} days`);
    expect(progress).toContain('Who: channel managers');
    await app.close();
  });
});

describe('/review in the console', () => {
  it('asks about each due concept, grades the answer, shows the card after a miss, and moves the schedule', async () => {
    const { app, time, chat } = setup();
    expect(await chat.say('/review')).toContain('Nothing to review yet');
    // Two concepts met on cards, both to see again tomorrow.
    for (const n of [1, 2]) {
      const card = await chat.say(`/explain kafka concept ${n}`);
      expect(await chat.say(button(card, 'Show me again'))).toMatch(/kafka concept \d comes back in your reviews tomorrow at 09:00 \(Tue 3 Mar, UTC\)/);
    }
    await time.advance(DAY);
    const before = (await app.store.learningCards(ME)).map((c) => [c.conceptId, c.due]);
    const first = await chat.say('/review');
    expect(first).toContain('Question 1 of 2, only for you');
    const right = await rightLetter(app, first);
    const wrong = right === 'A' ? 'B' : 'A';
    const missed = await chat.say(wrong);
    expect(missed).toContain('Not quite');
    // Said once: the message's title does not say it again.
    expect(missed.match(/Not quite/g)).toHaveLength(1);
    expect(missed).toContain(`the answer is ${right}.`);
    // The card after a miss: its summary and body, without "I knew this".
    expect(missed).toMatch(/A summary of idea number \d in kafka/);
    expect(missed).not.toContain('I knew this');
    expect(missed).toContain('Next review of kafka concept');
    // The same answer button again changes nothing.
    const next = button(missed, /Next question \(1 due\)/);
    const second = await chat.say(next);
    expect(second).toContain('Question 2 of 2');
    const done = await chat.say(await rightLetter(app, second));
    expect(done).toMatch(/Right: [A-D]\./);
    expect(done).toContain('All done: nothing else is due.');

    const after = await app.store.learningCards(ME);
    expect(after).toHaveLength(2);
    for (const card of after) {
      expect(Date.parse(card.due)).toBeGreaterThan(time.now().getTime());
      expect(card.due).not.toBe(before.find(([id]) => id === card.conceptId)?.[1]);
    }
    const reviews = (await app.store.learningReviews(ME)).filter((r) => r.source === 'practice');
    expect(reviews.map((r) => r.correct).sort()).toEqual([false, true]);
    expect(await chat.say('/review')).toMatch(/Nothing to review right now\. Your next review: tomorrow at \d\d:\d\d \(Wed 4 Mar, [\w/]+\)/);
    await app.close();
  });

  it('stops at the count asked for, and offers to keep going', async () => {
    const { app, time, chat } = setup();
    for (const n of [1, 2, 3]) await chat.say(button(await chat.say(`/explain kafka concept ${n}`), 'Show me again'));
    await time.advance(DAY);
    const q = await chat.say('/review 1');
    expect(q).toContain('Question 1 of 1,');
    const end = await chat.say(await rightLetter(app, q));
    expect(end).toContain('That makes 1 for now; 2 more are due.');
    expect(await chat.say(button(end, 'Keep going'))).toContain('Question 1 of 1,');
    expect(await chat.say('/review 0')).toContain('The number of questions must be a whole number from 1 to 50');
    await app.close();
  });

  it('heads a right answer’s feedback as the review, and names the next question’s topic above it', async () => {
    const { app, time, chat } = setup();
    for (const n of [1, 2]) await chat.say(button(await chat.say(`/explain kafka concept ${n}`), 'Show me again'));
    await time.advance(DAY);
    const next = await chat.say(await rightLetter(app, await chat.say('/review')));
    expect(next).toMatch(/^== Review ==\n\nRight: [A-D]\./);
    expect(next).toMatch(/\nApache Kafka\n\n.+\n[\s\S]*Question 2 of 2,/);
    await app.close();
  });
});

describe('card buttons', () => {
  it('"I knew this" moves a concept out, "Show me again" brings it back tomorrow, once per card message', async () => {
    const { app, chat } = setup();
    const card = await chat.say('/explain kafka concept 3');
    expect(card).toContain('[3] I knew this   [4] Show me again   [5] Report a problem');
    const knew = await chat.say(button(card, 'I knew this'));
    expect(knew).toMatch(/Noted that you knew kafka concept 3: it comes back in your reviews in \d+ days/);
    const [first] = await app.store.learningCards(ME);
    expect(first).toMatchObject({ conceptId: 'kafka/c3', reps: 1 });
    expect(Date.parse(first!.due) - app.clock.now().getTime()).toBeGreaterThan(3 * DAY);
    // The same card message again: nothing changes.
    expect(await chat.say(button(card, 'I knew this'))).toContain('Already noted for this card');
    expect((await app.store.learningCards(ME))[0]?.reps).toBe(1);
    // The other button of the same card message: the first press stands.
    expect(await chat.say(button(card, 'Show me again'))).toContain('Already noted for this card');
    expect((await app.store.learningCard(ME, 'kafka/c3'))?.due).toBe(first!.due);
    // A new card message of the concept takes a new press.
    const later = await chat.say('/explain kafka concept 3');
    const again = await chat.say(button(later, 'Show me again'));
    expect(again).toContain('kafka concept 3 comes back in your reviews tomorrow');
    expect((await app.store.learningCard(ME, 'kafka/c3'))?.due).toBe('2026-03-03T09:00:00.000Z');
    await app.close();
  });
});

describe('a concept named like its topic', () => {
  it('is labelled once on /review suggestions and in /progress, not "Apache Kafka · Apache Kafka" nor "Kafka consumer lag · Apache Kafka"', async () => {
    const quiz = (n: number) => [{ question: `Which holds for ${n}?`, answer: `right ${n}`, wrong: [`wrong a${n}`, `wrong b${n}`, `wrong c${n}`], why: `Because ${n}.` }];
    const dir = writeKnowledge([
      { id: 'kafka/overview', title: 'Apache Kafka', quiz: quiz(1) },
      { id: 'kafka/acks', title: 'Producer acks', quiz: quiz(2) },
      { id: 'kafka/lag', title: 'Kafka consumer lag', quiz: quiz(3) },
    ]);
    const { app } = testApp(dir, { time: new FakeTime('2026-03-02T09:00:00Z'), database: tempDatabase() });
    const chat = consoleChat(app);
    const review = await chat.say('/review');
    expect(review).toMatch(/\[\d+\] Apache Kafka(\n| {2})/);
    expect(review).toMatch(/\[\d+\] Producer acks · Apache Kafka(\n| {2})/);
    expect(review).not.toContain('Apache Kafka · Apache Kafka');
    expect(review).toMatch(/\[\d+\] Kafka consumer lag(\n| {2})/);
    await chat.say(button(await chat.say('/explain apache kafka'), 'Show me again'));
    const progress = await chat.say('/progress');
    expect(progress).toMatch(/\n- Apache Kafka: just reviewed\n/);
    await app.close();
  });
});

describe('/progress', () => {
  it('shows per topic bars, accuracy, streak, weakest concepts and next reviews, privately', async () => {
    const { app, time, chat } = setup();
    expect(await chat.say('/progress')).toContain('Nothing yet.');
    await chat.say(button(await chat.say('/explain kafka concept 1'), 'Show me again'));
    await chat.say(button(await chat.say('/explain spark concept 1'), 'I knew this'));
    await time.advance(DAY);
    const q = await chat.say('/review');
    await chat.say(await rightLetter(app, q));
    const out = await chat.say('/progress');
    expect(out).toContain('== Your progress ==');
    expect(out).toContain('Day streak: 1 day · best 1 day');
    expect(out).toContain('Accuracy: 100% of 1 answer');
    expect(out).toContain('Concepts: 2 seen · 0 mastered · 2 learning');
    expect(out).toMatch(/Apache Kafka\n▒{1,3}░+  0 mastered · 1 learning · 5 not seen · 100% right/);
    expect(out).toMatch(/Apache Spark\n▒{1,3}░+  0 mastered · 1 learning · 3 not seen\n/);
    expect(out).toContain('█ mastered ▒ learning ░ not seen yet');
    expect(out).toContain('- kafka concept 1: 1 of 1 answer right · just reviewed\n');
    // Known without a miss ("I knew this"): not among the weakest.
    expect(out.split('Weakest')[1]!.split('Next reviews')[0]).not.toContain('spark concept 1');
    expect(out).toMatch(/Next reviews\n- (kafka|spark) concept 1: in \d+ days \(/);
    expect(out).toContain(`reaches ${MASTERED_STABILITY_DAYS} days`);
    const only = await chat.say('/progress spark');
    expect(only).toContain('Apache Spark');
    expect(only).not.toContain('Apache Kafka');
    // Topics not met yet are not "nothing yet" at all: the rest may still be there.
    await chat.say('/as newcomer');
    const unmet = await chat.say('/progress spark');
    expect(unmet).toContain('Nothing yet in the topics you named');
    expect(unmet).toContain('`/progress` alone shows everything you have met');
    await chat.say('/as me');
    // Every reply of /progress is private.
    const reply = await app.bot.handle({ kind: 'command', address: 'console:local', user: { id: 'console:you', name: 'you', isManager: true }, command: 'progress', args: '' });
    expect(reply.ephemeral).toBe(true);
    await app.close();
  });

  it('does not call a concept just answered wrong 100% recalled: it says it was just reviewed, and estimates recall later', async () => {
    const { app, time, chat } = setup();
    await chat.say(button(await chat.say('/explain kafka concept 1'), 'Show me again'));
    await time.advance(DAY);
    const q = await chat.say('/review');
    const right = await rightLetter(app, q);
    await chat.say('ABCD'.replace(right, '')[0]!);
    const now = await chat.say('/progress');
    expect(now).toContain('- kafka concept 1: 0 of 1 answer right · just reviewed\n');
    expect(now).not.toMatch(/100%[^\n]*0 of 1|0 of 1[^\n]*100%/);
    await time.advance(3 * 3_600_000);
    expect(await chat.say('/progress')).toMatch(/- kafka concept 1: 0 of 1 answer right · recall estimate now (\d|[1-9]\d)%\n/);
    await app.close();
  });

  it('channel: refused to people who are not managers, for managers participation and the weakest concepts', async () => {
    const { app, time, chat } = setup();
    // Two people miss the same question of a channel quiz.
    await chat.say('/quiz kafka 1');
    await chat.say('A');
    await chat.say('/as alice');
    await chat.say('B');
    await time.advance(20_000);
    const member = { id: 'console:bob', name: 'bob', isManager: false };
    const refused = await app.bot.handle({ kind: 'command', address: 'console:local', user: member, command: 'progress', args: 'channel' });
    expect(refused.blocks[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Only channel managers can see a channel’s progress.') });
    const lead = await chat.say('/progress channel');
    expect(lead).toContain('People who answered: 2');
    expect(lead).toContain('Quizzes: 1');
    expect(lead).toContain('last 30 days');
    await app.close();
  });
});

describe('/review remind', () => {
  it('turns reminders on at a time and zone, sends one to the DM when something is due, and off again', async () => {
    const { app, time, chat } = setup();
    await chat.say(button(await chat.say('/explain kafka concept 1'), 'Show me again'));
    expect(await chat.say('/review remind 25:00')).toContain('25:00');
    expect(await chat.say('/review remind 10:30 CET')).toContain('Reminders on: a direct message at 10:30 (Europe/Paris, which “CET” stands for here)');
    // From now on its times are told in that zone, and say so.
    expect(await chat.say('/progress')).toMatch(/kafka concept 1: tomorrow at 10:00 \(Tue 3 Mar, Europe\/Paris\)/);
    const outbox = new Outbox({ store: app.store, messenger: app.messengers, clock: time, timers: time, log: silentLogger });
    const sender = reminderSender(outbox, app.messengers);
    await time.advanceTo('2026-03-03T09:29:00Z');
    expect(await app.learning.sweepReminders(sender)).toBe(0);
    await time.advanceTo('2026-03-03T09:30:00Z');
    expect(await app.learning.sweepReminders(sender)).toBe(1);
    const dm = chat.read();
    expect(dm).toContain('== 1 concept to review ==');
    expect(dm).toContain('- kafka concept 1\n');
    // The reminder's button starts the review.
    expect(await chat.say(button(dm, 'Start a review'))).toContain('Question 1 of 1,');
    expect(await app.learning.sweepReminders(sender)).toBe(0);
    expect(await chat.say('/review remind off')).toContain('Reminders off.');
    expect(await chat.say('/review remind off')).toContain('You had no reminders.');
    await app.close();
  });
});

describe('Report a problem', () => {
  it('takes the kind and a note whose words a search would find (the README examples, on the real cards)', async () => {
    const { app } = testApp(REAL_KNOWLEDGE_DIR);
    const chat = consoleChat(app);
    expect(await chat.say('/report kafka/acks wrong the default changed')).toContain('Thanks: reported Producer acks as wrong.');
    expect(await chat.say('/report kafka/acks#1 unclear')).toContain('Thanks: reported a quiz question about Producer acks as unclear.');
    expect(await chat.say('/report kafka/acks outdated acks=all is the default since Kafka 3.0')).toContain('Thanks: reported Producer acks as outdated.');
    expect(await chat.say('/report wrong kafka/acks')).toContain('Thanks: reported Producer acks as wrong.');
    // A name where the id goes is still answered with the id.
    expect(await chat.say('/report acks wrong')).toContain('“acks” is not a concept id. Did you mean kafka/acks (Producer acks)?');
    // The kind left out is named.
    expect(await chat.say('/report kafka/acks')).toContain('Add the kind of problem (wrong, unclear, outdated). Usage:');
    expect((await app.store.reports()).map((r) => `${r.conceptId} ${r.questionKey ?? '-'} ${r.kind} ${r.note ?? '-'}`).sort()).toEqual([
      'kafka/acks - outdated acks=all is the default since Kafka 3.0',
      'kafka/acks - wrong -',
      'kafka/acks - wrong the default changed',
      'kafka/acks kafka/acks#1 unclear -',
    ]);
    await app.close();
  });

  it('on a card and on a reveal: the kind by button, a note by /report; kb reports lists them for authors', async () => {
    const { app, time, chat, database } = setup();
    const card = await chat.say('/explain kafka concept 2');
    const chooser = await chat.say(button(card, 'Report a problem'));
    expect(chooser).toContain('What is the problem with the card kafka concept 2?');
    expect(chooser).toContain('/report kafka/c2 unclear <your note>');
    expect(await chat.say(button(chooser, 'It is out of date'))).toContain('Thanks: reported kafka concept 2 as outdated.');
    // A second press of the same choices (a double click) is the same report, not another.
    expect(await chat.say(button(chooser, 'It is out of date'))).toContain('Already reported: kafka concept 2 is on the authors\' list once. To say more, use `/report kafka/c2 outdated <your note>`.');
    await chat.say('/quiz spark 1');
    await chat.say('A');
    await time.advance(20_000);
    const reveal = chat.read();
    expect(reveal).toContain('Report a problem');
    const onQuestion = await chat.say(button(reveal, 'Report a problem'));
    expect(onQuestion).toMatch(/What is the problem with this question about spark concept \d\?/);
    expect(await chat.say(button(onQuestion, 'It is wrong'))).toMatch(/reported a quiz question about spark concept \d as wrong/);
    expect(await chat.say('/report kafka/c2 unclear the <!channel> example is   confusing')).toContain('reported kafka concept 2 as unclear');
    expect(await chat.say('/report kafka/c99 wrong')).toContain('There is no concept “kafka/c99”. Did you mean “kafka/c1”?');
    // A card's name instead of its id: the id of the card it names.
    // Its words up to the kind are the name: "kafka concept 2", not "kafka" alone.
    expect(await chat.say('/report kafka concept 2 wrong')).toContain('“kafka concept 2” is not a concept id. Did you mean kafka/c2 (kafka concept 2)?');
    expect(await chat.say('/report kafka/c2')).toContain('Usage: `/report <concept> <wrong|unclear|outdated> [note]`');
    // A kind misspelt (before a note or alone) is named, with the kinds and the closest one; nothing is stored.
    const misspelt = await chat.say('/report kafka/c2 wrnog the example is old');
    expect(misspelt).toContain('“wrnog” is not the kind of problem (wrong, unclear, outdated). Did you mean “wrong”?');
    expect(misspelt).toContain('Usage: `/report <concept> <wrong|unclear|outdated> [note]`');
    expect(await chat.say('/report kafka/c2 unclaer')).toContain('“unclaer” is not the kind of problem (wrong, unclear, outdated). Did you mean “unclear”?');
    // A note longer than the authors' limit is refused with its length, not cut without a word.
    const long = await chat.say(`/report kafka/c2 unclear ${'the example is confusing '.repeat(30)}`);
    expect(long).toContain('The note has 749 characters: keep it to 500 (249 fewer) and send it again.');
    // A question the card does not have is refused, with the ones it has.
    expect(await chat.say('/report kafka/c2#99 wrong')).toMatch(/There is no question “kafka\/c2#99”: kafka\/c2 has #0( and #which \(“what does this describe\?”\))?\. To report the card itself, give kafka\/c2 alone\./);
    await app.close();

    const cli = (args: string[]) => spawnSync(process.execPath, ['dist/cli/main.js', ...args], { env: { ...process.env, KNOWLEDGE_DIR, SQLITE_PATH: database, DATABASE_URL: '' }, encoding: 'utf8' });
    const json = JSON.parse(cli(['kb', 'reports', '--json']).stdout);
    expect(json.days).toBeNull();
    expect(json.concepts[0]).toMatchObject({
      conceptId: 'kafka/c2',
      title: 'kafka concept 2',
      count: 2,
      kinds: { wrong: 0, unclear: 1, outdated: 1 },
      reports: [
        { kind: 'unclear', questionKey: null, note: 'the <!channel> example is confusing', platform: 'console' },
        { kind: 'outdated', questionKey: null, note: null, platform: 'console' },
      ],
    });
    expect(json.concepts[1]).toMatchObject({ count: 1, kinds: { wrong: 1 }, reports: [{ kind: 'wrong', questionKey: expect.stringMatching(/^spark\/c\d#(\d|which)$/) }] });
    // No user id or name in what authors see.
    expect(JSON.stringify(json)).not.toContain('you');
    const text = cli(['kb', 'reports']).stdout;
    expect(text).toContain('Problems readers reported so far, most reported first:');
    expect(text).toMatch(/ {3}2 {2}kafka\/c2 {2}kafka concept 2 {2}\(unclear 1, outdated 1; last 2026-03-02; knowledge\/kafka\/c2\.md\)/);
    expect(text).toContain('unclear   card: "the <!channel> example is confusing"');
    expect(cli(['kb', 'reports', '--days', '0']).stderr).toContain('--days takes a whole number from 1 to 3650');
    expect(cli(['kb', 'reports', '--today', '2026-01-01']).stderr).toContain('--today is not an option of "backfill kb reports"');
    const none = spawnSync(process.execPath, ['dist/cli/main.js', 'kb', 'reports'], { env: { ...process.env, KNOWLEDGE_DIR, SQLITE_PATH: `${tempDatabase()}.none`, DATABASE_URL: '' }, encoding: 'utf8' });
    expect(none.stdout).toMatch(/^No database at .*\.none yet: nobody has reported a problem so far\./);
  });
});

// The command path on an app's SQLite file; the store's deletion itself runs on both databases in forget.test.ts.
describe('/progress forget', () => {
  it('shows what is kept, and after the confirm button no row of that person is left, everyone else’s untouched', async () => {
    const db = DATABASES[0]!.fresh();
    const { app, time, chat } = setup(new FakeTime('2026-03-02T09:00:00Z'), db.path);
    // Everything a person can leave behind: a quiz answer and a quiz started, card buttons, practice, a reminder sent.
    await chat.say('/quiz kafka 1');
    await chat.say('B');
    await chat.say('/as alice');
    await chat.say('A');
    await chat.say('/as you');
    await time.advance(20_000);
    await chat.say(button(await chat.say('/explain kafka concept 4'), 'Show me again'));
    await chat.say('/review remind 09:30 UTC');
    await time.advanceTo('2026-03-03T09:30:00Z');
    await app.learning.sweepReminders(reminderSender(new Outbox({ store: app.store, messenger: app.messengers, clock: time, timers: time, log: silentLogger }), app.messengers));
    const q = await chat.say('/review');
    await chat.say(await rightLetter(app, q));
    chat.read();
    const before = await db.find('console:you');
    for (const table of ['answers.user_id', 'learning_cards.user_id', 'learning_reviews.user_id', 'learning_practice.user_id', 'learning_people.user_id', 'learning_reminders.user_id', 'outbox.post_key', 'quizzes.started_by']) {
      expect(before[table], table).toBeGreaterThan(0);
    }
    const prompt = await chat.say('/progress forget');
    expect(prompt).toContain('== What Backfill keeps about you ==');
    expect(prompt).toContain('1 × quiz answers (yours, in every channel)');
    expect(prompt).toContain('1 × reminders sent');
    expect(prompt).toContain('1 × quizzes you started (kept for the channel, your name removed)');
    // Someone else pressing it deletes nothing.
    expect(prompt).toContain('[1] Delete all of it');
    await chat.say('/as alice');
    expect(await chat.say('1')).toContain('This button was made for someone else: nothing was deleted.');
    await chat.say('/as you');
    const standings = await chat.say('/leaderboard');
    expect(standings).toContain('alice');
    const deleted = await chat.say('/progress forget');
    // Typed after other lines, a number presses the buttons of the answer to the last one (none here), not the delete button.
    await chat.say('/leaderboard');
    expect(await chat.say('1')).toContain('There are no buttons to press right now.');
    expect(await db.find('console:you')).not.toEqual({});
    const done = await chat.say(button(await chat.say('/progress forget'), 'Delete all of it'));
    expect(done).toContain('Backfill keeps nothing else under your id.');
    // What stays for the channel is said as kept, not as deleted.
    expect(done).toContain('Deleted, or kept without your name or id where it says so:\n- ');
    expect(done).toContain('1 × quiz answers (yours, in every channel)');
    expect(done).toContain('1 × quizzes you started (kept for the channel, your name removed)');
    void deleted;
    // alice played that quiz with someone: her points stay on the leaderboard.
    const after = await chat.say('/leaderboard');
    expect(after).toContain('alice');
    expect(after).not.toContain('you:');
    await app.close();
    expect(await db.find('console:you')).toEqual({});
    expect((await db.find('console:alice'))['answers.user_id']).toBe(1);
  });
});
