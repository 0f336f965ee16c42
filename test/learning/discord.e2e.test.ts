import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord, type RunningDiscord } from '../../src/adapters/discord/discord.js';
import { nonceFor } from '../../src/adapters/discord/messenger.js';
import type { Backfill } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/log.js';
import { Outbox } from '../../src/core/outbox.js';
import { learnerOf } from '../../src/learning/learner.js';
import { reminderSender } from '../../src/learning/reminders.js';
import { FakeDiscord, type RecordedCall } from '../discord/fake-discord.js';
import { ALICE, APPLICATION_ID, buttonClick, DM_CHANNEL_ID, slashCommand } from '../discord/payloads.js';
import { testApp } from '../helpers/app.js';
import type { FakeTime } from '../helpers/time.js';
import { DAY, KNOWLEDGE_DIR } from './fixtures.js';

const SUBCOMMAND = 1;
const STRING = 3;
let fake: FakeDiscord;
let app: Backfill;
let time: FakeTime;
let discord: RunningDiscord;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  ({ app, time } = testApp(KNOWLEDGE_DIR));
  const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl });
  discord = await startDiscord(app, config, silentLogger, { deferAfterMs: 1000 });
});
afterAll(async () => {
  await discord?.stop();
  await fake?.close();
  await app?.close();
});

const ME = learnerOf('discord:@me:1', ALICE.id);
const callback = (interaction: { id: string; token: string }) => (c: RecordedCall) => c.method === 'POST' && c.path === `/interactions/${interaction.id}/${interaction.token}/callback`;
const customIds = (data: { components?: Array<{ components: Array<{ custom_id: string }> }> }) => (data.components ?? []).flatMap((row) => row.components.map((b) => b.custom_id));

/** Sends an interaction and returns the data of its first answer. */
async function interact(payload: { id: string; token: string }) {
  fake.dispatch('INTERACTION_CREATE', payload);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (await fake.waitForCall(callback(payload))).body.data as any;
}

describe('Discord: learning through a real discord.js Client', () => {
  it('/review start asks privately and an answer button is graded privately, moving the schedule', async () => {
    const again = await interact(buttonClick('again:kafka/c2'));
    expect(again).toMatchObject({ flags: MessageFlags.Ephemeral, content: expect.stringContaining('kafka concept 2 comes back in your reviews tomorrow') });
    await time.advance(DAY);
    const question = await interact(slashCommand('review', [{ name: 'start', type: SUBCOMMAND, options: [] }]));
    expect(question.flags).toBe(MessageFlags.Ephemeral);
    const answers = customIds(question).filter((id) => id.startsWith('practice:'));
    expect(answers).toHaveLength(4);
    const practice = (await app.store.getPractice(answers[0]!.split(':')[1]!))!;
    const result = await interact(buttonClick(answers[practice.correct]!));
    expect(result.flags).toBe(MessageFlags.Ephemeral);
    expect(JSON.stringify(result)).toContain('Right: ');
    expect(await app.store.learningCard(ME, 'kafka/c2')).toMatchObject({ reps: 2, lapses: 0 });
  });

  it('/review remind opens a DM with the person, and the reminder goes there with its nonce', async () => {
    const set = await interact(slashCommand('review', [{ name: 'remind', type: SUBCOMMAND, options: [{ name: 'time', type: STRING, value: '23:00' }, { name: 'zone', type: STRING, value: 'UTC' }] }]));
    expect(set.content).toContain('Reminders on: a direct message at 23:00 (UTC)');
    expect(fake.calls.find((c) => c.method === 'POST' && c.path === '/users/@me/channels')?.body).toEqual({ recipient_id: ALICE.id });
    expect((await app.learning.reminder(ME))?.address).toBe(`discord:@me:${DM_CHANNEL_ID}`);
    await interact(buttonClick('again:kafka/c3'));
    await time.advance(DAY);
    const day = time.now().toISOString().slice(0, 10);
    await time.advanceTo(`${day}T23:00:00Z`);
    const sender = reminderSender(new Outbox({ store: app.store, messenger: app.messengers, clock: time, timers: time, log: silentLogger }), app.messengers);
    expect(await app.learning.sweepReminders(sender)).toBe(1);
    const posted = fake.created.filter((m) => m.channelId === DM_CHANNEL_ID);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toMatchObject({ nonce: nonceFor(`remind:discord:${ALICE.id}:${day}`), enforce_nonce: true });
    expect(customIds(posted[0]!.body)).toEqual(['review:0:10']);
  });
});
