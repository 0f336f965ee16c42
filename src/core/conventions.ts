/** How commands are named and typed on a platform, for help, usage and refusals. */
export interface Conventions {
  /** How a person types the command here: `/quiz`; on Slack, help is `/backfill`. */
  commandName(name: string): string;
  /** The default subcommand must be named (Discord's native subcommands: `/quiz start`). */
  nameDefaultSubcommand?: boolean;
  /** Arguments are typed as options, `name:value` (Discord). */
  namedOptions?: boolean;
  /** Commands only this platform has (the console's `/as`, `/quit`), for help. */
  localCommands?: ReadonlyArray<{ usage: string; summary: string }>;
  /** Who counts as a channel manager here, for refusals. */
  managers?: string;
}

/** Slash commands with words after them, as typed in the console and on Slack. */
export const textConventions: Conventions = { commandName: (name) => `/${name}` };
