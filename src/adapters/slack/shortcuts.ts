import type { App } from '@slack/bolt';
import { context, reply as replyOf, type Reply } from '../../core/reply.js';
import { slackAddress } from './address.js';
import { EXPLAIN_SHORTCUT } from './conventions.js';
import type { ListenerDeps } from './listeners.js';
import { readableText } from './mrkdwn.js';
import { renderReply } from './render.js';
import { responder, type Respond } from './respond.js';

/** How much of a message search reads: a pasted stack trace's first lines say what it is about. */
const MAX_QUERY_CHARS = 1000;

const NOTHING_TO_EXPLAIN = replyOf([context('That message has no text to explain. Try `/explain` with a few words from it.')], { ephemeral: true });

/**
 * The message shortcut "Explain this": the selected message's text goes to /explain, and the answer
 * is for the person who asked only. It goes through the shortcut's response_url as an ephemeral
 * message, which works in any conversation they can see, the bot invited or not; when that is
 * refused (or there is no response_url), it goes to them as a DM from the bot instead.
 */
export function registerShortcuts(app: App, { bot, users, messenger, log }: ListenerDeps): void {
  app.shortcut({ type: 'message_action', callback_id: EXPLAIN_SHORTCUT }, async ({ ack, shortcut, context: ctx }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const teamId = shortcut.team?.id ?? shortcut.user.team_id ?? ctx.teamId;
    if (!teamId) return;
    const address = slackAddress(teamId, shortcut.channel.id);
    const user = await users.lookup(shortcut.user.id, shortcut.user.name, { teamId, token: ctx.botToken });
    const query = readableText(String(shortcut.message.text ?? '')).slice(0, MAX_QUERY_CHARS);
    const answer = query ? await bot.handle({ kind: 'command', address, user, command: 'explain', args: query }) : NOTHING_TO_EXPLAIN;
    const privately: Reply = { ...answer, ephemeral: true };
    if (await answeredEphemerally(responder(shortcut.response_url), privately)) return;
    try {
      await messenger.send(await messenger.directAddress(address, shortcut.user.id), privately);
    } catch (err) {
      log.warn(`slack: could not explain a message to ${shortcut.user.id} in ${address}`, err instanceof Error ? err.message : err);
    }
  });
}

async function answeredEphemerally(respond: Respond | undefined, reply: Reply): Promise<boolean> {
  if (!respond) return false;
  try {
    await respond({ ...renderReply(reply), response_type: 'ephemeral', replace_original: false });
    return true;
  } catch {
    return false;
  }
}
