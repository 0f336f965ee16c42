import { quoteUserText } from './cards.js';
import { parseCommandText, type ActionRequest, type CommandRequest, type Incoming, type User } from './incoming.js';
import type { Logger } from './log.js';
import type { ActionHandler, CommandRegistry } from './registry.js';
import { notice, type Reply } from './reply.js';

/** The platform-neutral entry point: every adapter hands it Incoming requests and renders the Reply. */
export class Bot {
  private readonly actions: Map<string, ActionHandler>;

  constructor(
    readonly commands: CommandRegistry,
    actions: ActionHandler[],
    private readonly log: Logger,
  ) {
    this.actions = new Map(actions.map((a) => [a.prefix, a]));
  }

  async handle(incoming: Incoming): Promise<Reply> {
    try {
      return incoming.kind === 'command' ? await this.command(incoming) : await this.action(incoming);
    } catch (err) {
      this.log.error(`failed to handle ${incoming.kind} in ${incoming.address}`, err);
      return notice('Sorry, something went wrong on my side. It has been logged; please try again.');
    }
  }

  /**
   * Free text addressed to the bot (a mention, a DM, a console line): a command when it has a
   * slash or reads as one (a command word followed by arguments that parse), otherwise a question
   * for `explain`.
   */
  async handleText(address: string, user: User, input: string): Promise<Reply> {
    const { command, args } = parseCommandText(input);
    const slashed = input.trim().startsWith('/');
    if (!command) return this.handle({ kind: 'command', address, user, command: 'help', args: '' });
    const known = this.commands.get(command);
    // "what are kafka acks" reaches explain by its alias "what": the whole line is the question.
    if (!slashed && known?.name === 'explain' && command !== 'explain') return this.handle({ kind: 'command', address, user, command: 'explain', args: input.trim() });
    if (slashed || (known && (known.accepts?.(args) ?? true))) return this.handle({ kind: 'command', address, user, command, args });
    return this.handle({ kind: 'command', address, user, command: 'explain', args: input.trim() });
  }

  private async command(request: CommandRequest): Promise<Reply> {
    const command = this.commands.get(request.command || 'help');
    if (!command) {
      const closest = this.commands.closest(request.command);
      const hint = closest ? ` Did you mean \`/${closest.name}\`?` : '';
      return notice(`Unknown command “/${quoteUserText(request.command, 32)}”.${hint} Type \`/help\` for the list.`);
    }
    if (command.managersOnly && !request.user.isManager) {
      return notice(`Only channel managers can use \`/${command.name}\` this way.`);
    }
    return command.run(request);
  }

  private async action(request: ActionRequest): Promise<Reply> {
    const [prefix = '', ...rest] = request.action.split(':');
    const handler = this.actions.get(prefix);
    if (!handler) return notice('That button is not one of mine, or it has expired.');
    return (await handler.run(request, rest.join(':'))) ?? notice('Done.');
  }
}
