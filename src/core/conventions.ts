/** How commands are named and typed on a platform, for help, usage and refusals. */
export interface Conventions {
  /** How a person types the command here: `/quiz`; on Slack, help is `/backfill`. */
  commandName(name: string): string;
  /** The default subcommand must be named (Discord's native subcommands: `/quiz start`). */
  nameDefaultSubcommand?: boolean;
  /** Arguments are typed as options, `name:value` (Discord). */
  namedOptions?: boolean;
  /** Commands only this platform has (the console's `/as`, `/quit`), for help. */
  localCommands?: readonly LocalCommand[];
  /** Who counts as a channel manager here, for refusals. */
  managers?: string;
  /** What the place a channel belongs to is called here ("workspace", "server"): its leaderboard and settings span it. */
  place?: string;
}

/** A command only one platform has, as its `/help` shows it. */
export interface LocalCommand {
  /** The word `/help` takes for it (`as`); none for what is not typed as a command (a button's number). */
  name?: string;
  /** Other words for it (`exit`). */
  aliases?: readonly string[];
  usage: string;
  summary: string;
  /** What `/help NAME` says it does; the summary when not given. */
  details?: string;
  examples?: readonly string[];
}

/** The place a channel belongs to, as a message names it: "this server"; both names where the platform is not known. */
export function thisPlace(conv: Conventions): string {
  return `this ${conv.place ?? 'workspace or server'}`;
}

/** Slash commands with words after them, as typed in the console and on Slack. */
export const textConventions: Conventions = { commandName: (name) => `/${name}` };
