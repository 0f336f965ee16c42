import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord, type RunningDiscord } from '../../src/adapters/discord/discord.js';
import type { Backfill } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/log.js';
import { testApp } from '../helpers/app.js';
import { writeKnowledge } from '../helpers/knowledge.js';
import type { FakeTime } from '../helpers/time.js';
import { FakeDiscord, type RecordedCall } from './fake-discord.js';
import { liveLinks, liveMentions, markdownOf } from './links.js';
import { ALICE, APPLICATION_ID, BOT_USER, CHANNEL_ID, GUILD_ID, buttonClick, channelMessage, slashCommand, type Actor } from './payloads.js';

/**
 * People choose their own server nicknames, and the bot shows them to everyone: in a quiz reveal,
 * in the standings, under a shared card. Through a real discord.js Client and a fake Discord, a
 * nickname written as Markdown must come out as the text it is, never as a link or a ping.
 */

const knowledgeDir = writeKnowledge([
  {
    id: 'kafka/acks',
    title: 'Producer acks',
    aliases: ['acks'],
    quiz: [{ question: 'Which setting waits for all in-sync replicas?', answer: 'acks=all', wrong: ['acks=0', 'acks=1', 'linger.ms'], why: 'Because all means all.' }],
  },
]);

const HOSTILE = [
  '[Verify](https://evil.tld)',
  '**[Claim](https://evil.tld/nitro)**',
  '<https://evil.tld>',
  'https://evil.tld/login',
  '@everyone <@&123456789012345678>',
];

let fake: FakeDiscord;
let app: Backfill;
let time: FakeTime;
let discord: RunningDiscord;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  ({ app, time } = testApp(knowledgeDir));
  const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl });
  discord = await startDiscord(app, config, silentLogger, { deferAfterMs: 1000 });
});

afterAll(async () => {
  await discord?.stop();
  await fake?.close();
  await app?.close();
});

const callback = (interaction: { id: string; token: string }) => (c: RecordedCall) => c.method === 'POST' && c.path === `/interactions/${interaction.id}/${interaction.token}/callback`;
const customIds = (body: { components: Array<{ components: Array<{ custom_id: string }> }> }) => body.components.flatMap((row) => row.components.map((b) => b.custom_id));

/** Nothing in the message links anywhere but to the documentation the knowledge base cites, or pings. */
function expectInert(body: Parameters<typeof markdownOf>[0]): void {
  const sources = new Set(app.knowledge.kb.concepts.flatMap((c) => c.sources.map((s) => s.url)));
  for (const text of markdownOf(body)) {
    expect(liveLinks(text).filter((url) => !sources.has(url)), text).toEqual([]);
    expect(liveMentions(text), text).toEqual([]);
  }
}

describe('hostile nicknames on Discord', () => {
  it.each(HOSTILE)('"Shared by" %s stays text', async (nick) => {
    const click = buttonClick('share:kafka/acks', undefined, { nick });
    fake.dispatch('INTERACTION_CREATE', click);
    const { body } = await fake.waitForCall(callback(click));
    const description: string = body.data.embeds[0].description;
    expect(description).toContain('Shared by');
    expectInert(body.data);
    // The name is still there to read, only inert.
    expect(description.replace(/\\(.)/g, '$1').replace(/\u200b/g, '')).toContain(`Shared by ${nick}`);
  });

  it('stays text in the public reveal and in the standings of a quiz', async () => {
    const player: Actor = { nick: '[Verify](https://evil.tld)', user: ALICE };
    const start = slashCommand('quiz', [{ name: 'start', type: 1, options: [{ name: 'topics', type: 3, value: 'kafka' }, { name: 'count', type: 4, value: 1 }] }], player);
    fake.dispatch('INTERACTION_CREATE', start);
    await fake.waitForCall(callback(start));
    const posted = await fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${CHANNEL_ID}/messages` && /^Question 1 of 1/.test(c.body.embeds?.[0]?.title));
    const quiz = await app.store.latestQuiz(`discord:${GUILD_ID}:${CHANNEL_ID}`, 'quiz');
    const question = await app.store.getQuestion(quiz!.id, 0);
    const answer = buttonClick(customIds(posted.body)[question!.correct]!, question!.messageId!, player);
    fake.dispatch('INTERACTION_CREATE', answer);
    await fake.waitForCall(callback(answer));

    await time.advance(20_000);
    const reveal = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === `/channels/${CHANNEL_ID}/messages/${question!.messageId}`);
    expect(reveal.body.embeds[0].fields[0].name).toBe('Got it right');
    expect(reveal.body.embeds[0].fields[0].value).toContain('Verify');
    expectInert(reveal.body);

    const standings = await fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${CHANNEL_ID}/messages` && /^Quiz over/.test(c.body.embeds?.[0]?.title ?? ''));
    expect(JSON.stringify(standings.body)).toContain('Verify');
    expectInert(standings.body);
  });

  it('does not echo Markdown from a mention as a link in its public answer', async () => {
    const mention = channelMessage(`<@${BOT_USER.id}> explain [Verify your account](https://evil.tld) now`, [BOT_USER]);
    fake.dispatch('MESSAGE_CREATE', mention);
    const answer = await fake.waitForCall((c) => c.method === 'POST' && c.body?.message_reference?.message_id === mention.id);
    expect(JSON.stringify(answer.body)).toContain('Verify your account');
    expectInert(answer.body);
  });
});
