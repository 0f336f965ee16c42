import { editDistance } from '../search/distance.js';
import type { CommandRequest, ActionRequest } from './incoming.js';
import type { Reply } from './reply.js';

export interface CommandOption {
  name: string;
  description: string;
  type: 'string' | 'integer';
  required?: boolean;
  /** Offer concept names as the user types (Discord autocomplete). */
  autocomplete?: boolean;
  choices?: string[];
  /** Takes the rest of the line, spaces included. */
  rest?: boolean;
}

/** A command is data: the same entry serves the console, Slack, Discord and help. */
export interface Command {
  name: string;
  aliases: string[];
  summary: string;
  usage: string;
  options: CommandOption[];
  /**
   * Whether free text (a mention, a DM, a console line without a slash) that starts with this
   * command's name reads as this command: "help me understand xcom" is a question, not /help.
   * Without it, any arguments do.
   */
  accepts?(args: string): boolean;
  /** Only channel managers may run it (Discord default permission: Manage Channels). */
  managersOnly?: boolean;
  run(request: CommandRequest): Promise<Reply>;
}

/** Handles clicks on buttons whose action id starts with `prefix:`. */
export interface ActionHandler {
  prefix: string;
  run(request: ActionRequest, argument: string): Promise<Reply | undefined>;
}

export class CommandRegistry {
  private readonly byName = new Map<string, Command>();
  private readonly list: Command[] = [];

  constructor(commands: Command[]) {
    for (const c of commands) this.add(c);
  }

  add(command: Command): void {
    for (const name of [command.name, ...command.aliases]) {
      if (this.byName.has(name)) throw new Error(`command name "${name}" is registered twice`);
      this.byName.set(name, command);
    }
    this.list.push(command);
  }

  get(name: string): Command | undefined {
    return this.byName.get(name.toLowerCase());
  }

  all(): readonly Command[] {
    return this.list;
  }

  /** The registered name closest to a mistyped one. */
  closest(name: string): Command | undefined {
    let best: { command: Command; distance: number } | undefined;
    for (const [n, command] of this.byName) {
      const d = editDistance(name.toLowerCase(), n);
      if (!best || d < best.distance) best = { command, distance: d };
    }
    // One edit in a short name, more in longer ones: "explian" is explain, "nope" is nothing.
    return best && best.distance <= Math.max(1, Math.floor(name.length / 3)) ? best.command : undefined;
  }
}
