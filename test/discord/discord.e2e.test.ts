import { GatewayIntentBits, InteractionResponseType, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord, type RunningDiscord } from '../../src/adapters/discord/discord.js';
import type { Backfill } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config/env.js';
import { DeliveryError } from '../../src/core/delivery.js';
import { silentLogger } from '../../src/core/log.js';
import { choice, integer } from '../../src/core/args.js';
import { arg, defineCommand } from '../../src/core/command.js';
import { buttons, notice, reply, text } from '../../src/core/reply.js';
import { testApp } from '../helpers/app.js';
import { writeKnowledge, type ConceptFixture } from '../helpers/knowledge.js';
import type { FakeTime } from '../helpers/time.js';
import { FakeDiscord, type RecordedCall } from './fake-discord.js';
import { APPLICATION_ID, BOT_USER, CHANNEL_ID, DM_CHANNEL_ID, GUILD_ID, autocomplete, buttonClick, channelMessage, directMessage, slashCommand } from './payloads.js';

const quizzable = (id: string, title: string, extra: Partial<ConceptFixture> = {}): ConceptFixture => ({
  id,
  title,
  quiz: [{ question: `Which statement about ${title} holds?`, answer: `right about ${title}`, wrong: ['wrong one', 'wrong two', 'wrong three'], why: `Because of ${title}.` }],
  ...extra,
});
const knowledgeDir = writeKnowledge([
  quizzable('kafka/acks', 'Producer acks', { aliases: ['acks'], related: ['kafka/isr'] }),
  quizzable('kafka/isr', 'In-sync replicas', { aliases: ['isr'] }),
  { id: 'spark/rdd', title: 'RDD', aliases: ['resilient distributed dataset'] },
]);

const DEFER_AFTER_MS = 200;
const SUBCOMMAND = 1;
const STRING = 3;
const INTEGER = 4;
const address = `discord:${GUILD_ID}:${CHANNEL_ID}`;

let fake: FakeDiscord;
let app: Backfill;
let time: FakeTime;
let discord: RunningDiscord;

/** Test-only commands: one that reports what reached the core, and slow ones to force a deferral. */
function addProbeCommands(backfill: Backfill): void {
  const sleep = () => new Promise((r) => setTimeout(r, DEFER_AFTER_MS * 2.5));
  backfill.bot.commands.add(
    defineCommand({
      name: 'probe',
      summary: 'Reports the request',
      args: {
        topic: arg(choice([{ value: 'kafka' }, { value: 'spark' }], 'a topic'), { description: 'A topic' }),
        count: arg(integer({ min: 1, max: 20, label: 'The count' }), { description: 'How many' }),
      },
      run: async ({ args, user, address }) => notice(`args=[${[args.topic, args.count].filter((v) => v !== undefined).join(' ')}] user=${user.id}/${user.name} manager=${user.isManager} at=${address}`),
    }),
  );
  backfill.bot.commands.add(defineCommand({ name: 'slowprivate', summary: 'Slow', args: {}, run: async () => (await sleep(), notice('done privately')) }));
  backfill.bot.commands.add(defineCommand({ name: 'slowpublic', summary: 'Slow', args: {}, run: async () => (await sleep(), reply([text('done for everyone')], { title: 'Public' })) }));
}

const callback = (interaction: { id: string; token: string }) => (c: RecordedCall) => c.method === 'POST' && c.path === `/interactions/${interaction.id}/${interaction.token}/callback`;
const webhook = (interaction: { token: string }, suffix = '') => `/webhooks/${APPLICATION_ID}/${interaction.token}${suffix}`;
const customIds = (body: { components: Array<{ components: Array<{ custom_id: string }> }> }) => body.components.flatMap((row) => row.components.map((b) => b.custom_id));

beforeAll(async () => {
  fake = await FakeDiscord.start();
  ({ app, time } = testApp(knowledgeDir));
  addProbeCommands(app);
  const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl });
  discord = await startDiscord(app, config, silentLogger, { deferAfterMs: DEFER_AFTER_MS });
});

afterAll(async () => {
  await discord?.stop();
  await fake?.close();
  await app?.close();
});

describe('Discord through a real discord.js Client and a fake Discord', () => {
  it('finds the gateway through the REST base and identifies without privileged intents', () => {
    expect(fake.calls.some((c) => c.method === 'GET' && c.path === '/gateway/bot')).toBe(true);
    const identify = fake.received.find((f) => f.op === 2)?.d as { intents: number };
    expect(identify.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.DirectMessages);
    expect(identify.intents & GatewayIntentBits.MessageContent).toBe(0);
    expect(discord.client.guilds.cache.has(GUILD_ID)).toBe(true);
  });

  it('answers /explain with a private card: embed, buttons and no pings', async () => {
    const interaction = slashCommand('explain', [{ name: 'query', type: STRING, value: 'kafka acks' }]);
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await fake.waitForCall(callback(interaction));
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data.embeds[0].title).toBe('Producer acks');
    expect(body.data.embeds[0].description).toContain('-# Apache Kafka · kafka/acks');
    expect(customIds(body.data)).toEqual(['explain:kafka/isr', 'share:kafka/acks', 'notmeant:kafka/acks:kafka acks', 'knew:kafka/acks', 'again:kafka/acks', 'report:kafka/acks']);
    expect(body.data.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('passes options to the core in registry order, with who asked and where', async () => {
    const interaction = slashCommand(
      'probe',
      [
        { name: 'count', type: INTEGER, value: 5 },
        { name: 'topic', type: STRING, value: 'kafka' },
      ],
      { manager: true },
    );
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await fake.waitForCall(callback(interaction));
    expect(body.data.content).toBe(`args=[kafka 5] user=${interaction.member.user.id}/Alice the Analyst manager=true at=${address}`);
  });

  it('reads Manage Channels from the member permissions the interaction carries', async () => {
    const interaction = slashCommand('probe', []);
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await fake.waitForCall(callback(interaction));
    expect(body.data.content).toContain('manager=false');
  });

  it('answers autocomplete at once with concept choices', async () => {
    const interaction = autocomplete('explain', [{ name: 'query', type: STRING, value: 'in-sync', focused: true }]);
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await fake.waitForCall(callback(interaction));
    expect(body.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect(body.data.choices[0]).toEqual({ name: 'In-sync replicas · kafka', value: 'kafka/isr' });
    expect(body.data.choices.length).toBeLessThanOrEqual(25);
  });

  it('completes a topic word and an unfinished word ("kafka ac"), likeliest first', async () => {
    const interaction = autocomplete('explain', [{ name: 'query', type: STRING, value: 'kafka ac', focused: true }]);
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await fake.waitForCall(callback(interaction));
    expect(body.data.choices[0]).toEqual({ name: 'Producer acks · kafka', value: 'kafka/acks' });
    for (const c of body.data.choices) expect(c.value).toMatch(/^kafka\//);
  });

  it('completes the typed options of native subcommands: topics and subtopics, time zones, days', async () => {
    const topics = autocomplete('quiz', [{ name: 'start', type: SUBCOMMAND, options: [{ name: 'topics', type: STRING, value: 'spark ka', focused: true }] }]);
    fake.dispatch('INTERACTION_CREATE', topics);
    const t = await fake.waitForCall(callback(topics));
    expect(t.body.data.choices[0]).toEqual({ name: 'spark + Apache Kafka (2 concepts)', value: 'spark kafka' });
    const zone = autocomplete('daily', [{ name: 'subscribe', type: SUBCOMMAND, options: [{ name: 'zone', type: STRING, value: 'berl', focused: true }] }]);
    fake.dispatch('INTERACTION_CREATE', zone);
    expect((await fake.waitForCall(callback(zone))).body.data.choices).toContainEqual({ name: 'Europe/Berlin', value: 'Europe/Berlin' });
    const days = autocomplete('daily', [{ name: 'subscribe', type: SUBCOMMAND, options: [{ name: 'days', type: STRING, value: 'week', focused: true }] }]);
    fake.dispatch('INTERACTION_CREATE', days);
    expect((await fake.waitForCall(callback(days))).body.data.choices.map((c: { value: string }) => c.value)).toEqual(['weekdays', 'weekends']);
  });

  it('reads typed options through the same parser, with its errors, and says when the commands need deploying again', async () => {
    const wrong = slashCommand('quiz', [{ name: 'start', type: SUBCOMMAND, options: [{ name: 'topics', type: STRING, value: 'kafak' }] }]);
    fake.dispatch('INTERACTION_CREATE', wrong);
    expect((await fake.waitForCall(callback(wrong))).body.data.content).toContain('Did you mean “kafka”?');
    const stale = slashCommand('quiz', [{ name: 'args', type: STRING, value: 'kafka 3' }]);
    fake.dispatch('INTERACTION_CREATE', stale);
    expect((await fake.waitForCall(callback(stale))).body.data.content).toContain('backfill discord deploy');
    const refused = slashCommand('daily', [{ name: 'subscribe', type: SUBCOMMAND, options: [{ name: 'topics', type: STRING, value: 'kafka' }] }]);
    fake.dispatch('INTERACTION_CREATE', refused);
    expect((await fake.waitForCall(callback(refused))).body.data.content).toContain('Here, channel managers are members with Manage Channels in this channel.');
    const help = slashCommand('help', [{ name: 'command', type: STRING, value: 'quiz' }]);
    fake.dispatch('INTERACTION_CREATE', help);
    expect(JSON.stringify((await fake.waitForCall(callback(help))).body.data.embeds)).toContain('/quiz start [topics] [count] [seconds]');
  });

  it('routes a card button to the core and answers privately', async () => {
    const interaction = buttonClick('explain:kafka/isr');
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await fake.waitForCall(callback(interaction));
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data.embeds[0].title).toBe('In-sync replicas');
  });

  it('posts a shared card for everyone in the channel', async () => {
    const interaction = buttonClick('share:kafka/acks');
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await fake.waitForCall(callback(interaction));
    expect(body.data.flags ?? 0).toBe(0);
    expect(body.data.embeds[0].description).toContain('Shared by Alice the Analyst');
  });

  it('answers a button the core does not know instead of failing the interaction', async () => {
    const interaction = buttonClick('retired:feature');
    fake.dispatch('INTERACTION_CREATE', interaction);
    const { body } = await fake.waitForCall(callback(interaction));
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data.content).toContain('not one of mine');
  });

  it('plays a quiz question: posted with buttons, locked in privately, revealed by an edit, closed afterwards', async () => {
    const start = slashCommand('quiz', [{ name: 'start', type: SUBCOMMAND, options: [{ name: 'topics', type: STRING, value: 'kafka' }, { name: 'count', type: INTEGER, value: 1 }] }]);
    fake.dispatch('INTERACTION_CREATE', start);
    expect((await fake.waitForCall(callback(start))).body.data.content).toContain('Started a 1-question quiz');
    const posted = await fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${CHANNEL_ID}/messages` && /^Question 1 of 1/.test(c.body.embeds?.[0]?.title));
    const answerIds = customIds(posted.body);
    expect(answerIds).toHaveLength(4);
    const quiz = await app.store.latestQuiz(address, 'quiz');
    const question = await app.store.getQuestion(quiz!.id, 0);

    const click = buttonClick(answerIds[question!.correct]!, question!.messageId!);
    fake.dispatch('INTERACTION_CREATE', click);
    const locked = await fake.waitForCall(callback(click));
    expect(locked.body.data).toMatchObject({ flags: MessageFlags.Ephemeral, content: expect.stringMatching(/^Locked in: [A-D]\. right about/) });

    await time.advance(20_000);
    const reveal = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === `/channels/${CHANNEL_ID}/messages/${question!.messageId}`);
    expect(reveal.body.embeds[0].description).toContain('**Answer: ');
    expect(reveal.body.embeds[0].fields[0]).toMatchObject({ name: 'Got it right', value: 'Alice the Analyst' });
    expect(customIds(reveal.body)).toEqual([`explain:${question!.conceptId}`, `report:${question!.questionKey}`]);

    const late = buttonClick(answerIds[0]!, question!.messageId!);
    fake.dispatch('INTERACTION_CREATE', late);
    expect((await fake.waitForCall(callback(late))).body.data).toMatchObject({ flags: MessageFlags.Ephemeral, content: expect.stringContaining('This question has closed') });
  });

  it('defers slow work privately, then fills the deferred reply in', async () => {
    const interaction = slashCommand('slowprivate', []);
    fake.dispatch('INTERACTION_CREATE', interaction);
    const deferred = await fake.waitForCall(callback(interaction));
    expect(deferred.body).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    const edit = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === webhook(interaction, '/messages/@original'));
    expect(edit.body.content).toBe('done privately');
  });

  it('posts a slow public answer as a follow-up, since a private deferral cannot turn public', async () => {
    const interaction = slashCommand('slowpublic', []);
    fake.dispatch('INTERACTION_CREATE', interaction);
    await fake.waitForCall(callback(interaction));
    const followUp = await fake.waitForCall((c) => c.method === 'POST' && c.path === webhook(interaction));
    expect(followUp.body.embeds[0].title).toBe('Public');
    expect(followUp.body.flags ?? 0).toBe(0);
    const edit = fake.calls.find((c) => c.method === 'PATCH' && c.path === webhook(interaction, '/messages/@original'));
    expect(edit?.body.content).toBe('Posted in the channel.');
  });

  it('answers a mention in the channel, and ignores messages that do not mention it', async () => {
    const before = fake.calls.length;
    fake.dispatch('MESSAGE_CREATE', channelMessage('talking among ourselves about kafka acks'));
    const mention = channelMessage(`<@${BOT_USER.id}> explain kafka acks`, [BOT_USER]);
    fake.dispatch('MESSAGE_CREATE', mention);
    const posted = await fake.waitForCall((c) => c.method === 'POST' && c.body?.message_reference?.message_id === mention.id);
    expect(posted.body.embeds[0].title).toBe('Producer acks');
    expect(posted.body.message_reference.message_id).toBe(mention.id);
    expect(posted.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(posted.body.flags).toBeUndefined();
    expect(posted.path).toBe(`/channels/${CHANNEL_ID}/messages`);
    expect(fake.calls.slice(before)).toHaveLength(1);
  });

  it('answers a DM without a mention', async () => {
    fake.dispatch('MESSAGE_CREATE', directMessage('what are acks?'));
    const posted = await fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${DM_CHANNEL_ID}/messages`);
    expect(posted.body.embeds[0].title).toBe('Producer acks');
  });

  describe('the messenger the core posts through', () => {
    it('sends to an address and edits the message later, clearing its buttons', async () => {
      const posted = await app.messengers.send(address, reply([text('Question 1'), buttons([{ action: 'quiz:abc:0:0', label: 'A' }])], { title: 'Quiz' }));
      expect(posted.address).toBe(address);
      const sent = await fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${CHANNEL_ID}/messages` && c.body.embeds?.[0]?.title === 'Quiz');
      expect(customIds(sent.body)).toEqual(['quiz:abc:0:0']);
      await app.messengers.update(posted, reply([text('The answer was A')], { title: 'Quiz: revealed' }));
      const edit = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === `/channels/${CHANNEL_ID}/messages/${posted.messageId}`);
      expect(edit.body.embeds[0].title).toBe('Quiz: revealed');
      expect(edit.body.components).toEqual([]);
    });

    it('reports lost access and deleted channels as permanent failures', async () => {
      fake.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 403, body: { code: 50001, message: 'Missing Access' } });
      const missing = await app.messengers.send(address, notice('hello')).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(DeliveryError);
      expect(missing).toMatchObject({ code: 'missing_access', permanent: true });
      const gone = await app.messengers.send(`discord:${GUILD_ID}:399999999999999999`, notice('hello')).catch((e: unknown) => e);
      expect(gone).toMatchObject({ code: 'unknown_channel', permanent: true });
    });

    it('reports server errors as transient', async () => {
      fake.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 503, body: { code: 0, message: 'Service Unavailable' }, times: 10 });
      const failed = await app.messengers.send(address, notice('hello')).catch((e: unknown) => e);
      expect(failed).toMatchObject({ code: 'discord_unavailable', permanent: false });
    });
  });

  it('reports a refused token as a configuration problem', async () => {
    const other = testApp(knowledgeDir).app;
    const config = loadConfig({ DISCORD_TOKEN: 'not-the-token', DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl });
    await expect(startDiscord(other, config, silentLogger)).rejects.toBeInstanceOf(ConfigError);
    await other.close();
  });
});
