import type { Conventions } from '../../core/conventions.js';

/** Names the running app and the generated manifest must agree on. */

/** Where Slack sends events, commands and interactions in HTTP mode. */
export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/health';
/** Distribution (OAuth): where a workspace starts installing, and where Slack sends it back with a code. */
export const INSTALL_PATH = '/slack/install';
export const OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

/** The message shortcut "Explain this": its callback id in the manifest and the listener. */
export const EXPLAIN_SHORTCUT = 'explain_message';

/** The slash command that stands for `help`, and runs any command as `/backfill <command> ...`. */
export const HELP_SLASH_COMMAND = 'backfill';

/** The slash command of a registry command. */
export function slashCommandFor(name: string): string {
  return `/${name === 'help' ? HELP_SLASH_COMMAND : name}`;
}

/** Slack's slash commands take words, like the console; help is `/backfill`. */
export const slackConventions: Conventions = {
  commandName: slashCommandFor,
  managers: 'workspace admins and owners, and the members listed in SLACK_ADMIN_USERS',
  place: 'workspace',
};
