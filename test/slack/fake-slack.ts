import { createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A stand-in for Slack on 127.0.0.1, for tests and the benchmark: a Web API that records calls
 * (chat.postMessage, chat.postEphemeral, chat.update, conversations.history with message metadata,
 * users.info, auth.test, oauth.v2.access, conversations.open, views.publish, and
 * apps.connections.open, whose Socket Mode connection `envelope` sends requests over) with the
 * token each carried, and response_url endpoints that record what `respond()` sends. Once a workspace has installed through OAuth (`grant`), every
 * call must carry a token it issued and not revoked. Nothing here talks to the real Slack.
 */

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  /** The token the call carried (Authorization: Bearer, or a `token` field). */
  token?: string;
  /** What the fake answered, when it answered with JSON. */
  response?: Record<string, unknown>;
  /** Held: the fake never answered (see `hold`). */
  held?: boolean;
  /** The HTTP status of a refusal (429, 503, ...); undefined for an answer with JSON. */
  status?: number;
  /** When the call arrived, on the fake's clock (ms). */
  at?: number;
}

/** Slack's pace for a method: one call per channel per `intervalMs`; a faster call gets a 429. */
export interface ChannelPace {
  intervalMs: number;
  /** The Retry-After the 429 carries; by default the seconds left until the channel's next slot, rounded up. */
  retryAfterSeconds?: number;
}

/** A message chat.postMessage created: what the channel's history shows. */
export interface ChannelMessage {
  channel: string;
  ts: string;
  text: unknown;
  blocks?: unknown;
  metadata?: unknown;
}

/** A call that is never answered, as if the connection died or the caller was killed waiting. */
interface Hold {
  method: string;
  match: (params: Record<string, unknown>) => boolean;
  /** Slack acted on it (the message exists) before the answer was lost; otherwise it never arrived. */
  deliver: boolean;
  /** Called when it arrives; `answer()` sends the answer after all (a slow call rather than a lost one). */
  onHeld?: (answer: () => void) => void;
}

export interface ResponseUrlPost {
  /** The id in `responseUrl(id)`. */
  id: string;
  body: Record<string, unknown>;
}

export interface FakeUser {
  id: string;
  name?: string;
  display_name?: string;
  real_name?: string;
  is_admin?: boolean;
  is_owner?: boolean;
}

/** How the next calls of a method fail: a Slack error code, an HTTP status, or a rate limit. */
export interface Failure {
  error?: string;
  status?: number;
  retryAfterSeconds?: number;
}

export const FAKE_BOT = { userId: 'UBOTFAKE', botId: 'BBOTFAKE', teamId: 'TFAKE' } as const;

/** The OAuth app the fake issues tokens for; oauth.v2.access refuses other credentials. */
export const FAKE_OAUTH_APP = { appId: 'AFAKE', clientId: '1111111111.2222222222', clientSecret: 'fake-client-secret' } as const;

/** What an installation through OAuth grants: a workspace's bot, or an organization's (org-wide). */
export interface FakeGrant {
  /** The workspace installed; absent for an org-wide installation. */
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
  botToken: string;
  botUserId?: string;
  /** Who installed it. */
  installerId?: string;
  /** With token rotation: the refresh token and the access token's life in seconds. */
  refreshToken?: string;
  expiresIn?: number;
}

const USED = '(used)';

/** Who a token the fake issued belongs to. */
interface IssuedToken {
  grant: FakeGrant;
  revoked: boolean;
}

/** Headers Slack signs a request with: `v0=` HMAC-SHA256 of `v0:{timestamp}:{raw body}`. */
export function slackSignature(signingSecret: string, body: string, timestampSeconds = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestampSeconds), 'x-slack-signature': `v0=${signature}` };
}

export interface SlashCommandFields {
  command: string;
  text: string;
  responseUrl: string;
  teamId?: string;
  channelId?: string;
  userId?: string;
  userName?: string;
  /** Slack gives every command its own; the same one means the same request. */
  triggerId?: string;
  /** A workspace of an organization, and whether the app is installed org-wide there. */
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}

/** A slash command's form body, with the fields Slack sends. */
export function slashCommandForm(f: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: f.teamId ?? FAKE_BOT.teamId,
    team_domain: 'fake',
    channel_id: f.channelId ?? 'CFAKE',
    channel_name: 'general',
    user_id: f.userId ?? 'UFAKE',
    user_name: f.userName ?? 'fake.user',
    command: f.command,
    text: f.text,
    api_app_id: 'AFAKE',
    is_enterprise_install: String(f.isEnterpriseInstall === true),
    ...(f.enterpriseId ? { enterprise_id: f.enterpriseId, enterprise_name: `Org ${f.enterpriseId}` } : {}),
    response_url: f.responseUrl,
    trigger_id: f.triggerId ?? '1.2.3',
  }).toString();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view']);

/** Web API bodies are form-encoded with JSON-encoded structured fields (blocks, ...). */
function parseParams(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value;
  }
  return params;
}

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  private readonly users = new Map<string, FakeUser>();
  private readonly userGroups: Array<{ id: string; users: string[] }> = [];
  private readonly failures = new Map<string, Failure[]>();
  private readonly delays = new Map<string, number>();
  private readonly events = new EventEmitter();
  private server?: Server;
  /** Socket Mode: apps.connections.open hands out ws://…/link, where each connection is greeted with `hello`. */
  private sockets?: WebSocketServer;
  /** What apps.connections.open hands out instead, when set (a WebSocket address nothing answers at). */
  socketUrl: string | undefined;
  private readonly acks = new Map<string, (payload: Record<string, unknown> | undefined) => void>();
  private envelopes = 0;
  private base = '';
  private nextTs = 1;
  /** Messages chat.postMessage created, oldest first. */
  readonly messages: ChannelMessage[] = [];
  private readonly holds: Hold[] = [];
  private readonly paces = new Map<string, ChannelPace>();
  private readonly lastAccepted = new Map<string, number>();
  private readonly grants = new Map<string, FakeGrant>();
  private readonly tokens = new Map<string, IssuedToken>();
  private refreshes = 0;

  /** `now` (ms) dates the message timestamps (ts) it hands out; without it they count up from 1700000000. */
  constructor(private readonly options: { now?: () => number } = {}) {}

  /** Starts listening on 127.0.0.1 at a free port. */
  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(err instanceof Error ? err.message : String(err));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.sockets = new WebSocketServer({ server, path: '/link' });
    this.sockets.on('connection', (socket) => {
      socket.on('message', (data) => {
        const ack = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
        if (ack.envelope_id) this.acks.get(ack.envelope_id)?.(ack.payload);
      });
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: FAKE_OAUTH_APP.appId }, debug_info: { host: 'fake', approximate_connection_time: 3600 } }));
      this.events.emit('recorded');
    });
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of this.sockets?.clients ?? []) socket.terminate();
    this.sockets?.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The Web API base, for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  /** Socket Mode connections open now. */
  get socketConnections(): number {
    return [...(this.sockets?.clients ?? [])].filter((s) => s.readyState === s.OPEN).length;
  }

  /** Resolves once a Socket Mode connection is open. */
  socketOpen(): Promise<void> {
    return this.waitFor(() => (this.socketConnections > 0 ? true : undefined)).then(() => undefined);
  }

  /** Ends every Socket Mode connection, as Slack does when it moves one. */
  dropSockets(): void {
    for (const socket of this.sockets?.clients ?? []) (socket as WebSocket).terminate();
  }

  /**
   * Sends an envelope over the open Socket Mode connection (`slash_commands`, `interactive`,
   * `events_api`), and resolves with the payload of the app's ack (undefined: acked without one).
   */
  envelope(type: string, payload: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const socket = [...(this.sockets?.clients ?? [])].find((s) => s.readyState === s.OPEN);
    if (!socket) throw new Error('no Socket Mode connection is open');
    const id = `envelope-${++this.envelopes}`;
    return new Promise((resolve) => {
      this.acks.set(id, (ack) => {
        this.acks.delete(id);
        resolve(ack);
      });
      socket.send(JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
    });
  }

  responseUrl(id: string): string {
    return `${this.base}/respond/${encodeURIComponent(id)}`;
  }

  addUser(user: FakeUser): this {
    this.users.set(user.id, user);
    return this;
  }

  /** A user group and its members, as usergroups.list lists them. */
  addUserGroup(id: string, users: string[]): this {
    this.userGroups.push({ id, users });
    return this;
  }

  /**
   * A workspace (or an organization) that allowed the app: `code` is what Slack's redirect carries,
   * for one oauth.v2.access. From then on the fake checks every call's token.
   */
  grant(code: string, grant: FakeGrant): this {
    this.grants.set(code, grant);
    return this;
  }

  /** The token's workspace uninstalled the app or revoked it: calls with it answer token_revoked. */
  revoke(token: string): this {
    const issued = this.tokens.get(token);
    if (issued) issued.revoked = true;
    return this;
  }

  /** Calls that carried `token`. */
  callsWith(token: string): ApiCall[] {
    return this.calls.filter((c) => c.token === token);
  }

  /** The next `times` calls of `method` fail as described. */
  fail(method: string, failure: Failure, times = 1): this {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array<Failure>(times).fill(failure)]);
    return this;
  }

  /**
   * The next call of `method` that `match`es is never answered. With `deliver`, Slack acts on it
   * first (a posted message exists and shows in the history); without, it never arrived.
   */
  hold(method: string, match: Hold['match'], options: Pick<Hold, 'deliver' | 'onHeld'>): this {
    this.holds.push({ method, match, ...options });
    return this;
  }

  /** Messages in a channel's history, oldest first. */
  messagesIn(channel: string): ChannelMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }

  /**
   * From now on, calls of `method` to one channel faster than `pace` allows are refused with a 429
   * and a Retry-After, as Slack refuses chat.postMessage beyond about one a second per channel.
   * Time is the `now` the fake was made with.
   */
  paceChannels(method: string, pace: ChannelPace): this {
    this.paces.set(method, pace);
    return this;
  }

  /** Calls of `method` the fake accepted (answered with JSON, `ok` or not). */
  acceptedCallsOf(method: string): ApiCall[] {
    return this.callsOf(method).filter((c) => c.status === undefined && !c.held);
  }

  /** Calls of `method` answered with a 429. */
  rateLimitedCallsOf(method: string): ApiCall[] {
    return this.callsOf(method).filter((c) => c.status === 429);
  }

  /** Calls of `method` answer after `ms` milliseconds. */
  slowDown(method: string, ms: number): this {
    this.delays.set(method, ms);
    return this;
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(id: string): ResponseUrlPost[] {
    return this.responses.filter((r) => r.id === id);
  }

  /** Waits for the first post to `responseUrl(id)`. */
  firstResponseTo(id: string): Promise<ResponseUrlPost> {
    return this.waitFor(() => this.responsesTo(id)[0]);
  }

  /** Waits for the first call of `method`. */
  firstCallOf(method: string): Promise<ApiCall> {
    return this.waitFor(() => this.callsOf(method)[0]);
  }

  /** Forgets what was recorded, failures and delays. */
  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.failures.clear();
    this.delays.clear();
    this.messages.length = 0;
    this.holds.length = 0;
    this.paces.clear();
    this.lastAccepted.clear();
  }

  /** Resolves once `ready()` holds after a recorded call or response; rejects after `timeoutMs`. */
  waitFor<T>(ready: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = ready();
        if (value === undefined || value === false) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Slack: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off('recorded', check);
      };
      this.events.on('recorded', check);
      check();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', this.base).pathname;
    if (path.startsWith('/respond/')) {
      this.responses.push({ id: decodeURIComponent(path.slice('/respond/'.length)), body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      this.events.emit('recorded');
      return;
    }
    if (!path.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    const method = path.slice('/api/'.length);
    const params = parseParams(raw, req.headers['content-type']);
    const bearer = /^Bearer (.+)$/.exec(req.headers['authorization'] ?? '')?.[1];
    const token = bearer ?? (typeof params['token'] === 'string' ? params['token'] : undefined);
    const hold = this.holds.find((h) => h.method === method && h.match(params));
    if (hold) {
      // Never answered: the socket stays open until the test closes the fake.
      this.holds.splice(this.holds.indexOf(hold), 1);
      const response = hold.deliver ? this.answer(method, params) : { ok: false, error: 'request_timeout' };
      this.calls.push({ method, params, token, held: true, ...(hold.deliver ? { response } : {}) });
      this.events.emit('recorded');
      hold.onHeld?.(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(response)));
      return;
    }
    const delay = this.delays.get(method);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    const at = this.now();
    const failure = this.failures.get(method)?.shift() ?? this.paced(method, params, at);
    if (failure?.retryAfterSeconds !== undefined) {
      res.writeHead(429, { 'retry-after': String(failure.retryAfterSeconds) }).end();
      this.calls.push({ method, params, token, status: 429, at });
    } else if (failure?.status) {
      res.writeHead(failure.status).end();
      this.calls.push({ method, params, token, status: failure.status, at });
    } else {
      const refused = this.tokenProblem(method, token);
      const response = failure?.error ? { ok: false, error: failure.error } : refused ? { ok: false, error: refused } : this.answer(method, params, token);
      if (this.paces.has(method)) this.lastAccepted.set(`${method}:${String(params['channel'])}`, at);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(response));
      this.calls.push({ method, params, token, response, at });
    }
    this.events.emit('recorded');
  }

  /** Once a workspace has installed, a call needs a token the fake issued and not revoked (oauth.v2.access needs none). */
  private tokenProblem(method: string, token: string | undefined): string | undefined {
    if (this.grants.size === 0 || method === 'oauth.v2.access') return undefined;
    const issued = token ? this.tokens.get(token) : undefined;
    if (!issued) return token ? 'invalid_auth' : 'not_authed';
    return issued.revoked ? 'token_revoked' : undefined;
  }

  /** oauth.v2.access: a code from the redirect for its grant, or a refresh token for a new pair (token rotation). */
  private oauthAccess(params: Record<string, unknown>): Record<string, unknown> {
    if (params['client_id'] !== FAKE_OAUTH_APP.clientId) return { ok: false, error: 'invalid_client_id' };
    if (params['client_secret'] !== FAKE_OAUTH_APP.clientSecret) return { ok: false, error: 'bad_client_secret' };
    let grant: FakeGrant | undefined;
    if (params['grant_type'] === 'refresh_token') {
      const old = [...this.tokens.values()].find((t) => t.grant.refreshToken !== undefined && t.grant.refreshToken === params['refresh_token'] && !t.revoked);
      if (!old) return { ok: false, error: 'invalid_refresh_token' };
      const n = ++this.refreshes;
      grant = { ...old.grant, botToken: `${old.grant.botToken.replace(/-r\d+$/, '')}-r${n}`, refreshToken: `${old.grant.refreshToken}-r${n}` };
    } else {
      // A code is good for one exchange.
      grant = this.grants.get(String(params['code']));
      if (!grant || grant.botToken === USED) return { ok: false, error: 'invalid_code' };
      this.grants.set(String(params['code']), { ...grant, botToken: USED });
    }
    this.tokens.set(grant.botToken, { grant, revoked: false });
    return {
      ok: true,
      app_id: FAKE_OAUTH_APP.appId,
      authed_user: { id: grant.installerId ?? 'UINSTALLER' },
      scope: 'commands,chat:write',
      token_type: 'bot',
      access_token: grant.botToken,
      bot_user_id: grant.botUserId ?? FAKE_BOT.userId,
      team: grant.teamId ? { id: grant.teamId, name: `Team ${grant.teamId}` } : null,
      enterprise: grant.enterpriseId ? { id: grant.enterpriseId, name: `Org ${grant.enterpriseId}` } : null,
      is_enterprise_install: grant.isEnterpriseInstall === true,
      ...(grant.refreshToken ? { refresh_token: grant.refreshToken, expires_in: grant.expiresIn ?? 43_200 } : {}),
    };
  }

  private answer(method: string, params: Record<string, unknown>, token?: string): Record<string, unknown> {
    const channel = params['channel'];
    const issued = token ? this.tokens.get(token)?.grant : undefined;
    switch (method) {
      case 'oauth.v2.access':
        return this.oauthAccess(params);
      case 'auth.test':
        if (issued) {
          const org = issued.isEnterpriseInstall === true;
          return { ok: true, url: org ? `https://${issued.enterpriseId}.enterprise.slack.com/` : `https://${issued.teamId}.slack.com/`, team: 'Fake', user: 'backfill', team_id: issued.teamId ?? null, enterprise_id: issued.enterpriseId ?? null, user_id: issued.botUserId ?? FAKE_BOT.userId, bot_id: `B${issued.teamId ?? issued.enterpriseId}`, is_enterprise_install: org };
        }
        return { ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'backfill', team_id: FAKE_BOT.teamId, user_id: FAKE_BOT.userId, bot_id: FAKE_BOT.botId };
      case 'chat.postMessage': {
        const ts = this.ts();
        this.messages.push({ channel: String(channel), ts, text: params['text'], blocks: params['blocks'], ...(params['metadata'] ? { metadata: params['metadata'] } : {}) });
        return { ok: true, channel, ts, message: { text: params['text'] } };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.ts() };
      case 'chat.update': {
        const message = this.messages.find((m) => m.channel === channel && m.ts === params['ts']);
        if (message) Object.assign(message, { text: params['text'], blocks: params['blocks'] });
        return { ok: true, channel, ts: params['ts'], text: params['text'] };
      }
      case 'conversations.history':
        return this.history(String(channel), params);
      case 'conversations.open': {
        // The bot's DM with a person: an id of its own per person (D for the user's U), as Slack keeps one.
        const users = String(params['users'] ?? '');
        return /^U[A-Z0-9]+$/.test(users) ? { ok: true, channel: { id: `D${users.slice(1)}` } } : { ok: false, error: 'user_not_found' };
      }
      case 'views.publish':
        return { ok: true, view: { id: `V${this.nextTs++}`, ...(params['view'] as Record<string, unknown>) } };
      case 'usergroups.list':
        return { ok: true, usergroups: this.userGroups.map((g) => ({ id: g.id, ...(String(params['include_users']) === 'true' ? { users: g.users } : {}) })) };
      case 'apps.connections.open':
        return { ok: true, url: this.socketUrl ?? `${this.base.replace(/^http/, 'ws')}/link` };
      case 'users.info': {
        const user = this.users.get(String(params['user']));
        if (!user) return { ok: false, error: 'user_not_found' };
        const { display_name = '', real_name = '', ...rest } = user;
        return { ok: true, user: { ...rest, name: user.name ?? user.id, real_name, profile: { display_name, real_name } } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  /** A 429 when the channel's last accepted call of a paced method was too recent. */
  private paced(method: string, params: Record<string, unknown>, at: number): Failure | undefined {
    const pace = this.paces.get(method);
    const last = this.lastAccepted.get(`${method}:${String(params['channel'])}`);
    if (!pace || last === undefined || at - last >= pace.intervalMs) return undefined;
    return { retryAfterSeconds: pace.retryAfterSeconds ?? Math.ceil((last + pace.intervalMs - at) / 1000) };
  }

  private ts(): string {
    const seconds = this.options.now ? Math.floor(this.options.now() / 1000) : 1700000000;
    return `${seconds}.${String(this.nextTs++).padStart(6, '0')}`;
  }

  /** Newest first, from `oldest` on, a page of `limit` at a time; metadata only when asked for, as Slack does. */
  private history(channel: string, params: Record<string, unknown>): Record<string, unknown> {
    const oldest = Number(params['oldest'] ?? 0);
    const inclusive = String(params['inclusive']) === 'true';
    const withMetadata = String(params['include_all_metadata']) === 'true';
    const limit = Math.min(Number(params['limit'] ?? 100), 999);
    const start = Number(params['cursor'] ?? 0);
    const all = this.messagesIn(channel)
      .filter((m) => (inclusive ? Number(m.ts) >= oldest : Number(m.ts) > oldest))
      .reverse();
    const page = all.slice(start, start + limit).map((m) => ({ type: 'message', ts: m.ts, text: m.text, bot_id: FAKE_BOT.botId, ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) }));
    const more = start + limit < all.length;
    return { ok: true, messages: page, has_more: more, response_metadata: { next_cursor: more ? String(start + limit) : '' } };
  }
}
