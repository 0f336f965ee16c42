import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord, type RunningDiscord } from '../../src/adapters/discord/discord.js';
import type { Backfill } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/log.js';
import { testApp } from '../helpers/app.js';
import { writeKnowledge } from '../helpers/knowledge.js';
import { FakeDiscord, type RecordedCall } from './fake-discord.js';
import { ALICE, APPLICATION_ID, CHANNEL_ID, DM_CHANNEL_ID, GROUP_DM_ID, GUILD_ID, STRANGER_CHANNEL_ID, STRANGER_GUILD_ID, buttonClick, slashCommand, userInstalled } from './payloads.js';

/**
 * Backfill installed on a person's account (a user install), used where the bot is not: a server
 * it is not in, and a group DM. It answers the interaction; it never posts in such a channel.
 */

const knowledgeDir = writeKnowledge([
  { id: 'kafka/acks', title: 'Producer acks', aliases: ['acks'], quiz: [{ question: 'Which producer setting waits for every in-sync replica?', answer: 'acks=all', wrong: ['acks=0', 'acks=1', 'linger.ms=0'], why: 'It waits for the ISR.' }] },
]);
const SUBCOMMAND = 1;
const STRING = 3;
const INTEGER = 4;

let fake: FakeDiscord;
let app: Backfill;
let discord: RunningDiscord;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  ({ app } = testApp(knowledgeDir));
  discord = await startDiscord(app, loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl }), silentLogger, { deferAfterMs: 1000 });
});

afterAll(async () => {
  await discord?.stop();
  await fake?.close();
  await app?.close();
});

const callback = (interaction: { id: string; token: string }) => (c: RecordedCall) => c.method === 'POST' && c.path === `/interactions/${interaction.id}/${interaction.token}/callback`;
const channelPosts = () => fake.calls.filter((c) => c.method === 'POST' && /^\/channels\/\d+\/messages$/.test(c.path));
const explain = () => slashCommand('explain', [{ name: 'query', type: STRING, value: 'kafka acks' }]);
const quizStart = (actor = {}) => slashCommand('quiz', [{ name: 'start', type: SUBCOMMAND, options: [{ name: 'topics', type: STRING, value: 'kafka' }, { name: 'count', type: INTEGER, value: 1 }] }], actor);

describe.each(['server', 'group-dm'] as const)('installed on a person’s account, used in a %s the bot is not in', (where) => {
  it('answers /explain with the card, as an answer to the interaction', async () => {
    const interaction = userInstalled(explain(), where);
    expect(fake.dispatch('INTERACTION_CREATE', interaction)).toBe(1);
    const { body } = await fake.waitForCall(callback(interaction));
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data.embeds[0].title).toBe('Producer acks');
  });

  it('shares a card through the interaction, not as a post of the bot', async () => {
    const before = channelPosts().length;
    const interaction = userInstalled(buttonClick('share:kafka/acks'), where);
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await fake.waitForCall(callback(interaction));
    expect(body.data.flags ?? 0).toBe(0);
    expect(body.data.embeds[0].title).toBe('Producer acks');
    expect(channelPosts()).toHaveLength(before);
  });

  it('refuses a quiz, which would post questions in the channel, with one clear line; nothing starts', async () => {
    const before = channelPosts().length;
    const interaction = userInstalled(quizStart(), where);
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await fake.waitForCall(callback(interaction));
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    const why = where === 'server' ? 'Backfill is installed on your account, not in this server. Ask a server manager to add it, or run it in a DM with me.' : 'this conversation is not one I am part of. Run it in a DM with me, or in a server that has Backfill.';
    expect(body.data.content).toBe(`\`/quiz start\` posts in this channel by itself, and I can't post here: ${why}`);
    const address = where === 'server' ? `discord:${STRANGER_GUILD_ID}:${STRANGER_CHANNEL_ID}` : `discord:@me:${GROUP_DM_ID}`;
    expect(await app.store.latestQuiz(address, 'quiz')).toBeUndefined();
    expect(channelPosts()).toHaveLength(before);
  });

  it('refuses daily posts there too, even to a manager', async () => {
    const interaction = userInstalled(slashCommand('daily', [{ name: 'subscribe', type: SUBCOMMAND, options: [{ name: 'topics', type: STRING, value: 'kafka' }] }], { manager: true }), where);
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await fake.waitForCall(callback(interaction));
    expect(body.data.content).toMatch(/^`\/daily subscribe` posts in this channel by itself, and I can't post here: /);
    const address = where === 'server' ? `discord:${STRANGER_GUILD_ID}:${STRANGER_CHANNEL_ID}` : `discord:@me:${GROUP_DM_ID}`;
    expect(await app.store.getSubscription(address)).toBeUndefined();
  });
});

describe('/review remind, used where the bot is not', () => {
  it('sends reminders to the DM opened with the bot, never to the group DM it was asked in', async () => {
    const interaction = userInstalled(slashCommand('review', [{ name: 'remind', type: SUBCOMMAND, options: [{ name: 'time', type: STRING, value: '08:30' }] }]), 'group-dm');
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await fake.waitForCall(callback(interaction));
    expect(body.data.content).toMatch(/^Reminders on: a direct message at 08:30/);
    const opened = fake.calls.filter((c) => c.method === 'POST' && c.path === '/users/@me/channels');
    expect(opened.map((c) => c.body.recipient_id)).toContain(ALICE.id);
    expect((await app.learning.reminder({ scope: 'discord', userId: ALICE.id }))?.address).toBe(`discord:@me:${DM_CHANNEL_ID}`);
  });
});

describe('in a server that installed Backfill, with the bot in it', () => {
  it('still starts a quiz and posts its question in the channel', async () => {
    const interaction = quizStart();
    fake.dispatch('INTERACTION_CREATE', interaction);
    expect((await fake.waitForCall(callback(interaction))).body.data.content).toContain('Started a 1-question quiz');
    await fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${CHANNEL_ID}/messages` && /^Question 1 of 1/.test(c.body.embeds?.[0]?.title));
    expect(await app.store.runningQuiz(`discord:${GUILD_ID}:${CHANNEL_ID}`, 'quiz')).toBeDefined();
  });
});
