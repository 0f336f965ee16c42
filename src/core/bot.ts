import type { Choice } from './args.js';
import type { ButtonRouter } from './buttons.js';
import type { Command } from './command.js';
import { findSubcommand } from './command.js';
import { textConventions, type Conventions } from './conventions.js';
import { parseCommandText, platformOf, type ActionRequest, type CommandRequest, type Incoming, type User } from './incoming.js';
import type { Logger } from './log.js';
import { parseNative, parseWords, requestedCommand, usage, withoutBotName, withoutCourtesy, type Parsed } from './parse.js';
import type { CommandRegistry } from './registry.js';
import { notice, type Reply } from './reply.js';
import { quoteUserText } from './text.js';

/** A slash and a command word (or a bare slash): "/explain kafka", "/ quiz". */
const SLASH_COMMAND = /^\/\s*(?:[A-Za-z][\w-]*)?(?=\s|$)/;

/** Whether a person who is not a manager on their platform counts as one at an address. */
export type ManagerCheck = (address: string, user: User) => Promise<boolean>;

/** The platform-neutral entry point: every adapter hands it Incoming requests and renders the Reply. */
export class Bot {
  private readonly conventions = new Map<string, Conventions>();
  private managers?: ManagerCheck;
  private homePage?: (address: string, user: User) => Promise<Reply>;

  constructor(
    readonly commands: CommandRegistry,
    readonly buttons: ButtonRouter,
    private readonly log: Logger,
  ) {}

  /** How a platform names commands to people (registered when it starts). */
  useConventions(platform: string, conventions: Conventions): void {
    this.conventions.set(platform, conventions);
  }

  /** Who counts as a manager beyond what the platform says (a role or group a workspace chose). */
  useManagers(check: ManagerCheck): void {
    this.managers = check;
  }

  /** What a person's own page shows (Slack's Home tab); one feature provides it. */
  useHome(page: (address: string, user: User) => Promise<Reply>): void {
    this.homePage = page;
  }

  /** A person's own page, from any address of theirs (their DM with the bot); undefined when no feature provides one. */
  async home(address: string, user: User): Promise<Reply | undefined> {
    if (!this.homePage) return undefined;
    try {
      return await this.homePage(address, user);
    } catch (err) {
      this.log.error(`failed to build the home page in ${address}`, err);
      return notice('Sorry, something went wrong on my side. It has been logged; please try again.');
    }
  }

  conventionsFor(address: string): Conventions {
    return this.conventions.get(platformOf(address)) ?? textConventions;
  }

  async handle(incoming: Incoming): Promise<Reply> {
    return this.guard(incoming, () => (incoming.kind === 'command' ? this.command(incoming) : this.action(incoming)));
  }

  private async guard(incoming: Incoming, work: () => Promise<Reply>): Promise<Reply> {
    try {
      return await work();
    } catch (err) {
      this.log.error(`failed to handle ${incoming.kind} in ${incoming.address}`, err);
      return notice('Sorry, something went wrong on my side. It has been logged; please try again.');
    }
  }

  /**
   * Free text addressed to the bot (a mention, a DM, a console line): a command when it has a
   * slash or reads as one (a command word followed by arguments that parse), otherwise a question
   * for the command that answers free text (`explain`).
   */
  async handleText(address: string, user: User, input: string): Promise<Reply> {
    const line = withoutBotName(input);
    // A slash before a command word; a pasted path ("/user/hive/warehouse permission denied") is a question.
    const slashed = SLASH_COMMAND.test(line);
    const requested = slashed ? undefined : requestedCommand(line);
    const runs = requested && this.commands.get(requested.command) && (requested.about === undefined || this.commands.get(requested.about));
    const { command: word, args } = runs ? requested : parseCommandText(slashed ? line : withoutCourtesy(line));
    const request = (command: string, text: string): CommandRequest => ({ kind: 'command', address, user, command, args: text });
    if (!word) return this.handle(request('help', ''));
    if (slashed) return this.handle(request(word, args));
    const known = this.commands.get(word);
    const question = this.commands.all().find((c) => c.answersFreeText);
    const ask = () => this.handle(question ? request(question.name, line) : request('help', ''));
    if (!known) return ask();
    // "what are kafka acks" reaches explain by its alias "what": the whole line is the question.
    if (known.aliasesAreWords && word !== known.name) return this.handle(request(known.name, line));
    const conv = this.conventionsFor(address);
    const parsed = parseWords(known, args, conv);
    // Not a command after all, unless only a near-miss word stands in the way: then its "did you mean".
    if (!parsed.ok && !parsed.bare && !parsed.nearMiss) return ask();
    const r = request(known.name, args);
    return this.guard(r, () => this.run(known, parsed, r, conv));
  }

  /** Suggestions for an argument being typed (Discord autocomplete). */
  complete(q: { command: string; subcommand?: string; option: string; value: string }): Choice[] {
    const command = this.commands.get(q.command);
    if (!command) return [];
    const sub = q.subcommand ? findSubcommand(command, q.subcommand) : command.subcommands.find((s) => s.name === (command.defaultSubcommand ?? ''));
    return sub?.args[q.option]?.type.complete?.(q.value) ?? [];
  }

  private async command(request: CommandRequest): Promise<Reply> {
    const conv = this.conventionsFor(request.address);
    const command = this.commands.get(request.command || 'help');
    if (!command) {
      // A subcommand typed on its own ("/skip" during a quiz) before a mistyped command name.
      const typed = request.command.toLowerCase();
      const owner = this.commands.ownerOf(typed);
      const closest = this.commands.closest(request.command);
      const meant = owner ? `${conv.commandName(owner.name)} ${typed}` : closest && conv.commandName(closest.name);
      const hint = meant ? ` Did you mean \`${meant}\`?` : '';
      return notice(`Unknown command “/${quoteUserText(request.command, 32)}”.${hint} Type \`${conv.commandName('help')}\` for the list.`);
    }
    const parsed = request.native ? parseNative(command, request.native, conv) : parseWords(command, request.args, conv);
    return this.run(command, parsed, request, conv);
  }

  private async run(command: Command, parsed: Parsed, requested: CommandRequest, conv: Conventions): Promise<Reply> {
    if (!parsed.ok) return notice(parsed.error);
    const { sub, values } = parsed;
    // Only where being a manager matters (a managers' subcommand, or one with its own rule, as /quiz stop): a lookup costs a read.
    const request = sub.permission === 'managers' || sub.who ? await this.withManagers(requested) : requested;
    if (sub.permission === 'managers' && !request.user.isManager) {
      const who = conv.managers ? ` Here, channel managers are ${conv.managers}.` : '';
      return notice(`${sub.refusal ?? `Only channel managers can use \`${usage(command, sub, conv)}\`.`}${who}`);
    }
    if (sub.postsInChannel && request.replyOnly) {
      const name = [conv.commandName(command.name), sub.name].filter(Boolean).join(' ');
      return notice(`\`${name}\` posts in this channel by itself, and I can't post here: ${request.replyOnly}`);
    }
    return sub.run({ args: values, request, user: request.user, address: request.address, conventions: conv });
  }

  /** The request with its person counted as a manager when the workspace's chosen role or group says so. */
  private async withManagers(request: CommandRequest): Promise<CommandRequest> {
    const { user } = request;
    if (!this.managers) return request;
    return !user.isManager && (await this.managers(request.address, user)) ? { ...request, user: { ...user, isManager: true } } : request;
  }

  private async action(request: ActionRequest): Promise<Reply> {
    const found = this.buttons.find(request.action);
    if (!found) return notice('That button is not one of mine, or it has expired.');
    return (await found.button.run(request, found.value)) ?? notice('Done.');
  }
}
