import type { ArgType } from './args.js';
import { defineCommand, arg, hasSubcommands, type Arg, type Command, type Subcommand } from './command.js';
import { textConventions, type Conventions, type LocalCommand } from './conventions.js';
import { example, usage } from './parse.js';
import type { CommandRegistry } from './registry.js';
import { context, fields, reply, text, type Block, type Reply } from './reply.js';
import { closest, quoteUserText } from './text.js';

/** Who may run a subcommand, as people say it. */
export function whoMay(sub: Subcommand): string {
  return sub.who ?? (sub.permission === 'managers' ? 'channel managers' : 'anyone');
}

function shown(a: Arg<unknown>): string | undefined {
  if (a.defaultText) return a.defaultText;
  if (a.default === undefined) return undefined;
  if (a.type.show) return a.type.show(a.default);
  return Array.isArray(a.default) ? a.default.join(', ') : String(a.default);
}

/**
 * What an argument is called in help: as the usage line calls it (`[answer time]`), unless that is
 * its values (`HH:MM`, `week|month|all`) or the platform shows options by name (Discord).
 */
function argLabel(name: string, a: Arg<unknown>, conv: Conventions): string {
  return !conv.namedOptions && /^[a-z][a-z ]*$/.test(a.type.placeholder) ? a.type.placeholder : name;
}

/** One argument for help: what it is, its limits and its default. */
export function describeArg(name: string, a: Arg<unknown>, conv: Conventions = textConventions): string {
  const limits = a.type.limits && !a.description.includes(a.type.limits) ? `, ${a.type.limits}` : '';
  const def = shown(a);
  const tail = a.required ? ' (required)' : def !== undefined ? ` (default: ${def})` : '';
  return `**${argLabel(name, a, conv)}**: ${a.description}${limits}${tail}`;
}

/** The subcommands as people see them: the default first, as the command alone. */
function subcommandsOf(command: Command): Subcommand[] {
  const def = command.subcommands.find((s) => s.name === command.defaultSubcommand);
  return def ? [def, ...command.subcommands.filter((s) => s !== def)] : command.subcommands;
}

/** Every way of running a command, for the list: `/quiz [topics] [1-20] [5s-10m] · stop · skip · review [topics]`. */
function shortUsage(command: Command, conv: Conventions): string {
  const [first, ...others] = subcommandsOf(command);
  const head = usage(command, first!, conv);
  if (!others.length) return head;
  const prefix = `${conv.commandName(command.name)} `;
  return [head, ...others.map((s) => usage(command, s, conv).slice(prefix.length))].join(' · ');
}

/** `/help quiz`: each way of running it, its arguments with limits and defaults, who may, and examples. */
export function commandHelp(command: Command, conv: Conventions): Reply {
  const blocks: Block[] = [text(command.details ?? command.summary)];
  const examples: string[] = [];
  for (const sub of subcommandsOf(command)) {
    const lines = [`**${usage(command, sub, conv)}**`];
    if (hasSubcommands(command)) lines.push(sub.details ?? sub.summary);
    for (const [name, a] of Object.entries(sub.args)) lines.push(`• ${describeArg(name, a, conv)}`);
    if (sub.permission === 'managers' || sub.who) lines.push(`Who: ${whoMay(sub)}`);
    blocks.push(text(lines.join('\n')));
    for (const e of sub.examples ?? []) examples.push(`\`${example(command, sub, e, conv)}\``);
  }
  if (examples.length) blocks.push(context(`Examples: ${examples.join(' · ')}`));
  if (command.aliases.length && !conv.namedOptions) blocks.push(context(`Also typed as ${command.aliases.map((a) => `\`${a}\``).join(', ')} in a message to me.`));
  return reply(blocks, { title: conv.commandName(command.name), ephemeral: true });
}

/** `/help as` in the console: a command only this platform has. */
function localCommandHelp(local: LocalCommand, conv: Conventions): Reply {
  const blocks: Block[] = [text(local.details ?? local.summary), text(`**${local.usage}**`)];
  if (local.examples?.length) blocks.push(context(`Examples: ${local.examples.map((e) => `\`${e}\``).join(' · ')}`));
  if (local.aliases?.length) blocks.push(context(`Also typed as ${local.aliases.map((a) => `\`${conv.commandName(a)}\``).join(', ')}.`));
  return reply(blocks, { title: conv.commandName(local.name ?? ''), ephemeral: true });
}

/** The platform's own command a word names (`quit`, `/exit`), if the platform has one. */
function localCommand(conv: Conventions | undefined, word: string): LocalCommand | undefined {
  const name = word.replace(/^\//, '').toLowerCase();
  return conv?.localCommands?.find((c) => c.name !== undefined && (c.name === name || c.aliases?.includes(name)));
}

/** `/help`: every command, and the platform's own. */
export function helpList(registry: CommandRegistry, conv: Conventions): Reply {
  const entries = registry.all().map((c) => ({ label: shortUsage(c, conv), value: c.summary }));
  for (const local of conv.localCommands ?? []) entries.push({ label: local.usage, value: local.summary });
  return reply(
    [
      fields(entries),
      context(`Ask in your own words: \`${conv.commandName('explain')} what is an xcom?\` works, typos included. \`${conv.commandName('help')} quiz\` shows one command in full.`),
    ],
    { title: 'Backfill: data engineering, one concept at a time', ephemeral: true },
  );
}

/** A word that names a command, for `/help <command>`. */
function commandName(registry: () => CommandRegistry): ArgType<string> {
  return {
    placeholder: 'command',
    what: 'a command',
    read(words, at, conv) {
      const command = registry().get(words[at]!);
      // "/help quiz stop": a subcommand is explained in its command's help.
      const sub = words[at + 1]?.toLowerCase();
      if (command) return { value: command.name, used: sub && command.subcommands.some((s) => s.name !== '' && s.name === sub) ? 2 : 1 };
      const local = localCommand(conv, words[at]!);
      if (local?.name) return { value: local.name, used: 1 };
      const localNames = (conv?.localCommands ?? []).flatMap((c) => (c.name ? [c.name] : []));
      const near = closest(words[at]!.replace(/^\//, '').toLowerCase(), [...registry().all().map((c) => c.name), ...localNames]);
      return { error: `There is no command “${quoteUserText(words[at]!, 40)}”.${near ? ` Did you mean \`/help ${near}\`?` : ''} Type \`/help\` for the list.` };
    },
    vocabulary: () => registry().all().map((c) => c.name),
    complete: (partial) =>
      registry()
        .all()
        .filter((c) => c.name.startsWith(partial.trim().replace(/^\//, '').toLowerCase()))
        .map((c) => ({ label: `/${c.name}: ${c.summary}`, value: c.name })),
    native: { type: 'string', autocomplete: true },
  };
}

/** `/help [command]`, made from the declarations of every command. */
export function helpCommand(registry: () => CommandRegistry): Command {
  return defineCommand({
    name: 'help',
    aliases: ['start', 'commands'],
    summary: 'List the commands, or explain one: usage, defaults, limits and examples',
    args: { command: arg(commandName(registry), { description: 'A command to explain in full' }) },
    examples: ['quiz'],
    async run({ args, conventions }) {
      const command = args.command ? registry().get(args.command) : undefined;
      const local = args.command && !command ? localCommand(conventions, args.command) : undefined;
      if (local) return localCommandHelp(local, conventions);
      return command ? commandHelp(command, conventions) : helpList(registry(), conventions);
    },
  });
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n+/g, ' ');

/** The README's command table, one row per way of running a command (a test keeps the README in step). */
export function commandTable(registry: CommandRegistry): string {
  const rows = ['| command | who | what |', '| --- | --- | --- |'];
  for (const command of registry.all()) {
    for (const sub of subcommandsOf(command)) {
      const what = hasSubcommands(command) ? (sub.details ?? sub.summary) : (command.details ?? command.summary);
      rows.push(`| \`${cell(usage(command, sub, textConventions))}\` | ${cell(whoMay(sub))} | ${cell(what)} |`);
    }
  }
  return rows.join('\n');
}
