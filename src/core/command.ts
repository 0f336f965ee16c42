import type { ArgType } from './args.js';
import type { Conventions } from './conventions.js';
import type { CommandRequest, User } from './incoming.js';
import type { Reply } from './reply.js';

/** An argument of a command: its type, what it is for, and whether it has a default or is required. */
export interface Arg<T> {
  type: ArgType<unknown>;
  description: string;
  required: boolean;
  /** The value when it is not given (undefined: the handler decides, e.g. "keep what it was"). */
  default?: unknown;
  /** How the default is said in help when it is not a plain value ("all topics", "the server's zone"). */
  defaultText?: string;
  /** Phantom: the value type the handler sees. */
  readonly __value?: T;
}

/** An argument with a default: the handler always gets a value. */
export function arg<T>(type: ArgType<T>, o: { description: string; default: NoInfer<T>; defaultText?: string }): Arg<T>;
/** A required argument. */
export function arg<T>(type: ArgType<T>, o: { description: string; required: true }): Arg<T>;
/** An optional argument: undefined when not given. */
export function arg<T>(type: ArgType<T>, o: { description: string; defaultText?: string }): Arg<T | undefined>;
export function arg<T>(type: ArgType<T>, o: { description: string; default?: T; defaultText?: string; required?: boolean }): Arg<T> {
  return { type: type as ArgType<unknown>, description: o.description, required: o.required ?? false, default: o.default, defaultText: o.defaultText };
}

export type ArgShape = Record<string, Arg<unknown>>;
export type ArgValues<A extends ArgShape> = { [K in keyof A]: A[K] extends Arg<infer T> ? T : never };

/** Who may run a subcommand. Channel managers: Discord's Manage Channels; Slack's admins and owners, or SLACK_ADMIN_USERS. */
export type Permission = 'anyone' | 'managers';

/** What a handler gets: the parsed arguments and the request they came with. */
export interface Call<V> {
  args: V;
  request: CommandRequest;
  user: User;
  address: string;
  /** How commands are named where the request came from, to name them back. */
  conventions: Conventions;
}

export interface SubcommandSpec<A extends ArgShape> {
  /** Its name after the command's (`stop` in `/quiz stop`); '' for a command without subcommands. */
  name: string;
  aliases?: string[];
  /** One line, at most 100 characters (Discord's limit): for menus, the manifest and the help list. */
  summary: string;
  /** More, for `/help <command>` and the README (Markdown). */
  details?: string;
  permission?: Permission;
  /** Who may run it, for people: "starter or manager". Defaults to the permission. */
  who?: string;
  /** What a person without the permission is told. */
  refusal?: string;
  /**
   * It goes on to post in the channel by itself (a quiz's questions, daily posts), so it is refused
   * where the bot can only answer the request (see `CommandRequest.replyOnly`).
   */
  postsInChannel?: boolean;
  args: A;
  /** Words of plain English that say nothing about the arguments: "quiz **me on** kafka". */
  filler?: string[];
  /** Example argument lines, as typed after the command (and subcommand): "kafka 3". */
  examples?: string[];
  run(call: Call<ArgValues<A>>): Promise<Reply>;
}

/** A subcommand with its argument types erased, as the registry holds it. */
export interface Subcommand extends Omit<SubcommandSpec<ArgShape>, 'run'> {
  run(call: Call<Record<string, unknown>>): Promise<Reply>;
}

/** A subcommand whose handler sees its arguments typed. */
export function subcommand<A extends ArgShape>(spec: SubcommandSpec<A>): Subcommand {
  return spec as unknown as Subcommand;
}

/** A command: the one declaration the parser, help, README, Slack manifest and Discord commands come from. */
export interface Command {
  name: string;
  /** Other words that run it in text (not slash commands on Slack or Discord). */
  aliases: string[];
  summary: string;
  details?: string;
  /** Discord: shown by default only to members with Manage Channels (server settings can change who sees it). */
  visibleTo?: 'managers';
  /** In free text, an alias is part of the question: "what are kafka acks" asks "what are kafka acks". */
  aliasesAreWords?: boolean;
  /** Free text that reads as no command is a question for this command (`explain`). */
  answersFreeText?: boolean;
  /** Its subcommands; a command without any has one, named ''. */
  subcommands: Subcommand[];
  /** The subcommand that runs when the first word names none (`/quiz kafka` starts a quiz). */
  defaultSubcommand?: string;
}

interface CommandBase {
  name: string;
  aliases?: string[];
  summary: string;
  details?: string;
  visibleTo?: 'managers';
  aliasesAreWords?: boolean;
  answersFreeText?: boolean;
}

/** A command without subcommands: its arguments and handler. */
export function defineCommand<A extends ArgShape>(spec: CommandBase & Omit<SubcommandSpec<A>, 'name' | 'summary' | 'details' | 'aliases'>): Command;
/** A command with subcommands; `default` runs when the first word names none. */
export function defineCommand(spec: CommandBase & { subcommands: Subcommand[]; default?: string }): Command;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function defineCommand(spec: any): Command {
  const base = { name: spec.name, aliases: spec.aliases ?? [], summary: spec.summary, details: spec.details, visibleTo: spec.visibleTo, aliasesAreWords: spec.aliasesAreWords, answersFreeText: spec.answersFreeText };
  if (Array.isArray(spec['subcommands'])) {
    const subs = spec['subcommands'] as Subcommand[];
    const def = spec['default'] as string | undefined;
    checkCommand({ ...base, subcommands: subs, defaultSubcommand: def });
    return { ...base, subcommands: subs, defaultSubcommand: def };
  }
  const { name: _n, aliases: _a, summary, details, visibleTo: _v, aliasesAreWords: _w, answersFreeText: _f, ...leaf } = spec;
  const only = { ...(leaf as unknown as Omit<Subcommand, 'name' | 'summary'>), name: '', summary, details } as Subcommand;
  const command = { ...base, subcommands: [only], defaultSubcommand: '' };
  checkCommand(command);
  return command;
}

const NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/** Declarations are checked once, when they are made: a bad name is a bug, found by any test. */
function checkCommand(c: Command): void {
  const problems: string[] = [];
  if (!NAME.test(c.name)) problems.push(`"${c.name}" is not a command name (lowercase letters, digits, - or _, at most 32)`);
  if (!c.summary.trim() || c.summary.length > 100) problems.push(`its summary must be 1 to 100 characters`);
  const subNames = new Set<string>();
  for (const sub of c.subcommands) {
    for (const n of [sub.name, ...(sub.aliases ?? [])]) {
      if (subNames.has(n)) problems.push(`subcommand "${n}" is declared twice`);
      subNames.add(n);
    }
    if (sub.name && !NAME.test(sub.name)) problems.push(`"${sub.name}" is not a subcommand name`);
    if (!sub.summary.trim() || sub.summary.length > 100) problems.push(`the summary of "${sub.name}" must be 1 to 100 characters`);
    const args = Object.entries(sub.args);
    if (args.length > 25) problems.push(`"${sub.name}" has more than 25 arguments`);
    for (const [name, a] of args) {
      if (!NAME.test(name)) problems.push(`"${name}" is not an argument name`);
      if (a.description.length < 1 || a.description.length > 100) problems.push(`the description of argument "${name}" must be 1 to 100 characters`);
    }
    if (args.filter(([, a]) => a.type.rest).length > 1) problems.push(`"${sub.name}" has more than one argument that takes the rest of the line`);
  }
  if (c.subcommands.length > 1 && c.subcommands.some((s) => !s.name)) problems.push('a command with several subcommands must name each');
  if (c.defaultSubcommand !== undefined && !c.subcommands.some((s) => s.name === c.defaultSubcommand)) problems.push(`its default "${c.defaultSubcommand}" is not one of its subcommands`);
  if (problems.length) throw new Error(`command /${c.name}: ${problems.join('; ')}`);
}

/** The subcommand a name or alias selects. */
export function findSubcommand(command: Command, word: string): Subcommand | undefined {
  const w = word.toLowerCase();
  return command.subcommands.find((s) => s.name !== '' && (s.name === w || (s.aliases ?? []).includes(w)));
}

/** Whether the command has named subcommands (`/quiz stop`), as opposed to arguments only. */
export const hasSubcommands = (c: Command) => c.subcommands.some((s) => s.name !== '');
