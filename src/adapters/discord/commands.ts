import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  DiscordAPIError,
  InteractionContextType,
  PermissionFlagsBits,
  REST,
  Routes,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOptionChoice,
  type APIApplicationCommandSubcommandOption,
  type RESTOptions,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { ConfigError, type Config } from '../../config/env.js';
import type { Choice } from '../../core/args.js';
import { hasSubcommands, type Arg, type Command, type Subcommand } from '../../core/command.js';
import type { CommandRegistry } from '../../core/registry.js';
import { truncate } from '../../core/reply.js';
import { configProblem } from './errors.js';

/** Discord's application-command limits. */
export const COMMAND_LIMITS = { name: 32, description: 100, options: 25, choices: 25, choiceName: 100, choiceValue: 100 } as const;

const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

function checkedName(name: string, what: string): string {
  if (!NAME.test(name)) throw new Error(`${what} "${name}" is not a valid Discord command name (lowercase, 1–32 letters, digits, - or _)`);
  return name;
}

const description = (value: string, fallback: string) => truncate(value.trim(), COMMAND_LIMITS.description) || fallback;

/** Choices within Discord's limits: at most 25, names and values 1–100 characters. */
export function discordChoices(choices: readonly Choice[]): APIApplicationCommandOptionChoice<string>[] {
  return choices
    .filter((c) => c.value.length >= 1 && c.value.length <= COMMAND_LIMITS.choiceValue)
    .slice(0, COMMAND_LIMITS.choices)
    .map((c) => ({ name: truncate(c.label, COMMAND_LIMITS.choiceName) || c.value, value: c.value }));
}

/** A declared argument as a typed Discord option: integers with bounds, fixed choices, or autocomplete. */
function option(name: string, a: Arg<unknown>): APIApplicationCommandBasicOption {
  const base = { name: checkedName(name, 'option'), description: description(a.description, name), required: a.required };
  const native = a.type.native;
  if (native.type === 'integer') {
    return {
      ...base,
      type: ApplicationCommandOptionType.Integer,
      ...(native.min !== undefined ? { min_value: native.min } : {}),
      ...(native.max !== undefined ? { max_value: native.max } : {}),
    };
  }
  // Discord allows choices or autocomplete on an option, not both; fixed choices are the stricter.
  const choices = native.choices?.length ? discordChoices(native.choices) : undefined;
  return { ...base, type: ApplicationCommandOptionType.String, ...(choices ? { choices } : { autocomplete: native.autocomplete ?? false }) };
}

/** A subcommand's arguments as options; Discord wants required ones first (values are read back by name). */
function options(sub: Subcommand): APIApplicationCommandBasicOption[] {
  const args = Object.entries(sub.args);
  return [...args.filter(([, a]) => a.required), ...args.filter(([, a]) => !a.required)].slice(0, COMMAND_LIMITS.options).map(([name, a]) => option(name, a));
}

/**
 * One slash command per declared command: native subcommands (`/quiz start`, `/daily subscribe`)
 * with typed options. Aliases stay text-only (mentions, DMs, the console).
 */
export function slashCommand(command: Command): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const body: RESTPostAPIChatInputApplicationCommandsJSONBody = {
    type: ApplicationCommandType.ChatInput,
    name: checkedName(command.name, 'command'),
    description: description(command.summary, command.name),
    options: hasSubcommands(command)
      ? command.subcommands.slice(0, COMMAND_LIMITS.options).map(
          (sub): APIApplicationCommandSubcommandOption => ({
            type: ApplicationCommandOptionType.Subcommand,
            name: checkedName(sub.name, 'subcommand'),
            description: description(sub.summary, sub.name),
            options: options(sub),
          }),
        )
      : options(command.subcommands[0]!),
  };
  if (command.visibleTo === 'managers') body.default_member_permissions = String(PermissionFlagsBits.ManageChannels);
  return body;
}

export function slashCommands(registry: CommandRegistry): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return registry.all().map(slashCommand);
}

/**
 * A global command installable on servers and on people's accounts, usable in servers, in DMs with
 * the bot and in other conversations: a person who installed Backfill can /explain anywhere.
 * Discord takes these fields on global commands only (a server's commands are that server's).
 * Where the bot is not a member it can only answer; commands that post later are refused there.
 */
export function installableAnywhere(command: RESTPostAPIChatInputApplicationCommandsJSONBody): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    ...command,
    integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel],
  };
}

/** REST options honouring DISCORD_API_URL (a local fake in tests). */
export function restOptions(config: Pick<Config, 'DISCORD_API_URL'>): Partial<RESTOptions> {
  return config.DISCORD_API_URL ? { api: config.DISCORD_API_URL.replace(/\/+$/, '') } : {};
}

/**
 * Registers the slash commands by bulk overwrite: in one server (applies at once, for testing) or
 * globally, installable on servers and accounts. Returns how many Discord now holds.
 */
export async function deployCommands(registry: CommandRegistry, config: Config, guildId?: string): Promise<number> {
  const { DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: applicationId } = config;
  if (!token || !applicationId) throw new ConfigError(['DISCORD_TOKEN: required, with DISCORD_APPLICATION_ID, to deploy the slash commands']);
  const rest = new REST(restOptions(config)).setToken(token);
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  try {
    const commands = slashCommands(registry);
    const saved = (await rest.put(route, { body: guildId ? commands : commands.map(installableAnywhere) })) as unknown[];
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
