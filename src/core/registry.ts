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

  /** The registered command closest to a mistyped name. */
  closest(name: string): Command | undefined {
    const near = closest(name, this.byName.keys());
    return near === undefined ? undefined : this.byName.get(near);
  }
}
