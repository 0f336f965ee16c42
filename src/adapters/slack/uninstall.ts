import type { App, Context } from '@slack/bolt';
import type { Logger } from '../../core/log.js';
import { describeInstall, type StoredInstallations } from './installations.js';

const whoseInstall = (context: Context) => ({ teamId: context.teamId, enterpriseId: context.enterpriseId, isEnterpriseInstall: context.isEnterpriseInstall === true });

/**
 * `app_uninstalled` and `tokens_revoked` (Bolt runs these without authorizing, as the tokens are
 * gone): the workspace's installation and its tokens are deleted, so nothing is posted there with
 * them again; its daily posts pause saying it is not installed, and its later requests are ignored.
 * With one workspace (SLACK_BOT_TOKEN) there is nothing stored to delete: the log says what happened.
 */
export function registerUninstallListeners(app: App, installations: StoredInstallations | undefined, log: Logger): void {
  app.event('app_uninstalled', async ({ context }) => {
    const query = whoseInstall(context);
    if (!installations) return log.warn(`slack: Backfill was uninstalled from ${describeInstall(query)}; SLACK_BOT_TOKEN no longer works there`);
    await installations.deleteInstallation(query);
    log.info(`slack: uninstalled from ${describeInstall(query)}; its tokens are deleted`);
  });

  app.event('tokens_revoked', async ({ event, context }) => {
    const query = whoseInstall(context);
    const bots = event.tokens.bot ?? [];
    const people = event.tokens.oauth ?? [];
    if (!installations) {
      if (bots.length) log.warn(`slack: the bot token of ${describeInstall(query)} was revoked; SLACK_BOT_TOKEN no longer works there`);
      return;
    }
    if (bots.length) {
      await installations.deleteInstallation(query);
      log.info(`slack: the bot token of ${describeInstall(query)} was revoked; its installation is deleted`);
    } else if (await installations.forgetUserTokens(query, people)) {
      log.info(`slack: a user token of ${describeInstall(query)} was revoked and deleted`);
    }
  });
}
