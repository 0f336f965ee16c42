import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { inspect } from 'node:util';
import { App, ErrorCode, LogLevel, SocketModeReceiver, webApi, type CodedError, type Logger as BoltLogger } from '@slack/bolt';
import type { Backfill } from '../../app.js';
import { ConfigError, type Config } from '../../config/env.js';
import { UnreachableError } from '../../config/config-error.js';
import { StartStopped, untilStopped } from '../start-stopped.js';

/** Slack's slice of the configuration. */
export type SlackConfig = Pick<
  Config,
  'slackMode' | 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_API_URL' | 'SLACK_ADMIN_USERS' | 'PORT' | 'slackOAuth' | 'SLACK_CLIENT_ID' | 'SLACK_CLIENT_SECRET' | 'SLACK_STATE_SECRET'
>;
import { InFlight } from '../../core/in-flight.js';
import type { Logger } from '../../core/log.js';
import { answerHealth, type PlatformHealth } from '../health.js';
import type { LaneTiming } from '../lanes.js';
import { networkCode } from '../network.js';
import { EVENTS_PATH, HEALTH_PATH, INSTALL_PATH, OAUTH_REDIRECT_PATH, slackConventions } from './conventions.js';
import { slackErrorCode } from './delivery.js';
import { noteOrgWorkspaces, StoredInstallations } from './installations.js';
import { slackLanes } from './lanes.js';
import { registerListeners } from './listeners.js';
import { BOT_SCOPES } from './manifest.js';
import { SlackMessenger } from './messenger.js';
import { guardedHttpReceiver, type ReceiverOAuth } from './receiver.js';
import { registerShortcuts } from './shortcuts.js';
import { refuseEventsWhileStopping, refuseWhileStopping } from './stopping.js';
import { clientToken, installedTokens } from './tokens.js';
import { registerUninstallListeners } from './uninstall.js';
import { parseAdminUsers, SlackUsers } from './users.js';

/**
 * A few quick retries for network and server errors. The WebClient's default (ten retries over
 * half an hour) would hold a quiz reveal or a button's answer for minutes. Rate limits are not left
 * to the WebClient: on a 429 it pauses its whole request queue (every channel and method, users.info
 * lookups included), puts the retried call at the back of that queue (so a later message can
 * overtake it), and counts the wait as one of these retries (so the third 429 fails the call). With
 * `rejectRateLimitedCalls` a 429 comes back at once, and the channel's lane (lanes.ts) waits the
 * Retry-After for that channel only and tries the same call again in its place.
 */
const RETRY_POLICY: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 2000 };

/** How long start-up waits for Slack's first answer before saying so. */
const START_TIMEOUT_MS = 30_000;

const SAYS_NOTHING = /^slack: WebSocket error(?: occurred:\s*|! SMWebsocketError)$/;

/** Bolt logs through the app's logger, one line per message. */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const line = (parts: unknown[]) => `slack: ${parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? errorWords(p) : inspect(p, { depth: 2, breakLength: Infinity }))).join(' ')}`;
  return {
    debug: (...parts) => log.debug(line(parts)),
    info: (...parts) => log.info(line(parts)),
    // The WebClient warns of each failed attempt before retrying; the caller reports the outcome.
    // A request from a workspace without an installation: the error handler says which one.
    warn: (...parts) => (parts[0] === 'http request failed' || String(parts[0]).startsWith('Authorization of incoming event did not succeed') ? log.debug(line(parts)) : log.warn(line(parts))),
    // Socket Mode's own lines for a WebSocket that failed say nothing ("WebSocket error occurred: "):
    // the receiver's events below say what happened, once, in words an operator can act on.
    error: (...parts) => (SAYS_NOTHING.test(line(parts)) ? log.debug(line(parts)) : log.error(line(parts))),
    setLevel: (l) => (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}

/** An error as words: Bolt's WebSocket errors often carry no message, only a code or a cause. */
function errorWords(err: Error): string {
  const code = (err as { code?: unknown }).code;
  const cause = err.cause instanceof Error ? errorWords(err.cause) : undefined;
  const original = (err as { original?: unknown }).original;
  const inner = original instanceof Error ? errorWords(original) : undefined;
  const words = [err.message || (typeof code === 'string' ? code : '') || err.name, inner, cause].filter((w) => w && w !== err.name);
  return words.length ? [...new Set(words)].join(': ') : err.name;
}

export interface SlackAppParts {
  app: App;
  messenger: SlackMessenger;
  /** Requests being handled (acked or not), which a graceful stop closes and waits for. */
  requests: InFlight;
  /** Socket Mode: connected; HTTP mode: listening. Either: not stopping. */
  health(): PlatformHealth;
  /** Stops the channel lanes: nothing queued is sent after this. */
  stopSending(): void;
}

export interface SlackOptions {
  /** Interface for the HTTP receiver; all interfaces when unset. */
  host?: string;
  /** Time for the channel lanes (pacing, Retry-After, retries of edits); real time by default. */
  laneTiming?: LaneTiming;
  /** The receiver's clock for signature timestamps, in ms; Date.now by default. */
  now?: () => number;
  /** How long start-up waits for Slack's first answer. */
  startTimeoutMs?: number;
  /** How long `stop()` without a deadline waits for requests being answered and posts under way; 10 s by default. */
  drainMs?: number;
  /** A stop asked for while Socket Mode connects: the start gives up (StartStopped). */
  signal?: AbortSignal;
}

const DRAIN_MS = 10_000;

/**
 * Bolt's OAuth for distribution: `/slack/install` (a page with Add to Slack, and the state cookie),
 * `/slack/oauth_redirect` (state checked against that cookie by Bolt's state store, code exchanged
 * through oauth.v2.access, the installation stored in our database).
 */
function oauthOptions(config: SlackConfig, installations: StoredInstallations, clientOptions: webApi.WebClientOptions, log: Logger): ReceiverOAuth {
  return {
    clientId: config.SLACK_CLIENT_ID,
    clientSecret: config.SLACK_CLIENT_SECRET,
    stateSecret: config.SLACK_STATE_SECRET,
    scopes: [...BOT_SCOPES],
    installationStore: installations,
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: OAUTH_REDIRECT_PATH,
      clientOptions,
      callbackOptions: {
        afterInstallation: async (installation) => {
          const where = installation.isEnterpriseInstall ? `organization ${installation.enterprise?.id}` : `workspace ${installation.team?.id}`;
          log.info(`slack: installed in ${where}`);
          return true;
        },
      },
    },
  };
}

/**
 * A Bolt app for the configured mode: Socket Mode with SLACK_APP_TOKEN, otherwise HTTP with
 * SLACK_SIGNING_SECRET serving POST /slack/events and GET /health (the health endpoint's report,
 * for Slack alone); with SLACK_CLIENT_ID (OAuth)
 * also `/slack/install` and `/slack/oauth_redirect`, each workspace with its own token from the
 * database. Nothing is contacted until `app.init()` (one auth.test with SLACK_BOT_TOKEN, at
 * SLACK_API_URL when set; none with OAuth).
 */
export function createSlackApp(backfill: Backfill, config: SlackConfig, log: Logger, options: SlackOptions = {}): SlackAppParts {
  if (!config.slackMode || (!config.slackOAuth && !config.SLACK_BOT_TOKEN)) throw new ConfigError(['SLACK_BOT_TOKEN: required to start Slack']);
  const clientOptions: webApi.WebClientOptions = { retryConfig: RETRY_POLICY, rejectRateLimitedCalls: true };
  if (config.SLACK_API_URL) clientOptions.slackApiUrl = config.SLACK_API_URL;
  // convoStore: no conversation state is used, so each request skips that middleware.
  const logger = boltLogger(log);
  const installations = config.slackOAuth ? new StoredInstallations(backfill.store, backfill.clock) : undefined;
  const common = { token: config.slackOAuth ? undefined : config.SLACK_BOT_TOKEN, logger, clientOptions, deferInitialization: true, convoStore: false as const };
  const requests = new InFlight();
  let health: () => PlatformHealth;
  const healthSource = { phase: () => (requests.closed ? ('stopping' as const) : ('serving' as const)), platforms: () => ({ slack: health() }) };
  // Bolt's own HTTPReceiver, with odd, future-dated and replayed requests screened out first.
  const receiver =
    config.slackMode === 'http'
      ? guardedHttpReceiver({
          signingSecret: config.SLACK_SIGNING_SECRET ?? '',
          endpoints: [EVENTS_PATH],
          logger,
          log,
          now: options.now,
          ...(installations ? { oauth: oauthOptions(config, installations, clientOptions, log) } : {}),
          customRoutes: [{ path: HEALTH_PATH, method: ['GET', 'HEAD'], handler: (req, res) => answerHealth(healthSource, req, res) }],
        })
      : undefined;
  let app: App;
  if (receiver) {
    refuseEventsWhileStopping(receiver, () => requests.closed);
    app = new App({ ...common, receiver });
    health = () => ({ ready: !requests.closed });
  } else {
    // Built here rather than by Bolt, to follow its connection. Bolt would hand it the same client options.
    const socket = new SocketModeReceiver({ appToken: config.SLACK_APP_TOKEN ?? '', logger, installerOptions: { clientOptions } });
    let connected = false;
    let everConnected = false;
    let said = 0;
    socket.client.on('connected', () => (connected = everConnected = true));
    // Said at most every 10 s: the client tries again every few seconds.
    socket.client.on('error', (err: unknown) => {
      if (Date.now() - said < 10_000) return;
      said = Date.now();
      const why = err instanceof Error ? errorWords(err) : String(err);
      if (everConnected) log.warn(`slack: the Socket Mode connection failed (${why}); reconnecting`);
      else log.warn(`slack: could not open Slack's Socket Mode WebSocket (${why}); trying again: check that this machine may open a WebSocket (wss://, port 443) to Slack, through any proxy or firewall`);
    });
    // `close`: the socket dropped (the client connects again a few seconds later, then `connected`).
    for (const lost of ['close', 'reconnecting', 'disconnecting', 'disconnected']) socket.client.on(lost, () => (connected = false));
    app = new App({ ...common, receiver: socket });
    health = () => ({ ready: connected && !requests.closed });
  }
  app.error(async (err: CodedError) => {
    // Bolt acks and drops a request it could not authorize: a workspace without an installation.
    if (err.code === ErrorCode.AuthorizationError) log.warn(`slack: ignored a request: ${err.message}`);
    else log.error('slack: a listener failed', err);
  });
  app.use(async (args) => {
    if (requests.closed && (await refuseWhileStopping(args, log))) return;
    await requests.track(args.next());
  });
  const lanes = slackLanes(log, options.laneTiming);
  const installer = receiver?.installer;
  if (installations && !installer) throw new Error('slack: Bolt did not set up its OAuth installer');
  const messenger = new SlackMessenger(app.client, lanes, installations && installer ? installedTokens(backfill.store, installer) : clientToken);
  if (installations) app.use(noteOrgWorkspaces(backfill.store, backfill.clock, log));
  const users = new SlackUsers(app.client, { admins: parseAdminUsers(config.SLACK_ADMIN_USERS), log });
  const deps = { bot: backfill.bot, users, messenger, log };
  registerListeners(app, deps);
  registerShortcuts(app, deps);
  registerUninstallListeners(app, installations, log);
  return { app, messenger, requests, health: () => health(), stopSending: () => lanes.stop() };
}

const REFUSED_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

const SLACK_API = 'https://slack.com/api/';

/** The API base start-up talks to, for messages: SLACK_API_URL, or Slack's own. */
function apiBase(config: SlackConfig): string {
  return config.SLACK_API_URL ?? SLACK_API;
}

/**
 * Start-up failures become ConfigErrors: one line naming the variable to check. A refused token
 * names the token; no answer, or Slack's servers failing, names SLACK_API_URL (as Discord's start
 * names DISCORD_API_URL), whether it is set or Slack's own API is meant.
 */
function startupError(err: unknown, variable: string, config: SlackConfig): unknown {
  const code = slackErrorCode(err);
  if (REFUSED_TOKEN.has(code)) {
    const next =
      variable === 'SLACK_APP_TOKEN'
        ? 'copy it again from Basic Information → App-Level Tokens, or generate a new one there with connections:write'
        : 'copy it again from OAuth & Permissions → Bot User OAuth Token, or reinstall the app to the workspace if it was removed or revoked';
    return new ConfigError([`${variable}: Slack refused the token (${code}): ${next}`]);
  }
  if (err instanceof Error && 'code' in err && err.code === 'EADDRINUSE') return new ConfigError([`PORT: port ${config.PORT} is already in use`]);
  // Ports below 1024 need privileges on most systems.
  if (err instanceof Error && 'code' in err && err.code === 'EACCES') return new ConfigError([`PORT: not allowed to listen on port ${config.PORT} (EACCES); use a port from 1024 up, e.g. 3000, behind your proxy`]);
  if (err instanceof StartTimeout) return new ConfigError([`SLACK_API_URL: no answer from ${apiBase(config)} within ${err.ms < 1000 ? `${err.ms} ms` : `${Math.round(err.ms / 1000)} s`}`]);
  if (err instanceof webApi.WebAPIRequestError) {
    const why = networkCode(err.original) ?? innermostMessage(err.original) ?? 'no answer';
    // With SLACK_API_URL unset, Slack's own API was meant: the network, not a setting, is to check.
    return config.SLACK_API_URL ? new ConfigError([`SLACK_API_URL: could not reach ${config.SLACK_API_URL} (${why})`]) : new UnreachableError([`could not reach Slack at ${SLACK_API} (${why}): check this machine's network (DNS, proxy, firewall)`]);
  }
  if (err instanceof webApi.WebAPIHTTPError) {
    const hint = err.statusCode >= 500 ? '; Slack may be down, try again later' : ' (is SLACK_API_URL the Web API base, ending in /api/?)';
    return new ConfigError([`SLACK_API_URL: ${apiBase(config)} answered HTTP ${err.statusCode}${hint}`]);
  }
  return err;
}

/** The message of the deepest `cause` (fetch says "fetch failed"; its cause says why). */
function innermostMessage(err: unknown): string | undefined {
  let message: string | undefined;
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) message = e.message;
  return message;
}

class StartTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** `work`, or a StartTimeout after `ms`: an API that swallows requests must not hang the start. */
async function withinStartTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StartTimeout(ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RunningSlack {
  /** HTTP mode: where the receiver listens, e.g. http://127.0.0.1:3000. */
  url?: string;
  /** Socket Mode: connected; HTTP mode: ready. Either: not stopping. */
  health(): PlatformHealth;
  /**
   * Takes no new requests (commands and clicks are told Backfill is restarting; over HTTP, events
   * get 503 and Slack sends them again), and resolves once those taken are answered, or at `until`
   * (false then).
   */
  drain(until: number): Promise<boolean>;
  /** Disconnects once the requests and the posts and edits under way finish, or at `until` (by default `drainMs` from now). */
  stop(until?: number): Promise<void>;
}

/** Registers the Slack messenger and starts the receiver of the configured mode. */
export async function startSlack(backfill: Backfill, config: SlackConfig, log: Logger, options: SlackOptions = {}): Promise<RunningSlack> {
  const { app, messenger, requests, health, stopSending } = createSlackApp(backfill, config, log, options);
  const startTimeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
  try {
    await withinStartTimeout(app.init(), startTimeoutMs);
  } catch (err) {
    throw startupError(err, 'SLACK_BOT_TOKEN', config);
  }
  const drainMs = options.drainMs ?? DRAIN_MS;
  const drain = async (until: number) => {
    requests.close();
    if (await requests.settle(until)) return true;
    log.warn(`slack: ${requests.size} request(s) still being answered were cut off`);
    return false;
  };
  /**
   * Graceful: no new requests (the HTTP server closes, the socket disconnects), then the requests
   * being answered and the posts and edits under way finish, until `until`; then nothing more is
   * sent. What is cut off then is the outbox's to settle at the next start, as after a crash.
   */
  const stop = async (until = Date.now() + drainMs) => {
    requests.close();
    await app.stop();
    const answered = await requests.settle(until);
    const sent = await messenger.inFlight.settle(until);
    if (!answered || !sent) log.warn(`slack: at the stop's deadline, ${requests.size} request(s) and ${messenger.inFlight.size} post(s) or edit(s) were still under way`);
    stopSending();
  };
  backfill.attach('slack', messenger, slackConventions);
  if (config.slackMode === 'socket') {
    try {
      await withinStartTimeout(untilStopped(app.start(), options.signal, 'Slack'), startTimeoutMs);
    } catch (err) {
      // Not awaited: a connection that never opened may never close either.
      void app.stop().catch(() => undefined);
      if (err instanceof StartStopped) throw err;
      // The Web API answered (init did): what never opened is the WebSocket.
      if (err instanceof StartTimeout) {
        throw new UnreachableError([`could not open Slack's Socket Mode WebSocket within ${Math.round(err.ms / 1000)} s: check that this machine may open a WebSocket (wss://, port 443) to Slack, through any proxy or firewall`]);
      }
      throw startupError(err, 'SLACK_APP_TOKEN', config);
    }
    log.info('slack: connected in Socket Mode');
    if (config.SLACK_SIGNING_SECRET) log.warn('slack: SLACK_APP_TOKEN is set, so Slack runs in Socket Mode, and SLACK_SIGNING_SECRET and PORT are not used; unset SLACK_APP_TOKEN for HTTP mode');
    return { health, drain, stop };
  }
  let server: Server;
  try {
    server = (await app.start({ port: config.PORT, host: options.host })) as Server;
  } catch (err) {
    throw startupError(err, 'SLACK_SIGNING_SECRET', config);
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? 'localhost'}:${port}`;
  log.info(`slack: HTTP mode, listening for POST ${EVENTS_PATH} on port ${port}`);
  if (config.slackOAuth) log.info(`slack: installing for many workspaces (OAuth): workspaces install at ${INSTALL_PATH}, Slack redirects to ${OAUTH_REDIRECT_PATH}`);
  return { url, health, drain, stop };
}
