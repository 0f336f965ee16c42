import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LIMITS, deployCommands, discordChoices, slashCommand, slashCommands } from '../../src/adapters/discord/commands.js';
import { nativeArgs } from '../../src/adapters/discord/interactions.js';
import { loadConfig, ConfigError } from '../../src/config/env.js';
import { choice, integer, text } from '../../src/core/args.js';
import { arg, defineCommand, subcommand } from '../../src/core/command.js';
import { CommandRegistry } from '../../src/core/registry.js';
import { notice } from '../../src/core/reply.js';
import { testApp } from '../helpers/app.js';
import { REAL_KNOWLEDGE_DIR } from '../helpers/knowledge.js';
import { FakeDiscord } from './fake-discord.js';
import { APPLICATION_ID, GUILD_ID } from './payloads.js';

const { app } = testApp(REAL_KNOWLEDGE_DIR);
afterAll(() => app.close());

const ok = async () => notice('ok');

describe('slash commands generated from the declarations', () => {
  const definitions = slashCommands(app.bot.commands);

  it('has one command per declared command, within Discord limits', () => {
    expect(definitions.map((d) => d.name)).toEqual(app.bot.commands.all().map((c) => c.name));
    const check = (options: NonNullable<(typeof definitions)[number]['options']>) => {
      expect(options.length).toBeLessThanOrEqual(COMMAND_LIMITS.options);
      for (const o of options) {
        expect(o.name).toMatch(/^[-_a-z0-9]{1,32}$/);
        expect(o.description.length).toBeGreaterThan(0);
        expect(o.description.length).toBeLessThanOrEqual(COMMAND_LIMITS.description);
        if (o.type === ApplicationCommandOptionType.Subcommand) {
          check(o.options ?? []);
          continue;
        }
        const choices = 'choices' in o ? (o.choices ?? []) : [];
        expect(choices.length).toBeLessThanOrEqual(COMMAND_LIMITS.choices);
        if (choices.length) expect('autocomplete' in o && o.autocomplete).toBeFalsy();
      }
    };
    for (const d of definitions) {
      expect(d.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(d.description.length).toBeGreaterThan(0);
      expect(d.description.length).toBeLessThanOrEqual(COMMAND_LIMITS.description);
      check(d.options ?? []);
    }
  });

  it('gives /explain a required query with autocomplete', () => {
    const explain = definitions.find((d) => d.name === 'explain');
    expect(explain?.options).toEqual([{ name: 'query', description: 'A concept or a question, e.g. kafka acks', type: ApplicationCommandOptionType.String, required: true, autocomplete: true }]);
  });

  it('makes /quiz and /daily native subcommands with typed options', () => {
    const quiz = definitions.find((d) => d.name === 'quiz')!;
    expect(quiz.options!.map((o) => [o.name, o.type])).toEqual([
      ['start', ApplicationCommandOptionType.Subcommand],
      ['stop', ApplicationCommandOptionType.Subcommand],
      ['skip', ApplicationCommandOptionType.Subcommand],
      ['review', ApplicationCommandOptionType.Subcommand],
    ]);
    const start = quiz.options![0] as unknown as { options: Array<Record<string, unknown>> };
    expect(start.options).toEqual([
      expect.objectContaining({ name: 'topics', type: ApplicationCommandOptionType.String, autocomplete: true, required: false }),
      expect.objectContaining({ name: 'count', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 20 }),
      expect.objectContaining({ name: 'seconds', type: ApplicationCommandOptionType.Integer, min_value: 5, max_value: 600 }),
    ]);
    const daily = definitions.find((d) => d.name === 'daily')!;
    const subscribe = daily.options!.find((o) => o.name === "subscribe") as unknown as { options: Array<Record<string, unknown>> };
    expect(subscribe.options.map((o) => o['name'])).toEqual(['kind', 'time', 'zone', 'topics', 'days']);
    expect(subscribe.options[0]).toMatchObject({ choices: [{ name: 'concept', value: 'concept' }, { name: 'quiz', value: 'quiz' }, { name: 'both', value: 'both' }] });
    expect(subscribe.options[2]).toMatchObject({ name: 'zone', autocomplete: true });
    const leaderboard = definitions.find((d) => d.name === 'leaderboard')!;
    expect(leaderboard.options!.map((o) => o.name)).toEqual(['period', 'where']);
  });

  it('keeps fixed choices, types integers with bounds, and lists required options first', () => {
    const d = slashCommand(
      defineCommand({
        name: 'probe',
        summary: 's'.repeat(100),
        args: {
          period: arg(choice([{ value: 'week' }, { value: 'month' }], 'a period'), { description: 'When' }),
          count: arg(integer({ min: 2, max: 9, label: 'The count' }), { description: 'How many', required: true }),
        },
        run: ok,
      }),
    );
    expect(d.description).toHaveLength(COMMAND_LIMITS.description);
    expect(d.options).toEqual([
      { name: 'count', description: 'How many', type: ApplicationCommandOptionType.Integer, required: true, min_value: 2, max_value: 9 },
      { name: 'period', description: 'When', type: ApplicationCommandOptionType.String, required: false, choices: [{ name: 'week', value: 'week' }, { name: 'month', value: 'month' }] },
    ]);
    expect(d.default_member_permissions).toBeUndefined();
  });

  it('hides /daily (and any command declared for managers) from members without Manage Channels by default', () => {
    const manage = String(PermissionFlagsBits.ManageChannels);
    expect(slashCommand(defineCommand({ name: 'purge', summary: 'Purges', visibleTo: 'managers', args: {}, run: ok })).default_member_permissions).toBe(manage);
    expect(definitions.find((d) => d.name === 'daily')?.default_member_permissions).toBe(manage);
    expect(definitions.find((d) => d.name === 'quiz')?.default_member_permissions).toBeUndefined();
  });

  it('refuses a declaration Discord (or any platform) would reject, when it is made', () => {
    expect(() => defineCommand({ name: 'Has Space', summary: 'x', args: {}, run: ok })).toThrow(/not a command name/);
    expect(() => defineCommand({ name: 'long', summary: 'x'.repeat(101), args: {}, run: ok })).toThrow(/summary must be 1 to 100/);
    expect(() =>
      defineCommand({ name: 'twice', summary: 'x', subcommands: [subcommand({ name: 'a', summary: 'a', args: {}, run: ok }), subcommand({ name: 'a', summary: 'b', args: {}, run: ok })] }),
    ).toThrow(/declared twice/);
    expect(() => defineCommand({ name: 'rests', summary: 'x', args: { a: arg(text({ placeholder: 'a' }), { description: 'a' }), b: arg(text({ placeholder: 'b' }), { description: 'b' }) }, run: ok })).toThrow(/more than one argument that takes the rest/);
    expect(() => new CommandRegistry([defineCommand({ name: 'dup', summary: 'x', args: {}, run: ok }), defineCommand({ name: 'other', aliases: ['dup'], summary: 'x', args: {}, run: ok })])).toThrow(/registered twice/);
  });

  it('reads a slash command\'s subcommand and option values by name', () => {
    expect(nativeArgs([{ name: 'start', type: ApplicationCommandOptionType.Subcommand, options: [{ name: 'count', type: ApplicationCommandOptionType.Integer, value: 5 }, { name: 'topics', type: ApplicationCommandOptionType.String, value: 'kafka' }] }])).toEqual({
      subcommand: 'start',
      values: { count: 5, topics: 'kafka' },
    });
    expect(nativeArgs([{ name: 'query', type: ApplicationCommandOptionType.String, value: 'acks' }])).toEqual({ subcommand: undefined, values: { query: 'acks' } });
  });

  it('offers at most 25 choices with names and values of 1 to 100 characters', () => {
    const choices = discordChoices(app.bot.complete({ command: 'explain', option: 'query', value: '' }).concat([{ label: 'x'.repeat(300), value: 'v' }]));
    expect(choices).toHaveLength(COMMAND_LIMITS.choices);
    for (const c of choices) {
      expect(c.name.length).toBeGreaterThan(0);
      expect(c.name.length).toBeLessThanOrEqual(COMMAND_LIMITS.choiceName);
      expect(app.knowledge.kb.byId.has(c.value)).toBe(true);
    }
  });
});

describe('backfill discord deploy', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterAll(() => fake.close());
  const config = (token: string) => loadConfig({ DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: `${fake.apiUrl}/` });

  it('bulk-overwrites the commands in one server, or globally', async () => {
    expect(await deployCommands(app.bot.commands, config(fake.token), GUILD_ID)).toBe(app.bot.commands.all().length);
    const guild = await fake.waitForCall((c) => c.method === 'PUT' && c.path === `/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`);
    expect(guild.body).toEqual(slashCommands(app.bot.commands));
    await deployCommands(app.bot.commands, config(fake.token));
    await fake.waitForCall((c) => c.method === 'PUT' && c.path === `/applications/${APPLICATION_ID}/commands`);
  });

  it('makes global commands installable on servers and on accounts, usable in servers, the bot’s DMs and other conversations', async () => {
    await deployCommands(app.bot.commands, config(fake.token));
    const global = await fake.waitForCall((c) => c.method === 'PUT' && c.path === `/applications/${APPLICATION_ID}/commands`);
    expect(global.body).toHaveLength(app.bot.commands.all().length);
    for (const command of global.body) {
      expect(command.integration_types).toEqual([0, 1]);
      expect(command.contexts).toEqual([0, 1, 2]);
    }
    // A server's own commands cannot carry them (Discord takes them on global commands only).
    await deployCommands(app.bot.commands, config(fake.token), GUILD_ID);
    const guild = fake.calls.filter((c) => c.method === 'PUT' && c.path === `/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`).at(-1)!;
    for (const command of guild.body) expect(command).not.toHaveProperty('integration_types');
  });

  it('turns a refused token into a configuration problem', async () => {
    fake.failNext({ method: 'PUT', path: /commands$/, status: 401, body: { code: 0, message: '401: Unauthorized' } });
    const err = await deployCommands(app.bot.commands, config('wrong-token')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).lines[0]).toMatch(/^DISCORD_TOKEN: Discord refused the token \(401 Unauthorized\): copy it again from the Developer Portal/);
  });

  it('needs a token and an application id', async () => {
    await expect(deployCommands(new CommandRegistry([]), loadConfig({}))).rejects.toBeInstanceOf(ConfigError);
  });
});
