import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { inspect } from 'node:util';
import { App, LogLevel, type Logger as BoltLogger, type webApi } from '@slack/bolt';
import type { Backfill } from '../../app.js';
import { ConfigError, type Config } from '../../config/env.js';
import type { Logger } from '../../core/log.js';
import { EVENTS_PATH, HEALTH_PATH } from './conventions.js';
import { slackErrorCode } from './delivery.js';
import { registerListeners } from './listeners.js';
import { SlackMessenger } from './messenger.js';
import { parseAdminUsers, SlackUsers } from './users.js';

/**
 * A few quick retries for network and server errors. The WebClient's default (ten retries over
 * half an hour, waiting out rate limits) would hold a quiz reveal or a button's answer for minutes;
 * rate limits are instead reported at once as a transient DeliveryError for the caller to retry.
 */
const RETRY_POLICY: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 2000 };

/** Bolt logs through the app's logger, one line per message. */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const line = (parts: unknown[]) => `slack: ${parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : inspect(p, { depth: 2, breakLength: Infinity }))).join(' ')}`;
  return {
    debug: (...parts) => log.debug(line(parts)),
    info: (...parts) => log.info(line(parts)),
    warn: (...parts) => log.warn(line(parts)),
    error: (...parts) => log.error(line(parts)),
    setLevel: (l) => (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}

export interface SlackAppParts {
  app: App;
  messenger: SlackMessenger;
}

/**
 * A Bolt app for the configured mode: Socket Mode with SLACK_APP_TOKEN, otherwise HTTP with
 * SLACK_SIGNING_SECRET serving POST /slack/events and GET /health. Nothing is contacted until
 * `app.init()` (one auth.test, at SLACK_API_URL when set).
 */
export function createSlackApp(backfill: Backfill, config: Config, log: Logger): SlackAppParts {
  if (!config.slackMode || !config.SLACK_BOT_TOKEN) throw new ConfigError(['SLACK_BOT_TOKEN: required to start Slack']);
  const clientOptions: webApi.WebClientOptions = { retryConfig: RETRY_POLICY, rejectRateLimitedCalls: true };
  if (config.SLACK_API_URL) clientOptions.slackApiUrl = config.SLACK_API_URL;
  // convoStore: no conversation state is used, so each request skips that middleware.
  const common = { token: config.SLACK_BOT_TOKEN, logger: boltLogger(log), clientOptions, deferInitialization: true, convoStore: false as const };
  const app =
    config.slackMode === 'socket'
      ? new App({ ...common, socketMode: true, appToken: config.SLACK_APP_TOKEN })
      : new App({
          ...common,
          signingSecret: config.SLACK_SIGNING_SECRET,
          endpoints: EVENTS_PATH,
          customRoutes: [
            {
              path: HEALTH_PATH,
              method: ['GET'],
              handler: (_req, res) => {
                res.writeHead(200, { 'content-type': 'application/json' });
                res.end('{"ok":true}');
              },
            },
          ],
        });
  app.error(async (err) => log.error('slack: a listener failed', err));
  const messenger = new SlackMessenger(app.client);
  const users = new SlackUsers(app.client, { admins: parseAdminUsers(config.SLACK_ADMIN_USERS), log });
  registerListeners(app, { bot: backfill.bot, users, messenger, log });
  return { app, messenger };
}

const REFUSED_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

/** Start-up failures a person can fix in the configuration become ConfigErrors naming the variable. */
function startupError(err: unknown, variable: string, config: Config): unknown {
  const code = slackErrorCode(err);
  if (REFUSED_TOKEN.has(code)) return new ConfigError([`${variable}: Slack refused the token (${code})`]);
  if (err instanceof Error && 'code' in err && err.code === 'EADDRINUSE') return new ConfigError([`PORT: port ${config.PORT} is already in use`]);
  return err;
}

async function stopApp(app: App): Promise<void> {
  await app.stop();
}

export interface RunningSlack {
  /** HTTP mode: where the receiver listens, e.g. http://127.0.0.1:3000. */
  url?: string;
  stop(): Promise<void>;
}

export interface ListenOptions {
  /** Interface for the HTTP receiver; all interfaces when unset. */
  host?: string;
}

/** Registers the Slack messenger and starts the receiver of the configured mode. */
export async function startSlack(backfill: Backfill, config: Config, log: Logger, listen: ListenOptions = {}): Promise<RunningSlack> {
  const { app, messenger } = createSlackApp(backfill, config, log);
  try {
    await app.init();
  } catch (err) {
    throw startupError(err, 'SLACK_BOT_TOKEN', config);
  }
  backfill.messengers.register('slack', messenger);
  if (config.slackMode === 'socket') {
    try {
      await app.start();
    } catch (err) {
      throw startupError(err, 'SLACK_APP_TOKEN', config);
    }
    log.info('slack: connected in Socket Mode');
    return { stop: () => stopApp(app) };
  }
  let server: Server;
  try {
    server = (await app.start({ port: config.PORT, host: listen.host })) as Server;
  } catch (err) {
    throw startupError(err, 'SLACK_SIGNING_SECRET', config);
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${listen.host ?? 'localhost'}:${port}`;
  log.info(`slack: HTTP mode, listening for POST ${EVENTS_PATH} on port ${port}`);
  return { url, stop: () => stopApp(app) };
}
