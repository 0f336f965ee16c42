import type { App, types } from '@slack/bolt';
import type { Bot } from '../../core/bot.js';
import type { Logger } from '../../core/log.js';
import type { Reply } from '../../core/reply.js';
import { slackAddress } from './address.js';
import { renderReply } from './render.js';
import type { SlackUsers } from './users.js';

/** The callback id of the Home tab views the bot publishes. */
export const HOME_VIEW = 'backfill_home';

/** A Home tab holds at most 100 blocks; a message's 50, which the renderer keeps to, fit. */
export interface HomeView {
  type: 'home';
  callback_id: string;
  /** The person's DM channel with the bot: clicks on the tab carry no channel, and their answers go there. */
  private_metadata: string;
  blocks: types.KnownBlock[];
}

/** The Home tab of a reply: its blocks, the title as a header, and the DM channel to answer clicks in. */
export function homeView(reply: Reply, dmChannel: string): HomeView {
  return { type: 'home', callback_id: HOME_VIEW, private_metadata: dmChannel, blocks: renderReply({ ...reply, ephemeral: false }).blocks };
}

/** The DM channel of a click on the Home tab (from the view's metadata), or undefined for a click anywhere else. */
export function homeChannel(body: { view?: { type?: string; callback_id?: string; private_metadata?: string } }): string | undefined {
  const view = body.view;
  return view?.type === 'home' && view.callback_id === HOME_VIEW && /^D[A-Z0-9]+$/.test(view.private_metadata ?? '') ? view.private_metadata : undefined;
}

/**
 * The App Home tab (manifest `home_tab_enabled`): each time a person opens it, it shows what the
 * core's home page says for them (their progress, with buttons to start a review or a quiz),
 * published with views.publish. `app_home_opened` carries the person's DM channel with the bot.
 */
export function registerHome(app: App, { bot, users, log }: { bot: Bot; users: SlackUsers; log: Logger }): void {
  app.event('app_home_opened', async ({ event, body, context, client }) => {
    if (event.tab !== 'home' || !event.channel) return;
    try {
      const user = await users.lookup(event.user, undefined, { teamId: body.team_id, token: context.botToken });
      const reply = await bot.home(slackAddress(body.team_id, event.channel), user);
      if (!reply) return;
      await client.views.publish({ user_id: event.user, view: homeView(reply, event.channel) });
    } catch (err) {
      log.warn(`slack: could not publish the Home tab of ${event.user}`, err instanceof Error ? err.message : err);
    }
  });
}
