import { afterAll, describe, expect, it } from 'vitest';
import { nonceFor } from '../../src/adapters/discord/messenger.js';
import { FakeSlack } from '../slack/fake-slack.js';
import { openKnowledge } from '../../src/knowledge/index.js';
import { FakeDiscord } from '../discord/fake-discord.js';
import type { StoreCall, Trap } from '../helpers/crash.js';
import { writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';
import { FakeTime } from '../helpers/time.js';
import { alice, bob, discord, instance, postgres, slack, sqliteFile, type DatabaseKind, type Instance, type Platform, type PlatformKind, type Seen, type Target } from './harness.js';

const concept = (n: number): ConceptFixture => ({
  id: `kafka/c${n}`,
  title: `Kafka idea ${n}`,
  summary: `What Kafka idea number ${n} is about, in one sentence for the card.`,
  quiz: [{ question: `Which statement about Kafka idea ${n} holds?`, answer: `right ${n}`, wrong: [`wrong a${n}`, `wrong b${n}`, `wrong c${n}`], why: `Because ${n}.` }],
});
const knowledge = openKnowledge(writeKnowledge([1, 2, 3, 4, 5].map(concept)));

/** A story that makes some posts; the process dies while one of them (`target`) is being sent. */
interface Scenario {
  name: string;
  target: Target;
  /** What happens before the fatal moment. */
  setup?(a: Instance, time: FakeTime): Promise<void>;
  /** The work during which the process dies. */
  trigger(a: Instance, time: FakeTime): Promise<unknown>;
  /** Every message the story posts in the channel once it has played out: each exactly once. */
  posts: RegExp[];
  /** What else users see at the end. */
  check?(b: Instance, seen: Seen[], platform: Platform): Promise<void>;
}

const message = (seen: Seen[], title: RegExp) => seen.find((m) => title.test(m.title))?.text ?? '';

const SCENARIOS: Scenario[] = [
  {
    name: 'the first question of a quiz',
    target: { key: /^quiz:[0-9a-f]{12}:0$/, title: /^Question 1 of 2/ },
    trigger: (a) => a.say('/quiz kafka 2'),
    posts: [/^Question 1 of 2/, /^Question 2 of 2/, /^Quiz over/],
    async check(b, seen) {
      // The question that went out during the crash is the one revealed, and the quiz ran to its end.
      expect(message(seen, /^Question 1 of 2/)).toContain('Answer: ');
      expect(message(seen, /^Quiz over/)).toContain('nobody answered 2 questions in a row');
      expect(await b.app.store.runningQuizzes()).toEqual([]);
    },
  },
  {
    name: 'the next question of a quiz',
    target: { key: /^quiz:[0-9a-f]{12}:1$/, title: /^Question 2 of 2/ },
    async setup(a) {
      await a.say('/quiz kafka 2');
      await a.answer(alice, true);
      await a.answer(bob, false);
    },
    trigger: (_a, time) => time.advance(20_000),
    posts: [/^Question 1 of 2/, /^Question 2 of 2/, /^Quiz over/],
    async check(b, seen) {
      expect(message(seen, /^Question 1 of 2/)).toContain('Answer: ');
      expect(message(seen, /^Question 2 of 2/)).toContain('Answer: ');
      expect(await b.say('/leaderboard')).toContain('1. **alice**: 150 pts · 100% right (1/1)');
    },
  },
  {
    name: 'the standings at the end of a quiz',
    target: { key: /^quiz:[0-9a-f]{12}:end$/, title: /^Quiz over/ },
    async setup(a) {
      await a.say('/quiz kafka 1');
      await a.answer(alice, true);
      await a.answer(bob, false);
    },
    trigger: (_a, time) => time.advance(20_000),
    posts: [/^Question 1 of 1/, /^Quiz over/],
    async check(b, seen) {
      expect(message(seen, /^Quiz over/)).toMatch(/1\. alice: 150 pts \(1\/1 right\)/);
      // The quiz is over for the database too: the channel can start the next one.
      expect(await b.say('/quiz kafka 1')).toContain('Started a 1-question quiz');
    },
  },
  {
    name: 'the concept of the day',
    // A concept card's title is the concept's; "Concept of the day" is its heading.
    target: { key: /^daily:concept:/, title: /^Kafka idea \d/ },
    async setup(a, time) {
      await a.say('/daily subscribe concept 09:00 UTC');
      await time.advanceTo('2026-06-01T09:00:00Z');
    },
    trigger: (a) => a.app.daily.sweep(),
    posts: [/^Kafka idea \d/],
    async check(b, seen, platform) {
      const [post] = await b.app.store.postsOf(platform.address);
      expect(post).toMatchObject({ kind: 'concept', status: 'posted' });
      // The card that went out is the concept recorded for the day.
      expect(seen[0]?.title).toBe(knowledge.kb.byId.get(post!.conceptId!)!.title);
      expect(seen[0]?.text).toContain('Concept of the day');
    },
  },
  {
    name: 'the quiz of the day',
    target: { key: /^quiz:d[0-9a-f]{15}:0$/, title: /^Quiz of the day/ },
    async setup(a, time) {
      await a.say('/daily subscribe quiz 09:00 UTC');
      await time.advanceTo('2026-06-01T09:00:00Z');
    },
    trigger: (a) => a.app.daily.sweep(),
    posts: [/^Quiz of the day/],
    async check(b, seen, platform) {
      expect(await b.app.store.postsOf(platform.address)).toMatchObject([{ kind: 'quiz', status: 'posted' }]);
      expect(message(seen, /^Quiz of the day/)).toContain('Answer: ');
      expect(await b.app.store.runningQuizzes()).toEqual([]);
    },
  },
];

const outboxCall = (call: StoreCall, method: string, target: Target) => call.method === method && target.key.test(String(call.args[0]));
const recordsSent = (call: StoreCall, target: Target) => outboxCall(call, 'settleOutbox', target) && (call.args[2] as { state?: string }).state === 'sent';

/** The moments a sender can die at, from recording the post to recording what became of it. */
const KILLS: Array<{ name: string; arm(a: Instance, platform: Platform, target: Target): void }> = [
  {
    name: 'after recording it as being sent, before the platform call',
    arm: (a, _p, target) => a.proc.dieAt({ after: (c) => outboxCall(c, 'claimOutbox', target) && c.result === true }),
  },
  {
    name: 'with the request on its way (the platform never gets it)',
    arm: (a, platform, target) => platform.hold(target, false, () => a.proc.kill()),
  },
  {
    name: 'after the platform accepted it, before its answer arrived',
    arm: (a, platform, target) => platform.hold(target, true, () => a.proc.kill()),
  },
  {
    name: 'after the answer, before recording it as sent',
    arm: (a, _p, target) => a.proc.dieAt({ before: (c) => recordsSent(c, target) } satisfies Trap),
  },
  {
    name: 'after recording it as sent, before the quiz or daily post noted it',
    arm: (a, _p, target) => a.proc.dieAt({ after: (c) => recordsSent(c, target) && c.result === true }),
  },
];

/** Sweeps as the minute timer would, while time passes: long enough for every hold to run out and every quiz to end. */
async function playOut(b: Instance, time: FakeTime): Promise<void> {
  for (let i = 0; i < 8; i++) {
    await time.advance(40_000);
    await b.app.daily.sweep();
  }
  await time.advance(5 * 3_600_000);
}

const DATABASES: DatabaseKind[] = [sqliteFile, postgres()];
const PLATFORMS: PlatformKind[] = [slack, discord];

describe.each(DATABASES)('$name', (database) => {
  afterAll(() => database.cleanUp());

  describe.each(PLATFORMS)('$name', (platformKind) => {
    for (const scenario of SCENARIOS) {
      for (const kill of KILLS) {
        it.skipIf(database.skip)(`posts ${scenario.name} exactly once, the sender killed ${kill.name}`, async () => {
          const time = new FakeTime('2026-06-01T08:59:00Z');
          const platform = await platformKind.start(time);
          const db = await database.fresh();
          const running: Instance[] = [];
          try {
            const a = await instance(db, platform, knowledge, time, 1);
            running.push(a);
            await scenario.setup?.(a, time);
            kill.arm(a, platform, scenario.target);
            const outcome = await Promise.race([scenario.trigger(a, time).then(() => 'lived'), a.proc.died.then(() => 'died')]);
            expect(outcome, 'the process died at the chosen moment').toBe('died');

            // A fresh process on the same database takes over, as after a restart.
            const b = await instance(db, platform, knowledge, time, 2);
            running.push(b);
            await b.app.resume();
            await playOut(b, time);

            const seen = platform.messages();
            for (const title of scenario.posts) expect(seen.filter((m) => title.test(m.title)).map((m) => m.title), `${title}`).toHaveLength(1);
            expect(seen).toHaveLength(scenario.posts.length);
            await scenario.check?.(b, seen, platform);
          } finally {
            for (const one of running.reverse()) await one.stop();
            await platform.close();
          }
        });
      }
    }
  });
});

/** The boundaries of the rule: when nothing can tell whether a post went out, it is not sent again. */
describe.each(DATABASES)('$name: a post whose fate cannot be settled', (database) => {
  afterAll(() => database.cleanUp());

  /** Kills the first process while the first question is being sent; `before` runs before the second process starts. */
  async function crashAndRestart(platformKind: PlatformKind, arm: (a: Instance, platform: Platform) => void, before: (platform: Platform, time: FakeTime) => Promise<void>) {
    const time = new FakeTime('2026-06-01T08:59:00Z');
    const platform = await platformKind.start(time);
    const db = await database.fresh();
    const a = await instance(db, platform, knowledge, time, 1);
    arm(a, platform);
    await Promise.race([a.say('/quiz kafka 2'), a.proc.died]);
    await before(platform, time);
    const b = await instance(db, platform, knowledge, time, 2);
    await b.app.resume();
    await playOut(b, time);
    return {
      seen: platform.messages(),
      b,
      async stop() {
        await b.stop();
        await a.stop();
        await platform.close();
      },
    };
  }

  const firstQuestion: Target = { key: /^quiz:[0-9a-f]{12}:0$/, title: /^Question 1 of 2/ };
  const neverSent = (a: Instance) => a.proc.dieAt({ after: (c) => outboxCall(c, 'claimOutbox', firstQuestion) && c.result === true });
  const accepted = (a: Instance, platform: Platform) => platform.hold(firstQuestion, true, () => a.proc.kill());
  const later = (minutes: number) => (_p: Platform, time: FakeTime) => time.advance(minutes * 60_000);
  const noHistory = async (platform: Platform) => void (platform as Platform & { fake: FakeSlack }).fake.fail('conversations.history', { error: 'missing_scope' }, 10);

  it.skipIf(database.skip)('Discord, back after the nonce window: a question that never went out is not sent, and the quiz ends saying so', async () => {
    const run = await crashAndRestart(discord, neverSent, later(3));
    try {
      expect(run.seen.map((m) => m.title)).toEqual([expect.stringMatching(/^Quiz over/)]);
      expect(run.seen[0]?.text).toContain('I could not confirm that question 1 reached the channel');
      expect(await run.b.app.store.runningQuizzes()).toEqual([]);
    } finally {
      await run.stop();
    }
  });

  it.skipIf(database.skip)('Discord, back after the nonce window: a question that did go out is not doubled', async () => {
    const run = await crashAndRestart(discord, accepted, later(3));
    try {
      expect(run.seen.map((m) => m.title)).toEqual([expect.stringMatching(/^Question 1 of 2/), expect.stringMatching(/^Quiz over/)]);
    } finally {
      await run.stop();
    }
  });

  it.skipIf(database.skip)('Discord, back within the window: the repeat with the same nonce gets the first message back', async () => {
    const run = await crashAndRestart(discord, accepted, later(1));
    try {
      expect(run.seen.map((m) => m.title)).toEqual([expect.stringMatching(/^Question 1 of 2/), expect.stringMatching(/^Question 2 of 2/), expect.stringMatching(/^Quiz over/)]);
      expect(run.seen[0]?.text).toContain('Answer: ');
    } finally {
      await run.stop();
    }
  });

  it.skipIf(database.skip)('Slack without a history scope: a question that never went out is not sent, and the quiz ends saying so', async () => {
    const run = await crashAndRestart(slack, neverSent, noHistory);
    try {
      expect(run.seen.map((m) => m.title)).toEqual([expect.stringMatching(/^Quiz over/)]);
      expect(run.seen[0]?.text).toContain('I could not confirm that question 1 reached the channel');
    } finally {
      await run.stop();
    }
  });

  it.skipIf(database.skip)('Slack without a history scope: a question that did go out is not doubled', async () => {
    const run = await crashAndRestart(slack, accepted, noHistory);
    try {
      expect(run.seen.map((m) => m.title)).toEqual([expect.stringMatching(/^Question 1 of 2/), expect.stringMatching(/^Quiz over/)]);
    } finally {
      await run.stop();
    }
  });

  it.skipIf(database.skip)('Slack, hours later and 300 messages on: the post is found by its key in the history', async () => {
    const run = await crashAndRestart(slack, accepted, async (platform, time) => {
      const { fake } = platform as Platform & { fake: FakeSlack };
      await time.advance(3 * 3_600_000);
      const [mine] = fake.messagesIn('CQUIZ');
      // Busy people: 300 messages since, the bot's among the oldest on the last page.
      for (let i = 0; i < 300; i++) fake.messages.push({ channel: 'CQUIZ', ts: `${Number(mine!.ts.split('.')[0]) + 60 + i}.000001`, text: `chat ${i}` });
    });
    try {
      expect(run.seen.filter((m) => /^Question 1 of 2/.test(m.title))).toHaveLength(1);
      expect(run.seen.filter((m) => /^(Question|Quiz)/.test(m.title)).map((m) => m.title)).toEqual([expect.stringMatching(/^Question 1 of 2/), expect.stringMatching(/^Question 2 of 2/), expect.stringMatching(/^Quiz over/)]);
    } finally {
      await run.stop();
    }
  });
});

describe('every bot post carries its key', () => {
  it('Slack: in message metadata; Discord: as a nonce that Discord must enforce', async () => {
    for (const platformKind of PLATFORMS) {
      const time = new FakeTime('2026-06-01T08:59:00Z');
      const platform = (await platformKind.start(time)) as Platform & { fake: FakeSlack | FakeDiscord };
      const a = await instance(await sqliteFile.fresh(), platform, knowledge, time, 1);
      try {
        await a.say('/daily subscribe both 09:00 UTC');
        await a.say('/quiz kafka 1');
        await a.answer(alice, true);
        await time.advanceTo('2026-06-01T09:00:00Z');
        await a.app.daily.sweep();
        const keys = (await a.app.store.outboxOf(platform.address)).map((r) => r.postKey);
        expect(keys).toHaveLength(4);
        if (platform.fake instanceof FakeSlack) {
          const sent = platform.fake.callsOf('chat.postMessage').map((c) => c.params['metadata']);
          expect(sent).toEqual(keys.map((key) => ({ event_type: 'backfill_post', event_payload: { key } })));
        } else {
          const sent = platform.fake.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/messages')).map((c) => [c.body.nonce, c.body.enforce_nonce]);
          expect(sent).toEqual(keys.map((key) => [nonceFor(key), true]));
        }
      } finally {
        await a.stop();
        await platform.close();
      }
    }
  });
});
