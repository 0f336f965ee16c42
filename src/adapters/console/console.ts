import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Bot } from '../../core/bot.js';
import type { User } from '../../core/incoming.js';
import type { Reply } from '../../core/reply.js';
import type { Messenger, PostedMessage, Recovery } from '../../core/services.js';
import { renderForTerminal } from './render.js';

export const CONSOLE_ADDRESS = 'console:local';

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  /** A person at a terminal: show a prompt and colours. */
  interactive: boolean;
}

function consoleUser(name: string): User {
  return { id: `console:${name}`, name, isManager: true };
}

/**
 * The terminal as a chat channel. Lines are commands or questions; a number clicks that button of
 * the latest message with buttons; `/as NAME` speaks as another person, so a quiz with several
 * players can be played (and tested) in one terminal.
 */
export class ConsoleAdapter implements Messenger {
  private user = consoleUser('you');
  private actions: string[] = [];
  private lastMessageWithButtons?: string;
  private nextMessageId = 1;
  private bot?: Bot;
  /** A prompt is on screen, waiting for the user's line. */
  private prompting = false;

  constructor(private readonly options: ConsoleOptions) {}

  attach(bot: Bot): void {
    this.bot = bot;
  }

  async send(address: string, reply: Reply): Promise<PostedMessage> {
    const messageId = String(this.nextMessageId++);
    this.pushed(reply, messageId);
    return { address, messageId };
  }

  /**
   * A send interrupted by the end of the process: the terminal it printed to is gone with it, and a
   * new console is a new screen, so nothing can be there to find. Print it (again).
   */
  async recover(): Promise<Recovery> {
    return { absent: true };
  }

  async update(message: PostedMessage, reply: Reply): Promise<void> {
    if (message.messageId === this.lastMessageWithButtons && !reply.blocks.some((b) => b.type === 'buttons')) this.actions = [];
    this.pushed(reply, message.messageId);
  }

  /** A message that arrives on its own (a reveal, the next question): printed above a fresh prompt. */
  private pushed(reply: Reply, messageId: string): void {
    if (!this.prompting) return this.print(reply, messageId);
    this.write('\n');
    this.print(reply, messageId);
    this.prompt();
  }

  private prompt(): void {
    if (!this.options.interactive) return;
    this.write(`${this.user.name}> `);
    this.prompting = true;
  }

  /** Reads lines until the input ends. */
  async run(): Promise<void> {
    const rl = createInterface({ input: this.options.input, terminal: false });
    if (this.options.interactive) {
      this.write('Backfill console. Ask a question (e.g. "kafka acks"), type /help, or /quit to leave.\n');
    }
    this.prompt();
    for await (const line of rl) {
      this.prompting = false;
      const keepGoing = await this.line(line);
      if (!keepGoing) break;
      this.prompt();
    }
    rl.close();
  }

  /** Handles one line; false when the user asked to leave. */
  async line(raw: string): Promise<boolean> {
    const input = raw.trim();
    if (!input) return true;
    if (/^\/(quit|exit)$/i.test(input)) return false;
    const as = /^\/as(?:\s+(.*))?$/i.exec(input);
    if (as) {
      const name = (as[1] ?? '').trim().replace(/\s+/g, '-').slice(0, 32);
      if (!name) this.write('Usage: /as NAME, e.g. /as alice\n');
      else {
        this.user = consoleUser(name);
        this.write(`Now speaking as ${name}.\n`);
      }
      return true;
    }
    if (!this.bot) throw new Error('console adapter used before a bot was attached');
    if (/^\d+$/.test(input)) {
      const action = this.actions[Number(input) - 1];
      if (!action) {
        this.write(this.actions.length ? `Pick a number from 1 to ${this.actions.length}.\n` : 'There are no buttons to press right now.\n');
        return true;
      }
      const reply = await this.bot.handle({ kind: 'action', address: CONSOLE_ADDRESS, user: this.user, action, messageId: this.lastMessageWithButtons });
      this.print(reply);
      return true;
    }
    this.print(await this.bot.handleText(CONSOLE_ADDRESS, this.user, input));
    return true;
  }

  private print(reply: Reply, messageId?: string): void {
    const { text, actions } = renderForTerminal(reply, { color: this.options.interactive });
    if (actions.length) {
      this.actions = actions;
      this.lastMessageWithButtons = messageId;
    }
    this.write(`${text}\n\n`);
  }

  private write(s: string): void {
    this.options.output.write(s);
  }
}
