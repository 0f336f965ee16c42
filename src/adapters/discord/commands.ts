import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  DiscordAPIError,
  PermissionFlagsBits,
  REST,
  Routes,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOptionChoice,
  type RESTOptions,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { ConfigError, type Config } from '../../config/env.js';
import type { Command, CommandOption, CommandRegistry } from '../../core/registry.js';
import { truncate } from '../../core/reply.js';
import type { Concept } from '../../knowledge/schema.js';
import { configProblem } from './errors.js';

/** Discord's application-command limits. */
export const COMMAND_LIMITS = { name: 32, description: 100, options: 25, choices: 25, choiceName: 100, choiceValue: 100 } as const;

const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

/** Commands that change a channel's set-up: hidden from members without Manage Channels by default. */
const MANAGER_COMMANDS = new Set(['daily']);

function checkedName(name: string, what: string): string {
  if (!NAME.test(name)) throw new Error(`${what} "${name}" is not a valid Discord command name (lowercase, 1–32 letters, digits, - or _)`);
  return name;
}

const description = (value: string, fallback: string) => truncate(value.trim(), COMMAND_LIMITS.description) || fallback;

function option(o: CommandOption): APIApplicationCommandBasicOption {
  const base = { name: checkedName(o.name, 'option'), description: description(o.description, o.name), required: o.required ?? false };
  const choices = o.choices?.slice(0, COMMAND_LIMITS.choices);
  if (o.type === 'integer') {
    return {
      ...base,
      type: ApplicationCommandOptionType.Integer,
      ...(choices?.length ? { choices: choices.map((c) => ({ name: truncate(c, COMMAND_LIMITS.choiceName), value: Number(c) })) } : { autocomplete: o.autocomplete ?? false }),
    };
  }
  return {
    ...base,
    type: ApplicationCommandOptionType.String,
    // Discord allows choices or autocomplete on an option, not both; fixed choices are the stricter.
    ...(choices?.length
      ? { choices: choices.map((c) => ({ name: truncate(c, COMMAND_LIMITS.choiceName), value: c.slice(0, COMMAND_LIMITS.choiceValue) })) }
      : { autocomplete: o.autocomplete ?? false }),
  };
}

/** One slash command per registry entry; aliases stay text-only (mentions, DMs, the console). */
export function slashCommand(command: Command): RESTPostAPIChatInputApplicationCommandsJSONBody {
  // Discord wants required options first; the arguments are still read back in registry order.
  const options = [...command.options].sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false)).slice(0, COMMAND_LIMITS.options);
  return {
    type: ApplicationCommandType.ChatInput,
    name: checkedName(command.name, 'command'),
    description: description(command.summary, command.name),
    options: options.map(option),
    ...(command.managersOnly || MANAGER_COMMANDS.has(command.name) ? { default_member_permissions: String(PermissionFlagsBits.ManageChannels) } : {}),
  };
}

export function slashCommands(registry: CommandRegistry): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return registry.all().map(slashCommand);
}

/**
 * The argument line a slash command stands for, options in registry order, so
 * `/quiz topic:kafka count:5` reaches the core as `quiz kafka 5`, as if typed.
 */
export function argsFromOptions(command: Command, valueOf: (name: string) => string | number | boolean | null | undefined): string {
  return command.options
    .map((o) => valueOf(o.name))
    .filter((v) => v !== undefined && v !== null && String(v).trim() !== '')
    .map((v) => String(v).trim())
    .join(' ');
}

/** Autocomplete choices for concepts: the title and topic shown, the concept id sent (an exact match for search). */
export function conceptChoices(concepts: readonly Concept[]): APIApplicationCommandOptionChoice<string>[] {
  return concepts
    .filter((c) => c.id.length <= COMMAND_LIMITS.choiceValue)
    .slice(0, COMMAND_LIMITS.choices)
    .map((c) => ({ name: truncate(`${c.title} · ${c.topic}`, COMMAND_LIMITS.choiceName), value: c.id }));
}

/** REST options honouring DISCORD_API_URL (a local fake in tests). */
export function restOptions(config: Pick<Config, 'DISCORD_API_URL'>): Partial<RESTOptions> {
  return config.DISCORD_API_URL ? { api: config.DISCORD_API_URL.replace(/\/+$/, '') } : {};
}

/**
 * Registers the slash commands by bulk overwrite: in one server (applies at once, for testing) or
 * globally. Returns how many Discord now holds.
 */
export async function deployCommands(registry: CommandRegistry, config: Config, guildId?: string): Promise<number> {
  const { DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: applicationId } = config;
  if (!token || !applicationId) throw new ConfigError(['DISCORD_TOKEN: required, with DISCORD_APPLICATION_ID, to deploy the slash commands']);
  const rest = new REST(restOptions(config)).setToken(token);
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  try {
    const saved = (await rest.put(route, { body: slashCommands(registry) })) as unknown[];
    return saved.length;
  } catch (err) {
    throw configProblem(err, config) ?? commandsRefused(err, guildId) ?? err;
  }
}

function commandsRefused(err: unknown, guildId: string | undefined): ConfigError | undefined {
  if (!(err instanceof DiscordAPIError) || (err.status !== 403 && err.status !== 404)) return undefined;
  const where = guildId ? `the server ${guildId} (is the bot in it?)` : 'this application';
  return new ConfigError([`DISCORD_APPLICATION_ID: Discord refused the commands for ${where}: ${err.status} ${err.message}`]);
}
