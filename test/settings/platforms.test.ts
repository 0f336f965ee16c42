import { afterAll, describe, expect, it } from 'vitest';
import { startDiscord } from '../../src/adapters/discord/discord.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/log.js';
import { FakeDiscord, type RecordedCall } from '../discord/fake-discord.js';
import { ALICE, APPLICATION_ID, GUILD_ID, slashCommand } from '../discord/payloads.js';
import { testApp } from '../helpers/app.js';
import { writeKnowledge } from '../helpers/knowledge.js';
import { slackHarness } from '../helpers/slack.js';

const dir = writeKnowledge([
  { id: 'kafka/acks', title: 'Producer acks', quiz: [{ question: 'What does acks=all wait for?', answer: 'all in-sync replicas', wrong: ['the leader', 'nothing', 'the consumer'], why: 'Because.' }] },
  { id: 'spark/rdd', title: 'RDD' },
]);

const closers: Array<() => Promise<unknown>> = [];
const callback = (interaction: { id: string; token: string }) => (c: RecordedCall) => c.method === 'POST' && c.path === `/interactions/${interaction.id}/${interaction.token}/callback`;
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('managers by a Slack user group, through Bolt and the fake Web API', () => {
  it('counts the members of the group chosen with /settings as managers, reading the groups once per workspace', async () => {
    const slack = await slackHarness(dir);
    closers.push(() => slack.close());
    slack.fake.addUserGroup('SLEADS', ['UALICE', 'UOTHER']).addUserGroup('SOTHERS', ['UOTHER']);
    const answer = async (id: string) => String((await slack.fake.firstResponseTo(id)).body['text']);

    await slack.command('/daily', 'subscribe kafka', 'before');
    expect(await answer('before')).toContain('Only channel managers can change daily posts.');
    await slack.command('/settings', 'set managers <!subteam^SLEADS|@leads>', 'set', 'UADMIN');
    expect(await answer('set')).toContain('Managers here are now members of the user group `SLEADS`');
    await slack.command('/daily', 'subscribe kafka', 'after');
    expect(await answer('after')).toContain('Subscribed: this channel gets a concept and a quiz question');
    await slack.command('/settings', 'set managers SOTHERS', 'switch', 'UADMIN');
    await slack.command('/daily', 'pause', 'again');
    expect(await answer('again')).toContain('Only channel managers can change daily posts.');
    expect(slack.fake.callsOf('usergroups.list')).toHaveLength(1);
    expect(slack.fake.callsOf('usergroups.list')[0]?.params).toMatchObject({ include_users: 'true' });
  });
});

describe('Slack user groups are read only where a managers group was chosen', () => {
  it('never calls usergroups.list in a workspace without one, and says nothing of a missing usergroups:read there', async () => {
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    const slack = await slackHarness(dir, { log });
    closers.push(() => slack.close());
    slack.fake.addUserGroup('SLEADS', ['UALICE']);
    slack.fake.fail('usergroups.list', { error: 'missing_scope' }, 10);
    const answer = async (id: string) => String((await slack.fake.firstResponseTo(id)).body['text']);

    await slack.command('/explain', 'kafka acks', 'first');
    await slack.fake.firstResponseTo('first');
    await slack.command('/daily', 'subscribe kafka', 'refused');
    expect(await answer('refused')).toContain('Only channel managers can change daily posts.');
    await slack.command('/quiz', 'stop', 'stop');
    await slack.fake.firstResponseTo('stop');
    expect(slack.fake.callsOf('usergroups.list')).toHaveLength(0);
    expect(warnings.filter((w) => w.includes('usergroups'))).toEqual([]);

    // Once a group is chosen, the manager check reads the groups, and a refusal is said once.
    await slack.command('/settings', 'set managers SLEADS', 'set', 'UADMIN');
    await slack.fake.firstResponseTo('set');
    await slack.command('/daily', 'subscribe kafka', 'after');
    expect(await answer('after')).toContain('Only channel managers can change daily posts.');
    expect(slack.fake.callsOf('usergroups.list')).toHaveLength(1);
    expect(warnings.filter((w) => w.includes('usergroups.list failed'))).toHaveLength(1);
  });
});

describe('the workspace’s or server’s time zone reaches people who chose none', () => {
  const SUBCOMMAND = 1;
  const STRING = 3;

  it('on Slack: /progress counts days in it and /review remind takes it', async () => {
    const slack = await slackHarness(dir);
    closers.push(() => slack.close());
    const answer = async (id: string) => JSON.stringify((await slack.fake.firstResponseTo(id)).body);
    await slack.command('/settings', 'set timezone Asia/Tokyo', 'set', 'UADMIN');
    await slack.fake.firstResponseTo('set');
    await slack.command('/progress', '', 'progress');
    expect(await answer('progress')).toContain('Days count in Asia/Tokyo');
    await slack.command('/review', 'remind 08:30', 'remind');
    expect(await answer('remind')).toContain('Reminders on: a direct message at 08:30 (Asia/Tokyo)');
  });

  it('on Discord, where a person is one across servers: the zone of the server they ask in', async () => {
    const fake = await FakeDiscord.start();
    const { app } = testApp(dir);
    const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl });
    const discord = await startDiscord(app, config, silentLogger);
    closers.push(() => fake.close(), () => app.close(), () => discord.stop());
    const reply = async (payload: { id: string; token: string }) => {
      fake.dispatch('INTERACTION_CREATE', payload);
      return JSON.stringify((await fake.waitForCall(callback(payload))).body.data);
    };
    const set = slashCommand('settings', [{ name: 'set', type: SUBCOMMAND, options: [{ name: 'setting', type: STRING, value: 'timezone' }, { name: 'value', type: STRING, value: 'Asia/Tokyo' }] }], { manager: true });
    expect(await reply(set)).toContain('Default time zone here is now Asia/Tokyo');
    expect(await reply(slashCommand('progress', [{ name: 'mine', type: SUBCOMMAND, options: [] }]))).toContain('Days count in Asia/Tokyo');
    const remind = slashCommand('review', [{ name: 'remind', type: SUBCOMMAND, options: [{ name: 'time', type: STRING, value: '08:30' }] }]);
    expect(await reply(remind)).toContain('Reminders on: a direct message at 08:30 (Asia/Tokyo)');
    expect((await app.learning.reminder({ scope: 'discord', userId: ALICE.id }))?.timezone).toBe('Asia/Tokyo');
  });
});

describe('managers by a Discord role, through discord.js and the fake gateway', () => {
  const SUBCOMMAND = 1;
  const STRING = 3;
  const ROLE = '600000000000000001';

  it('counts the members holding the role chosen with /settings as managers', async () => {
    const fake = await FakeDiscord.start();
    const { app } = testApp(dir);
    const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl });
    const discord = await startDiscord(app, config, silentLogger);
    closers.push(() => fake.close(), () => app.close(), () => discord.stop());
    fake.dispatch('GUILD_ROLE_CREATE', { guild_id: GUILD_ID, role: { id: ROLE, name: 'Leads', permissions: '0', position: 1, color: 0, hoist: false, managed: false, mentionable: true, flags: 0 } });
    const reply = async (payload: { id: string; token: string }) => {
      fake.dispatch('INTERACTION_CREATE', payload);
      return String((await fake.waitForCall(callback(payload))).body.data.content);
    };
    const asLead = <P extends ReturnType<typeof slashCommand>>(p: P): P => ({ ...p, member: { ...p.member, roles: [ROLE] } });
    const subscribe = () => asLead(slashCommand('daily', [{ name: 'subscribe', type: SUBCOMMAND, options: [{ name: 'topics', type: STRING, value: 'kafka' }] }]));

    expect(await reply(subscribe())).toContain('Only channel managers can change daily posts.');
    const set = slashCommand('settings', [{ name: 'set', type: SUBCOMMAND, options: [{ name: 'setting', type: STRING, value: 'managers' }, { name: 'value', type: STRING, value: `<@&${ROLE}>` }] }], { manager: true });
    expect(await reply(set)).toContain(`Managers here are now members of the role \`${ROLE}\``);
    expect(await reply(subscribe())).toContain('Subscribed: this channel gets a concept and a quiz question');
    // Someone without the role is still refused.
    const plain = slashCommand('daily', [{ name: 'pause', type: SUBCOMMAND, options: [] }]);
    expect(await reply(plain)).toContain('Only channel managers can change daily posts.');
  });
});
