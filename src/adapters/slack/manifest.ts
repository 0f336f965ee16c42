import type { webApi } from '@slack/bolt';
import { type Command } from '../../core/command.js';
import { textConventions } from '../../core/conventions.js';
import { usage } from '../../core/parse.js';
import { truncate } from '../../core/reply.js';
import { EVENTS_PATH, EXPLAIN_SHORTCUT, HELP_SLASH_COMMAND, OAUTH_REDIRECT_PATH, slashCommandFor } from './conventions.js';

export type SlackManifest = webApi.AppsManifestCreateArguments['manifest'];

/**
 * Bot scopes, each for something the adapter does:
 * commands (slash commands), chat:write (post, update, ephemeral answers), chat:write.public
 * (daily posts and shared cards in public channels without an invite), app_mentions:read
 * (@backfill in channels), im:history (message.im: DMs to the bot), im:write (conversations.open:
 * the DM a /review reminder goes to), users:read (users.info for
 * names and admin/owner flags), usergroups:read (usergroups.list: who is in the user group a
 * workspace made its managers with /settings), channels:history and groups:history (after a crash mid-post, find
 * the bot's own post again by the key in its metadata before deciding to re-send it: see
 * "Exactly once" in the README; without them such a post is not re-sent). No message events are
 * subscribed: the bot reads a channel's history only then, and only since that post began.
 */
export const BOT_SCOPES = ['commands', 'chat:write', 'chat:write.public', 'app_mentions:read', 'channels:history', 'groups:history', 'im:history', 'im:write', 'users:read', 'usergroups:read'] as const;

/** app_uninstalled and tokens_revoked need no scope: with OAuth they delete the workspace's tokens. app_home_opened (no scope either) shows a person's progress on the Home tab. */
export const BOT_EVENTS = ['app_mention', 'message.im', 'app_uninstalled', 'tokens_revoked', 'app_home_opened'] as const;

/** Shown on the app's page in Slack (and the Marketplace): Slack asks for 174 to 4000 characters. */
export const LONG_DESCRIPTION = [
  'Backfill teaches data engineering where your team already talks.',
  'Type /explain kafka acks, or ask "what is an xcom?" (typos welcome), and get a short, correct concept card that cites the official documentation, privately, with a button to share it in the channel.',
  'On any message, the shortcut “Explain this” finds the card for what it mentions, for you alone.',
  'Start an in-channel quiz with /quiz kafka 5: answer buttons, a reveal with the reason, and a leaderboard per channel and workspace.',
  'Channels can subscribe to a concept and a quiz question of the day with /daily subscribe, at a time in their own time zone.',
  'It covers Airflow, Hadoop (HDFS, HBase, MapReduce, YARN, Pig, Hive, Oozie, ZooKeeper), Spark, Kafka, dbt and Terraform.',
].join('\n\n');

/** The message shortcut on every message's menu (⋮ → Explain this). */
export const EXPLAIN_MESSAGE_SHORTCUT = {
  type: 'message',
  name: 'Explain this',
  callback_id: EXPLAIN_SHORTCUT,
  description: 'Explain the data-engineering concept this message is about, privately.',
} as const;

/** Limits from the manifest schema. */
const COMMAND_NAME_MAX = 32;
const DESCRIPTION_MAX = 2000;
const USAGE_HINT_MAX = 1000;

/** Every way of running the command, without its own name: "[topics] [1-20] [5s-10m] | stop | skip | review [topics]". */
function usageHint(command: Command): string {
  const prefix = `/${command.name}`;
  const def = command.subcommands.find((s) => s.name === command.defaultSubcommand);
  const subs = def ? [def, ...command.subcommands.filter((s) => s !== def)] : command.subcommands;
  const hint = subs.map((sub) => usage(command, sub, textConventions).slice(prefix.length).trim() || sub.name).join(' | ');
  const example = subs[0]?.examples?.find(Boolean);
  return hint && example ? `${hint}, e.g. ${example}` : hint;
}

function slashCommand(command: Command, requestUrl: string | undefined): NonNullable<NonNullable<SlackManifest['features']>['slash_commands']>[number] {
  const isHelp = command.name === 'help';
  const hint = isHelp ? `[command] [arguments], e.g. explain kafka acks` : usageHint(command);
  return {
    command: slashCommandFor(command.name).slice(0, COMMAND_NAME_MAX),
    description: truncate(isHelp ? `${command.summary}; or run any command, e.g. /${HELP_SLASH_COMMAND} explain kafka acks` : command.summary, DESCRIPTION_MAX),
    ...(hint ? { usage_hint: truncate(hint, USAGE_HINT_MAX) } : {}),
    should_escape: false,
    ...(requestUrl ? { url: requestUrl } : {}),
  };
}

/** The events URL for a public base URL: `https://bot.example.com` → `https://bot.example.com/slack/events`. */
export function eventsUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith(EVENTS_PATH) ? trimmed : `${trimmed}${EVENTS_PATH}`;
}

/** Where Slack sends an installing workspace back (OAuth): `https://bot.example.com/slack/oauth_redirect`. */
export function oauthRedirectUrl(base: string): string {
  return `${eventsUrl(base).slice(0, -EVENTS_PATH.length)}${OAUTH_REDIRECT_PATH}`;
}

/**
 * The app manifest generated from the command registry: Socket Mode by default, or HTTP mode with
 * every request URL pointing at `httpUrl`.
 */
export function slackManifest(commands: readonly Command[], options: { httpUrl?: string } = {}): SlackManifest {
  const requestUrl = options.httpUrl ? eventsUrl(options.httpUrl) : undefined;
  const redirectUrl = options.httpUrl ? oauthRedirectUrl(options.httpUrl) : undefined;
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'Backfill',
      description: 'Data engineering, one concept at a time: concept cards, quizzes and daily posts.',
      background_color: '#1d3557',
      long_description: LONG_DESCRIPTION,
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: 'backfill', always_online: true },
      shortcuts: [{ ...EXPLAIN_MESSAGE_SHORTCUT }],
      slash_commands: commands.map((c) => slashCommand(c, requestUrl)),
    },
    // HTTP mode can install through OAuth too: the redirect URL is Backfill's /slack/oauth_redirect.
    oauth_config: { ...(redirectUrl ? { redirect_urls: [redirectUrl] } : {}), scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      event_subscriptions: { bot_events: [...BOT_EVENTS], ...(requestUrl ? { request_url: requestUrl } : {}) },
      interactivity: { is_enabled: true, ...(requestUrl ? { request_url: requestUrl } : {}) },
      org_deploy_enabled: true,
      socket_mode_enabled: !requestUrl,
      token_rotation_enabled: false,
    },
  };
}

/** The manifest as committed in slack/manifest.json. */
export function manifestJson(commands: readonly Command[], options: { httpUrl?: string } = {}): string {
  return `${JSON.stringify(slackManifest(commands, options), null, 2)}\n`;
}
