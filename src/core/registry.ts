import type { Command } from './command.js';
import { closest } from './text.js';

export type { Command } from './command.js';

/** The commands of every feature, by name and alias; a name declared twice is refused. */
export class CommandRegistry {
  private readonly byName = new Map<string, Command>();
  private readonly list: Command[] = [];

  constructor(commands: readonly Command[] = []) {
    for (const c of commands) this.add(c);
  }

  add(command: Command): void {
    for (const name of [command.name, ...command.aliases]) {
      if (this.byName.has(name)) throw new Error(`command name "${name}" is registered twice`);
    }
    for (const name of [command.name, ...command.aliases]) this.byName.set(name, command);
    this.list.push(command);
  }

  get(name: string): Command | undefined {
    return this.byName.get(name.replace(/^\//, '').toLowerCase());
  }

  all(): readonly Command[] {
    return this.list;
  }

  /** The one command that has a subcommand of this name ("skip" is `/quiz skip`), if only one has. */
  ownerOf(subcommand: string): Command | undefined {
    const owners = this.list.filter((c) => c.subcommands.some((s) => s.name !== '' && s.name === subcommand));
    return owners.length === 1 ? owners[0] : undefined;
  }

  /** The registered command closest to a mistyped name. */
  closest(name: string): Command | undefined {
    const near = closest(name, this.byName.keys());
    return near === undefined ? undefined : this.byName.get(near);
  }
}
