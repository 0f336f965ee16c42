import type { HTTPReceiver } from '@slack/bolt';
import { DeliveryError } from '../../core/delivery.js';
import type { Store } from '../../store/store.js';
import { queryOf } from './installations.js';

/** Bolt's OAuth installer: it reads installations through our InstallationStore and refreshes rotating tokens. */
export type SlackInstaller = NonNullable<HTTPReceiver['installer']>;

/** The bot token to post with in a workspace; undefined means the client's own. */
export interface SlackTokens {
  botToken(teamId: string): Promise<string | undefined>;
}

/** One workspace (SLACK_BOT_TOKEN): the client's own token everywhere. */
export const clientToken: SlackTokens = { botToken: async () => undefined };

/**
 * Many workspaces (OAuth): the token of the installation that serves the workspace, its own or its
 * organization's, through Bolt's `installer.authorize`, which refreshes a rotating token that
 * expires within two hours and stores the new one, as it does for incoming requests. A workspace
 * without an installation (never installed, or uninstalled since) is a permanent DeliveryError, so
 * its daily posts pause saying why instead of being retried.
 */
export function installedTokens(store: Store, installer: SlackInstaller): SlackTokens {
  const notInstalled = (teamId: string, why: string) => new DeliveryError(`Backfill is not installed in Slack workspace ${teamId}${why}`, 'not_installed', true);
  return {
    async botToken(teamId) {
      const row = await store.slackInstallationForTeam(teamId);
      if (!row) throw notInstalled(teamId, '');
      let token: string | undefined;
      try {
        token = (await installer.authorize(queryOf(row, teamId))).botToken;
      } catch (err) {
        // Uninstalled between the two reads; anything else (the database, say) may pass.
        if (!(await store.slackInstallationForTeam(teamId))) throw notInstalled(teamId, '');
        const failure = new DeliveryError(`could not read the Slack token of workspace ${teamId}: ${err instanceof Error ? err.message : String(err)}`, 'authorize_failed', false);
        failure.cause = err;
        throw failure;
      }
      if (!token) throw notInstalled(teamId, ' with a bot');
      return token;
    },
  };
}
