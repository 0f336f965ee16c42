import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/core/incoming.js';
import { silentLogger } from '../../src/core/log.js';
import { plainText } from '../../src/core/reply.js';
import { catalogOf } from '../../src/knowledge/catalog.js';
import { SettingsService } from '../../src/settings/service.js';
import { limitTopics } from '../../src/settings/topics.js';
import { quizMeButton } from '../../src/learning/buttons.js';
import { testApp } from '../helpers/app.js';
import { consoleChat } from '../helpers/console.js';
import { REAL_KNOWLEDGE_DIR, writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';
import { RecordingMessenger } from '../helpers/messenger.js';
import { FakeTime } from '../helpers/time.js';

const concept = (id: string): ConceptFixture => ({
  id,
  title: `Title of ${id}`,
  summary: `What ${id} is about, in one sentence for the card.`,
  quiz: [{ question: `A question about ${id}?`, answer: `answer ${id}`, wrong: [`no ${id} 1`, `no ${id} 2`, `no ${id} 3`], why: 'Because.' }],
});
const dir = writeKnowledge(['kafka/a', 'kafka/b', 'kafka/c', 'spark/x', 'spark/y', 'spark/z'].map(concept));

const manager: User = { id: 'U1', name: 'mia', isManager: true };
const member: User = { id: 'U2', name: 'max', isManager: false };
/** A member who holds role R1 (a Discord role, a Slack user group) but is no manager on the platform. */
const lead: User = { id: 'U3', name: 'lea', isManager: false, roles: ['R0', 'R1'] };

const T1 = 'test:T1:C1';
const T2 = 'test:T2:C1';

const apps: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (apps.length) await apps.pop()!.close();
});

function setup(knowledgeDir = dir, time = new FakeTime('2026-06-01T06:00:00Z')) {
  const t = testApp(knowledgeDir, { time, answerSeconds: 20 });
  const messenger = new RecordingMessenger();
  t.app.messengers.register('test', messenger);
  apps.push(t.app);
  const say = async (text: string, user = manager, address = T1) => plainText(await t.app.bot.handleText(address, user, text));
  return { ...t, messenger, say };
}

describe('/settings: shows, sets and resets, for managers', () => {
  it('is refused to people who are not managers, whatever the subcommand', async () => {
    const { say } = setup();
    for (const line of ['/settings', '/settings show', '/settings set answer-time 30s', '/settings reset all']) {
      expect(await say(line, member), line).toContain('Only channel managers can see and change the settings.');
    }
    expect(await say('/settings show')).not.toContain('30s');
  });

  it('shows every setting with its value and where it comes from', async () => {
    const { say } = setup();
    const shown = await say('/settings');
    expect(shown).toContain('Answer time: 20s (QUIZ_ANSWER_SECONDS) · the default');
    expect(shown).toContain('Default time zone: UTC (DEFAULT_TIMEZONE) · the default');
    expect(shown).toContain('Managers: the platform’s managers only · the default');
    expect(shown).toContain('Allowed topics: all topics · the default');
    expect(shown).toContain('still answer about every topic');
    expect(await say('/settings set answer-time 45s')).toBe('Answer time here is now 45s. `/settings reset answer-time` goes back to the default.');
    expect(await say('/settings show')).toContain('Answer time: 45s · set here on 2026-06-01');
  });

  it('reads each value, and refuses a bad one in one line that names it and suggests the fix', async () => {
    const { say } = setup();
    expect(await say('/settings set answr-time 30s')).toMatch(/^Unknown setting “answr-time”\. Did you mean “answer-time”\? Settings: answer-time, timezone, managers and topics\./);
    expect(await say('/settings set colour blue')).toMatch(/^Unknown setting “colour”\. Settings: /);
    expect(await say('/settings set answer-time 2s')).toMatch(/^The answer time must be from 5s to 10m, such as 30s \(got “2s”\)\./);
    expect(await say('/settings set answer-time soon')).toContain('“soon” is not a duration: give seconds or minutes, e.g. 30s, 90s or 2m');
    expect(await say('/settings set answer-time 90')).toContain('Answer time here is now 1m30s.');
    expect(await say('/settings set timezone berlin')).toBe('“berlin” is not a time zone: did you mean Europe/Berlin?');
    expect(await say('/settings set zone Mars/Olympus')).toContain('“Mars/Olympus” is not a time zone I know');
    expect(await say('/settings set zone CET')).toMatch(/^Default time zone here is now Europe\/\w+\. \(“CET” is Europe\/\w+ here\.\)/);
    expect(await say('/settings set topics kafak')).toBe('Unknown topic “kafak”. Did you mean “kafka”?');
    expect(await say('/settings set topics mongodb')).toContain('Unknown topic “mongodb”. Topics: kafka, spark');
    expect(await say('/settings set topics kafka,spark')).toContain('Allowed topics here are now Apache Kafka, Apache Spark.');
    expect(await say('/settings set managers <b>')).toBe('“<b>” is not a group id.');
    expect(await say('/settings set managers')).toContain('Give a value: `/settings set managers S0604QSJC`.');
    expect(await say('/settings set')).toContain('Usage: `/settings set <setting> [value]`');
    expect(await say('/settings frobnicate')).toContain('“frobnicate” is not something `/settings` does');
    const shown = await say('/settings');
    expect(shown).toContain('Answer time: 1m30s');
    expect(shown).toContain('Allowed topics: Apache Kafka, Apache Spark');
  });

  it('takes a Slack user group or a Discord role as each platform writes it', async () => {
    const { say } = setup();
    const slack = (line: string) => say(line, manager, 'slack:T9:C1');
    const discord = (line: string) => say(line, manager, 'discord:123456789012345678:1');
    expect(await slack('/settings set managers @devs')).toContain('“@devs” is not a Slack user group id. It looks like S0604QSJC');
    expect(await slack('/settings set managers <!subteam^S0604QSJC|@devs>')).toContain('Managers here are now members of the user group `S0604QSJC`');
    expect(await discord('/settings set managers 12345')).toContain('“12345” is not a Discord role. Mention the role (@Role), or give its id');
    expect(await discord('/settings set managers <@&223456789012345678>')).toContain('Managers here are now members of the role `223456789012345678`');
    expect(await say('/settings set managers R1', manager, 'console:local')).toBe('At the console everyone at the terminal is a manager: there is no group to choose.');
  });

  it('resets one setting or all of them to the defaults', async () => {
    const { say } = setup();
    await say('/settings set answer-time 30s');
    await say('/settings set timezone Asia/Tokyo');
    expect(await say('/settings reset answer-time')).toBe('Answer time is back to the default: 20s (QUIZ_ANSWER_SECONDS).');
    expect(await say('/settings reset answer-time')).toBe('Answer time was not set here; it is the default: 20s (QUIZ_ANSWER_SECONDS).');
    expect(await say('/settings reset tz')).toBe('Default time zone is back to the default: UTC (DEFAULT_TIMEZONE).');
    await say('/settings set topics kafka');
    expect(await say('/settings reset topics')).toBe('Allowed topics are back to the default: all topics.');
    expect(await say('/settings reset topics')).toBe('Allowed topics were not set here; they are the default: all topics.');
    await say('/settings set topics kafka');
    await say('/settings set managers R1');
    expect(await say('/settings reset all')).toBe('Reset 2 settings: the defaults apply here again.');
    expect(await say('/settings reset all')).toBe('Nothing was set here: the defaults apply.');
    expect(await say('/settings reset everything')).toMatch(/^Unknown setting “everything”\..* Settings: answer-time, timezone, managers, topics and all\./);
  });

  it('keeps the settings of each workspace to itself', async () => {
    const { say } = setup();
    await say('/settings set answer-time 30s', manager, T1);
    await say('/settings set topics spark', manager, T1);
    expect(await say('/settings', manager, 'test:T1:C2')).toContain('Answer time: 30s');
    const other = await say('/settings', manager, T2);
    expect(other).toContain('Answer time: 20s (QUIZ_ANSWER_SECONDS)');
    expect(other).toContain('Allowed topics: all topics');
    await say('/settings reset all', manager, T2);
    expect(await say('/settings', manager, T1)).toContain('Allowed topics: Apache Spark');
  });

  it('keeps none for a Discord DM, whose address every DM shares', async () => {
    const { say } = setup();
    expect(await say('/settings set answer-time 30s', manager, 'discord:@me:42')).toBe('Settings belong to a server: use `/settings` in one of its channels, not in a direct message.');
    expect(await say('/settings reset all', manager, 'discord:@me:42')).toContain('Settings belong to a server');
    expect(await say('/settings', manager, 'discord:@me:42')).toContain('Defaults only (a direct message has no server: the defaults apply)');
  });

  it('lets the person at the console, a manager, use it', async () => {
    const { app } = setup();
    const chat = consoleChat(app);
    expect(await chat.say('/settings set answer-time 40s')).toContain('Answer time here is now 40s.');
    expect(await chat.say('/as alice')).toBeDefined();
    expect(await chat.say('/settings')).toContain('Answer time: 40s');
  });
});

describe('managers by role or group', () => {
  it('counts the members of the chosen role as managers, in that workspace only', async () => {
    const { say } = setup();
    expect(await say('/daily subscribe kafka', lead)).toContain('Only channel managers can change daily posts.');
    expect(await say('/settings', lead)).toContain('Only channel managers');
    expect(await say('/settings set managers R1')).toContain('Managers here are now members of the group `R1`');
    expect(await say('/daily subscribe kafka', lead)).toContain('Subscribed: this channel gets');
    expect(await say('/settings', lead)).toContain('Managers: members of the group `R1`');
    // Another workspace chose nothing: there the role is nobody's business.
    expect(await say('/daily subscribe kafka', lead, T2)).toContain('Only channel managers can change daily posts.');
    // Someone without the role is still refused.
    expect(await say('/daily pause', member)).toContain('Only channel managers can change daily posts.');
  });

  it('lets a member of the chosen role stop a quiz someone else started', async () => {
    const { say } = setup();
    expect(await say('/quiz kafka 2', member)).toContain('Started a 2-question quiz');
    expect(await say('/quiz stop', lead)).toContain('Only max, who started this quiz, or a channel manager can');
    await say('/settings set managers R1');
    expect(await say('/quiz stop', lead)).not.toContain('Only max');
  });
});

describe('allowed topics the knowledge base no longer has', () => {
  it('falls back to every topic when all are gone, says so in /settings and warns once; keeps those that remain', async () => {
    const { app, say } = setup();
    // As stored before the knowledge base renamed or removed them.
    const save = (value: string) => app.store.saveScopeSetting({ scope: 'test:T1', name: 'topics', value, updatedAt: '2026-06-01T06:00:00.000Z' });
    await save('hdfs-old,kafka-legacy');
    expect(await say('/settings')).toContain('Allowed topics: all topics, since `hdfs-old` and `kafka-legacy` are no longer in the knowledge base: `/settings set topics` chooses again');
    expect(await say('/quiz spark 1', member)).toContain('Started a 1-question quiz');
    const warnings: string[] = [];
    const settings = new SettingsService({ store: app.store, knowledge: app.knowledge, clock: app.clock, defaults: app.settings.defaults, log: { ...silentLogger, warn: (m) => void warnings.push(m) } });
    expect(await settings.of(T1)).toMatchObject({ topics: [], missingTopics: ['hdfs-old', 'kafka-legacy'] });
    await settings.of(T1);
    expect(warnings).toEqual(['settings: the topics test:T1 allows (hdfs-old, kafka-legacy) are no longer in the knowledge base, so every topic applies there until a manager runs /settings set topics']);
    // Some remain: the limit keeps to them, and /settings names the one gone.
    await save('spark,kafka-legacy');
    expect(await say('/settings')).toContain('Allowed topics: Apache Spark (`kafka-legacy` is no longer in the knowledge base)');
    expect(await say('/quiz kafka 1', member, 'test:T1:C2')).toBe('Quizzes here are limited to Apache Spark (a setting of this workspace or server: `/settings`): Apache Kafka reaches beyond them.');
    expect(warnings).toHaveLength(1);
  });
});

describe('settings are read where they apply', () => {
  it('a quiz starts with the workspace’s answer time unless one is given; another workspace keeps the default', async () => {
    const { app, say } = setup();
    await say('/settings set answer-time 45s');
    expect(await say('/quiz kafka 1', member)).toContain('Each question closes after 45 seconds');
    expect((await app.store.latestQuiz(T1, 'quiz'))?.windowSeconds).toBe(45);
    await say('/quiz stop');
    expect(await say('/quiz kafka 1 60s', member)).toContain('Each question closes after 60 seconds');
    expect(await say('/quiz kafka 1', member, T2)).toContain('Each question closes after 20 seconds');
    expect((await app.store.latestQuiz(T2, 'quiz'))?.windowSeconds).toBe(20);
    // Help says where the default comes from.
    expect(await say('/help quiz')).toContain("the workspace's answer time (`/settings`), else 20s");
  });

  it('allowed topics limit quizzes; /explain still answers about any topic', async () => {
    const { app, say } = setup();
    await say('/settings set topics kafka');
    expect(await say('/quiz spark 1', member)).toBe('Quizzes here are limited to Apache Kafka (a setting of this workspace or server: `/settings`): Apache Spark reaches beyond them.');
    expect(await say('/quiz 3', member)).toContain('Started a 3-question quiz');
    const quiz = (await app.store.latestQuiz(T1, 'quiz'))!;
    expect(quiz.topic).toBe('kafka');
    expect((await app.store.questionsOf(quiz.id)).map((q) => q.conceptId.split('/')[0])).toEqual(['kafka', 'kafka', 'kafka']);
    expect(await say('/explain spark/x', member)).toContain('Title of spark/x');
    expect(await say('/quiz spark 1', member, T2)).toContain('Started a 1-question quiz');
  });

  it('/daily subscribe takes the workspace’s zone; allowed topics limit what is subscribed and what is posted', async () => {
    const { app, time, messenger, say } = setup();
    await say('/settings set timezone Asia/Tokyo');
    expect(await say('/daily subscribe concept 16:00')).toContain('a concept at 16:00 (Asia/Tokyo), every day, from all topics');
    expect(await say('/daily subscribe concept 16:00', manager, T2)).toContain('a concept at 16:00 (UTC)');
    expect(await say('/help daily')).toContain("the workspace's zone (`/settings`; else UTC), or as before");
    // A limit set after subscribing narrows what the channel gets; subscribing beyond it is refused.
    await say('/settings set topics spark');
    expect(await say('/daily status')).toContain('What: a concept at 16:00 (Asia/Tokyo), every day, from Apache Spark');
    expect(await say('/daily subscribe kafka')).toBe('Daily posts here are limited to Apache Spark (a setting of this workspace or server: `/settings`): Apache Kafka reaches beyond them.');
    // 16:00 in Tokyo is 07:00Z; in UTC it is 16:00Z.
    for (let day = 1; day <= 3; day++) {
      await time.advanceTo(`2026-06-0${day}T07:00:00Z`);
      await app.daily.sweep();
    }
    const posted = (await app.store.postsOf(T1, 'concept')).map((p) => p.conceptId);
    expect(posted).toHaveLength(3);
    for (const id of posted) expect(id).toMatch(/^spark\//);
    expect(messenger.to(T2)).toHaveLength(0);
    await time.advanceTo('2026-06-03T16:00:00Z');
    await app.daily.sweep();
    expect(messenger.to(T2)).toHaveLength(1);
  });

  it('the Home tab’s quiz button takes the workspace’s answer time and allowed topics', async () => {
    const { app, say } = setup();
    // max has met Spark and Kafka; the workspace allows Kafka only, with 45 s to answer.
    await app.learning.knewIt({ scope: 'test:T1', userId: member.id }, 'spark/x');
    await app.learning.knewIt({ scope: 'test:T1', userId: member.id }, 'kafka/a');
    await say('/settings set answer-time 45s');
    await say('/settings set topics kafka');
    const press = (address: string) => app.bot.handle({ kind: 'action', address, user: member, action: quizMeButton.action(true) });
    expect(plainText(await press(T1))).toContain('Started a');
    const quiz = (await app.store.latestQuiz(T1, 'quiz'))!;
    expect(quiz.windowSeconds).toBe(45);
    expect(new Set((await app.store.questionsOf(quiz.id)).map((q) => q.conceptId.split('/')[0]))).toEqual(new Set(['kafka']));
    // Another workspace chose nothing: the environment's answer time.
    expect(plainText(await press(T2))).toContain('Started a');
    expect((await app.store.latestQuiz(T2, 'quiz'))?.windowSeconds).toBe(20);
  });

  it('/review remind’s help names the workspace’s zone before the environment’s (platforms.test.ts sets one)', async () => {
    const { say } = setup();
    expect(await say('/help review')).toContain("yours as before, else the workspace's or server's (`/settings`), else UTC");
  });

  it('a person who chose no zone has their days (streaks, reminders) counted in the workspace’s zone', async () => {
    const { app, say } = setup();
    await say('/settings set timezone Asia/Tokyo');
    expect(await app.learning.timezoneOf({ scope: 'test:T1', userId: 'U9' })).toBe('Asia/Tokyo');
    expect(await app.learning.timezoneOf({ scope: 'test:T2', userId: 'U9' })).toBe('UTC');
  });

  it('a subtopic lies within its topic, a topic not within one of its subtopics', async () => {
    const catalog = catalogOf(setup(REAL_KNOWLEDGE_DIR).app.knowledge.kb);
    expect(limitTopics(catalog, ['hive'], ['hadoop'])).toEqual({ topics: ['hive'] });
    expect(limitTopics(catalog, ['hadoop'], ['hive'])).toEqual({ outside: ['hadoop'] });
    expect(limitTopics(catalog, [], ['hive', 'kafka'])).toEqual({ topics: ['hive', 'kafka'] });
    expect(limitTopics(catalog, ['spark', 'kafka-streams'], [])).toEqual({ topics: ['spark', 'kafka-streams'] });
    expect(limitTopics(catalog, ['kafka-streams', 'spark'], ['kafka'])).toEqual({ outside: ['spark'] });
  });
});
