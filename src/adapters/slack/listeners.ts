import type { App } from '@slack/bolt';
import type { Bot } from '../../core/bot.js';
import type { User } from '../../core/incoming.js';
import type { Logger } from '../../core/log.js';
import type { Reply } from '../../core/reply.js';
import { slackAddress } from './address.js';
import { HELP_SLASH_COMMAND } from './conventions.js';
import { homeChannel, registerHome } from './home.js';
import type { SlackMessenger } from './messenger.js';
import { buttonAction, renderReply } from './render.js';
import { responder, type Respond } from './respond.js';
import type { SlackUsers } from './users.js';

export interface ListenerDeps {
  bot: Bot;
  users: SlackUsers;
  messenger: SlackMessenger;
  log: Logger;
}

/** Removes mentions of the bot (`<@U123>` or `<@U123|name>`); any leading mention when its id is unknown. */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  const mention = botUserId ? new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g') : /^\s*<@[A-Z0-9]+(?:\|[^>]*)?>/;
  return text.replace(mention, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Gives each caller its own later turn of the event loop. Each turn first reads whatever requests
 * have arrived (and Bolt acks them), then starts the work of one waiting request, so a burst of
 * slash commands is acked first and searched, rendered and answered after.
 */
function turnTaker(): () => Promise<void> {
  let lastTurn: Promise<void> = Promise.resolve();
  return () => {
    lastTurn = lastTurn.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    return lastTurn;
  };
}

async function respondWith(respond: Respond | undefined, reply: Reply, log: Logger): Promise<void> {
  if (!respond) {
    log.warn('slack: a request came with no response_url to answer through');
    return;
  }
  try {
    await respond({ ...renderReply(reply), response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', replace_original: false });
  } catch (err) {
    log.error('slack: could not answer through response_url', err);
  }
}

/**
 * Slash commands, button clicks, mentions and DMs become Incoming requests for the core; the Reply
 * goes back the way the request came. Every interactive request is acked before any work.
 */
export function registerListeners(app: App, { bot, users, messenger, log }: ListenerDeps): void {
  const afterQueuedAcks = turnTaker();
  registerHome(app, { bot, users, log });

  /** A reply to a mention or DM: private replies stay private in channels, DMs are private anyway. */
  async function answer(address: string, user: User, reply: Reply, where: { threadTs?: string; isDm: boolean }): Promise<void> {
    try {
      if (reply.ephemeral && !where.isDm) await messenger.sendPrivately(address, user.id, reply, where.threadTs);
      else await messenger.send(address, reply, where.threadTs);
    } catch (err) {
      log.warn(`slack: could not answer in ${address}`, err instanceof Error ? err.message : err);
    }
  }

  app.command(/.*/, async ({ ack, command, context }) => {
    await ack();
    await afterQueuedAcks();
    const address = slackAddress(command.team_id, command.channel_id);
    const user = await users.lookup(command.user_id, command.user_name, { teamId: command.team_id, token: context.botToken });
    const name = command.command.replace(/^\//, '').toLowerCase();
    const reply =
      name === HELP_SLASH_COMMAND
        ? await bot.handleText(address, user, command.text)
        : await bot.handle({ kind: 'command', address, user, command: name, args: command.text.trim() });
    await respondWith(responder(command.response_url), reply, log);
  });

  app.action(/.*/, async ({ ack, body, action, context }) => {
    await ack();
    await afterQueuedAcks();
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) return;
    // A click on the Home tab has no channel and no response_url: it is answered in the person's DM.
    const home = homeChannel(body);
    const channelId: string | undefined = body.channel?.id ?? body.container['channel_id'] ?? home;
    const teamId = body.team?.id ?? body.user.team_id;
    if (!channelId || !teamId) return;
    const address = slackAddress(teamId, channelId);
    const user = await users.lookup(body.user.id, body.user.name ?? body.user.username, { teamId, token: context.botToken });
    const messageId: string | undefined = body.message?.ts ?? body.container['message_ts'];
    const reply = await bot.handle({ kind: 'action', address, user, action: buttonAction(action), messageId });
    if (home && channelId === home) return answer(address, user, reply, { isDm: true });
    // A public answer (a shared card) goes out through the click's response_url as in_channel: it
    // works wherever the person can post, a private channel the bot never joined included, where
    // chat.postMessage would be refused.
    await respondWith(responder(body.response_url), reply, log);
  });

  // Bolt acks events itself before these listeners run.
  app.event('app_mention', async ({ event, body, context }) => {
    if (!event.user) return;
    await afterQueuedAcks();
    const address = slackAddress(body.team_id, event.channel);
    const user = await users.lookup(event.user, undefined, { teamId: body.team_id, token: context.botToken });
    const reply = await bot.handleText(address, user, stripBotMention(event.text, context.botUserId));
    await answer(address, user, reply, { threadTs: event.thread_ts, isDm: false });
  });

  app.event('message', async ({ event, body, context }) => {
    // Only what a person writes to the bot directly: no edits, joins, bot posts or channel chatter.
    if (event.subtype !== undefined || event.channel_type !== 'im' || event.bot_id || !event.user) return;
    await afterQueuedAcks();
    const address = slackAddress(body.team_id, event.channel);
    const user = await users.lookup(event.user, undefined, { teamId: body.team_id, token: context.botToken });
    const reply = await bot.handleText(address, user, stripBotMention(event.text ?? '', context.botUserId));
    await answer(address, user, reply, { threadTs: event.thread_ts, isDm: true });
  });
}
