import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argsFromOptions, COMMAND_LIMITS, conceptChoices, deployCommands, slashCommand, slashCommands } from '../../src/adapters/discord/commands.js';
import { loadConfig, ConfigError } from '../../src/config/env.js';
import { CommandRegistry, type Command } from '../../src/core/registry.js';
import { notice } from '../../src/core/reply.js';
import { testApp } from '../helpers/app.js';
import { REAL_KNOWLEDGE_DIR } from '../helpers/knowledge.js';
import { FakeDiscord } from './fake-discord.js';
import { APPLICATION_ID, GUILD_ID } from './payloads.js';

const { app } = testApp(REAL_KNOWLEDGE_DIR);
afterAll(() => app.close());

const command = (c: Partial<Command> & Pick<Command, 'name'>): Command => ({ aliases: [], summary: `Does ${c.name}`, usage: c.name, options: [], run: async () => notice('ok'), ...c });

describe('slash commands generated from the registry', () => {
  const definitions = slashCommands(app.bot.commands);

  it('has one command per registry entry, within Discord limits', () => {
    expect(definitions.map((d) => d.name)).toEqual(app.bot.commands.all().map((c) => c.name));
    for (const d of definitions) {
      expect(d.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(d.description.length).toBeGreaterThan(0);
      expect(d.description.length).toBeLessThanOrEqual(COMMAND_LIMITS.description);
      expect(d.options!.length).toBeLessThanOrEqual(COMMAND_LIMITS.options);
      for (const o of d.options ?? []) {
        expect(o.description.length).toBeLessThanOrEqual(COMMAND_LIMITS.description);
        const choices = 'choices' in o ? (o.choices ?? []) : [];
        expect(choices.length).toBeLessThanOrEqual(COMMAND_LIMITS.choices);
        if (choices.length) expect('autocomplete' in o && o.autocomplete).toBeFalsy();
      }
    }
  });

  it('gives /explain a required query with autocomplete', () => {
    const explain = definitions.find((d) => d.name === 'explain');
    expect(explain?.options).toEqual([{ name: 'query', description: 'A concept or a question, e.g. kafka acks', type: ApplicationCommandOptionType.String, required: true, autocomplete: true }]);
  });

  it('keeps fixed choices, types integers, and lists required options first', () => {
    const d = slashCommand(
      command({
        name: 'probe',
        summary: 's'.repeat(150),
        options: [
          { name: 'period', description: 'When', type: 'string', choices: ['week', 'month'] },
          { name: 'count', description: 'How many', type: 'integer', required: true },
        ],
      }),
    );
    expect(d.description).toHaveLength(COMMAND_LIMITS.description);
    expect(d.options).toEqual([
      { name: 'count', description: 'How many', type: ApplicationCommandOptionType.Integer, required: true, autocomplete: false },
      { name: 'period', description: 'When', type: ApplicationCommandOptionType.String, required: false, choices: [{ name: 'week', value: 'week' }, { name: 'month', value: 'month' }] },
    ]);
    expect(d.default_member_permissions).toBeUndefined();
  });

  it('hides manager commands and /daily from members without Manage Channels by default', () => {
    const manage = String(PermissionFlagsBits.ManageChannels);
    expect(slashCommand(command({ name: 'purge', managersOnly: true })).default_member_permissions).toBe(manage);
    expect(slashCommand(command({ name: 'daily' })).default_member_permissions).toBe(manage);
  });

  it('refuses a registry name Discord would reject', () => {
    expect(() => slashCommand(command({ name: 'Has Space' }))).toThrow(/not a valid Discord command name/);
  });

  it('reads options back into an argument line in registry order', () => {
    const quiz = command({
      name: 'quiz',
      options: [
        { name: 'topic', description: 't', type: 'string' },
        { name: 'count', description: 'c', type: 'integer' },
      ],
    });
    const given: Record<string, string | number> = { count: 5, topic: 'kafka' };
    expect(argsFromOptions(quiz, (n) => given[n])).toBe('kafka 5');
    expect(argsFromOptions(quiz, (n) => (n === 'count' ? 3 : undefined))).toBe('3');
  });

  it('offers at most 25 concept choices with names of 1 to 100 characters', () => {
    const choices = conceptChoices(app.knowledge.search.complete('', 40));
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

  it('turns a refused token into a configuration problem', async () => {
    fake.failNext({ method: 'PUT', path: /commands$/, status: 401, body: { code: 0, message: '401: Unauthorized' } });
    const err = await deployCommands(app.bot.commands, config('wrong-token')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).lines[0]).toMatch(/^DISCORD_TOKEN: Discord refused the token/);
  });

  it('needs a token and an application id', async () => {
    await expect(deployCommands(new CommandRegistry([]), loadConfig({}))).rejects.toBeInstanceOf(ConfigError);
  });
});
