import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { APPLICATION_ID, BOT_USER, botMessage, CHANNEL_ID, DM_CHANNEL_ID, GUILD_ID, guildCreate, shardOf } from './payloads.js';

export interface RecordedCall {
  method: string;
  /** Path below the versioned API base, e.g. `/channels/1/messages`. */
  path: string;
  query: URLSearchParams;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** The status the fake answered with (set when it answered). */
  status?: number;
  /** When the request arrived (Date.now()). */
  at: number;
}

export interface Failure {
  method: string;
  path: RegExp;
  status: number;
  body: { code: number; message: string } | Record<string, unknown>;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Response headers, e.g. a 429's Retry-After. */
  headers?: Record<string, string>;
}

/** A 429 as Discord sends it: Retry-After in (fractional) seconds, in the header and the body. */
export function rateLimited(method: string, path: RegExp, retryAfterSeconds: number, times = 1): Failure {
  return {
    method,
    path,
    status: 429,
    times,
    headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-scope': 'user' },
    body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false },
  };
}

/** Discord's per-channel bucket for creating messages: `limit` per `windowMs`, announced in X-RateLimit headers. */
export interface MessageBucket {
  limit: number;
  windowMs: number;
}

const API_PREFIX = '/api/v10';

/** A server the bot is in, with its one text channel. */
export interface FakeGuild {
  id: string;
  channelId: string;
}

export interface FakeDiscordOptions {
  token?: string;
  /** The servers the bot is in (default: GUILD_ID with CHANNEL_ID). */
  guilds?: FakeGuild[];
  /** What GET /gateway/bot recommends. */
  shards?: number;
  /** How many shards may identify at once (session_start_limit.max_concurrency). */
  maxConcurrency?: number;
  /** The gateway GET /gateway/bot names (default: this fake's own). */
  gatewayUrl?: string;
}

/** A request that is never answered, as if the connection died or the caller was killed waiting. */
interface Hold {
  match: (call: RecordedCall) => boolean;
  /** Discord acted on it (a posted message exists) before the answer was lost; otherwise it never arrived. */
  deliver: boolean;
  /** Called when it arrives; `answer()` sends the answer after all (a slow call rather than a lost one). */
  onHeld?: (answer: () => void) => void;
}

/** A message created in a channel. */
export interface CreatedMessage {
  id: string;
  channelId: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/**
 * A local stand-in for Discord: the REST API (records every call, answers like Discord) and the
 * gateway on the same loopback port (HELLO, IDENTIFY → READY and GUILD_CREATE, heartbeat ACKs,
 * then whatever dispatches a test sends).
 */
export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  readonly received: Array<{ op: number; d: unknown }> = [];
  private readonly failures: Failure[] = [];
  private readonly sockets = new Set<WebSocket>();
  /** Each identified connection's shard: [id, count]. */
  private readonly shardOfSocket = new Map<WebSocket, [number, number]>();
  /** The shard ([id, count]) of each IDENTIFY, in order. */
  readonly identified: Array<[number, number]> = [];
  private sequence = 0;
  private nextMessageId = 900000000000000000n;
  private readonly holds: Hold[] = [];
  private bucket?: MessageBucket;
  private readonly windows = new Map<string, { start: number; used: number }>();
  /** Requests refused by the message bucket. */
  readonly refused: RecordedCall[] = [];
  /** Messages POST /channels/:id/messages created, oldest first (a repeat dropped for its nonce is not one). */
  readonly created: CreatedMessage[] = [];
  /** channel:nonce → the message it created and when (real time), for `enforce_nonce`. */
  private readonly nonces = new Map<string, { message: Record<string, unknown>; at: number }>();
  /** How long Discord drops a repeated nonce ("the past few minutes"). */
  nonceWindowMs = 5 * 60_000;
  /** How long posting or editing a channel message takes; the message exists only when the time is up. */
  messageDelayMs = 0;

  private constructor(
    private readonly server: Server,
    private readonly gateway: WebSocketServer,
    readonly token: string,
    readonly guilds: readonly FakeGuild[],
    private readonly advice: { shards: number; maxConcurrency: number },
  ) {}

  static async start(options: string | FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const o = typeof options === 'string' ? { token: options } : options;
    const server = createServer();
    const gateway = new WebSocketServer({ server });
    const fake = new FakeDiscord(server, gateway, o.token ?? 'fake-bot-token', o.guilds ?? [{ id: GUILD_ID, channelId: CHANNEL_ID }], { shards: o.shards ?? 1, maxConcurrency: o.maxConcurrency ?? 1 });
    fake.advertisedGateway = o.gatewayUrl;
    server.on('request', (req, res) => void fake.rest(req, res));
    gateway.on('connection', (socket) => fake.connect(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  private get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** Gateway connections open now. */
  get connections(): number {
    return this.sockets.size;
  }

  /** The gateway GET /gateway/bot names (see FakeDiscordOptions). */
  advertisedGateway: string | undefined;

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /**
   * Sends a gateway event (op 0) as Discord routes it: a server's events to the connections of the
   * shard `(guild_id >> 22) % count`, others (DMs) to shard 0. Returns how many connections got it.
   */
  dispatch(t: string, d: unknown): number {
    const guildId = (d as { guild_id?: string } | null)?.guild_id;
    let sent = 0;
    for (const socket of this.sockets) {
      const [id, count] = this.shardOfSocket.get(socket) ?? [0, 1];
      if (id !== (guildId ? shardOf(guildId, count) : 0)) continue;
      this.send(socket, t, d);
      sent++;
    }
    return sent;
  }

  private send(socket: WebSocket, t: string, d: unknown): void {
    socket.send(JSON.stringify({ op: 0, t, s: ++this.sequence, d }));
  }

  /**
   * The next request that `match`es is never answered. With `deliver`, Discord acts on it first
   * (a posted message exists); without, it never arrived.
   */
  holdNext(match: Hold['match'], options: Pick<Hold, 'deliver' | 'onHeld'>): void {
    this.holds.push({ match, ...options });
  }

  /** From now on, POST /channels/:id/messages is limited per channel, as Discord limits it. */
  limitMessages(bucket: MessageBucket | undefined): void {
    this.bucket = bucket;
    this.windows.clear();
  }

  /** Forgets failures not used up yet. */
  clearFailures(): void {
    this.failures.length = 0;
  }

  failNext(failure: Failure): void {
    this.failures.push({ times: 1, ...failure });
  }

  /** Resolves with the first recorded call (past or future) that matches. */
  async waitForCall(match: (call: RecordedCall) => boolean, timeoutMs = 3000): Promise<RecordedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching REST call within ${timeoutMs} ms; calls: ${this.calls.map((c) => `${c.method} ${c.path}`).join(', ') || 'none'}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- gateway ---------------------------------------------------------------

  private connect(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.shardOfSocket.delete(socket);
    });
    socket.on('message', (raw) => this.onFrame(socket, JSON.parse(String(raw)) as { op: number; d: unknown }));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 } }));
  }

  private onFrame(socket: WebSocket, frame: { op: number; d: unknown }): void {
    this.received.push(frame);
    if (frame.op === 1) socket.send(JSON.stringify({ op: 11 }));
    if (frame.op !== 2) return;
    const identify = frame.d as { token?: string; shard?: [number, number] };
    if (identify.token !== this.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const shard = identify.shard ?? [0, 1];
    const [id, count] = shard;
    if (!(count >= 1 && id >= 0 && id < count)) {
      socket.close(4010, 'Invalid shard.');
      return;
    }
    this.identified.push(shard);
    this.shardOfSocket.set(socket, shard);
    const guilds = this.guilds.filter((g) => shardOf(g.id, count) === id);
    this.send(socket, 'READY', {
      v: 10,
      user: BOT_USER,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: `fake-session-${id}`,
      resume_gateway_url: this.gatewayUrl,
      shard,
      application: { id: APPLICATION_ID, flags: 0 },
    });
    for (const g of guilds) this.send(socket, 'GUILD_CREATE', guildCreate(g.id, g.channelId));
  }

  // --- REST ------------------------------------------------------------------

  private async rest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const pathname = decodeURIComponent(url.pathname);
    const path = pathname.startsWith(API_PREFIX) ? pathname.slice(API_PREFIX.length) : pathname;
    const call: RecordedCall = { method: req.method ?? 'GET', path, query: url.searchParams, body: raw ? (JSON.parse(raw) as unknown) : undefined, at: Date.now() };
    res.on('finish', () => (call.status = res.statusCode));
    this.calls.push(call);

    if (this.messageDelayMs && /^\/channels\/\d+\/messages(\/\d+)?$/.test(path) && (call.method === 'POST' || call.method === 'PATCH')) {
      await new Promise((resolve) => setTimeout(resolve, this.messageDelayMs));
    }
    const hold = this.holds.find((h) => h.match(call));
    if (hold) {
      // Never answered: the socket stays open until the test closes the fake.
      this.holds.splice(this.holds.indexOf(hold), 1);
      const created = /^\/channels\/(\d+)\/messages$/.exec(path);
      const message = hold.deliver && created && call.method === 'POST' ? this.create(created[1]!, call.body) : undefined;
      hold.onHeld?.(() => (message ? this.json(res, 200, message) : this.json(res, 500, { code: 0, message: 'held' })));
      return;
    }

    const failure = this.failures.find((f) => f.method === call.method && f.path.test(path));
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      return this.json(res, failure.status, failure.body, failure.headers);
    }
    const limited = this.bucketHeaders(call);
    if (limited?.refused) {
      this.refused.push(call);
      return this.json(res, 429, { message: 'You are being rate limited.', retry_after: Number(limited.headers['retry-after']), global: false }, limited.headers);
    }
    if (limited) for (const [name, value] of Object.entries(limited.headers)) res.setHeader(name, value);
    const webhook = /^\/webhooks\/\d+\/[^/]+(\/messages\/(@original|\d+))?$/.exec(path);
    const channelMessages = /^\/channels\/(\d+)\/messages(\/\d+)?$/.exec(path);
    if (path === '/gateway/bot' && call.method === 'GET') {
      if (req.headers.authorization !== `Bot ${this.token}`) return this.json(res, 401, { code: 0, message: '401: Unauthorized' });
      return this.json(res, 200, { url: this.advertisedGateway ?? this.gatewayUrl, shards: this.advice.shards, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: this.advice.maxConcurrency } });
    }
    if (/^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return this.empty(res);
    if (webhook && call.method === 'DELETE') return this.empty(res);
    if (webhook) return this.json(res, 200, this.message(call.body, channelMessages?.[1]));
    if (channelMessages && call.method === 'POST' && !channelMessages[2]) return this.json(res, 200, this.create(channelMessages[1]!, call.body));
    if (channelMessages) return this.json(res, 200, this.message(call.body, channelMessages[1], channelMessages[2]?.slice(1)));
    if (/^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path) && call.method === 'PUT') {
      const commands = (call.body as Array<Record<string, unknown>>).map((c, i) => ({ ...c, id: String(700000000000000000n + BigInt(i)), application_id: APPLICATION_ID, version: '1' }));
      return this.json(res, 200, commands);
    }
    // Opening a DM (users.createDM): the one DM channel of these tests, with the person asked for.
    if (path === '/users/@me/channels' && call.method === 'POST') {
      return this.json(res, 200, { id: DM_CHANNEL_ID, type: 1, last_message_id: null, recipients: [{ id: String(call.body?.recipient_id), username: 'someone', discriminator: '0', global_name: null, avatar: null }] });
    }
    if (/^\/channels\/\d+$/.test(path)) return this.json(res, 404, { code: 10003, message: 'Unknown Channel' });
    return this.json(res, 404, { code: 0, message: '404: Not Found' });
  }

  /** A new message in a channel; with `enforce_nonce`, a repeat of a recent nonce returns the first message instead. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private create(channelId: string, body: any): Record<string, unknown> {
    const nonceKey = body?.enforce_nonce && body.nonce !== undefined ? `${channelId}:${body.nonce}` : undefined;
    const seen = nonceKey ? this.nonces.get(nonceKey) : undefined;
    if (seen && Date.now() - seen.at <= this.nonceWindowMs) return seen.message;
    const message = this.message(body, channelId);
    this.created.push({ id: String(message.id), channelId, body });
    if (nonceKey) this.nonces.set(nonceKey, { message, at: Date.now() });
    return message;
  }

  private message(body: Record<string, unknown> | undefined, channelId = '0', messageId?: string): Record<string, unknown> {
    return botMessage({
      id: messageId ?? String(this.nextMessageId++),
      channel_id: channelId,
      ...body,
      timestamp: new Date().toISOString(),
      edited_timestamp: messageId ? new Date().toISOString() : null,
    });
  }

  /** The bucket's headers for a message-creating request, and whether it is over the limit. */
  private bucketHeaders(call: RecordedCall): { refused: boolean; headers: Record<string, string> } | undefined {
    const channel = call.method === 'POST' ? /^\/channels\/(\d+)\/messages$/.exec(call.path)?.[1] : undefined;
    if (!this.bucket || !channel) return undefined;
    const { limit, windowMs } = this.bucket;
    const now = Date.now();
    let window = this.windows.get(channel);
    if (!window || now - window.start >= windowMs) window = { start: now, used: 0 };
    this.windows.set(channel, window);
    const resetAfter = ((window.start + windowMs - now) / 1000).toFixed(3);
    const base = { 'x-ratelimit-limit': String(limit), 'x-ratelimit-reset-after': resetAfter, 'x-ratelimit-bucket': `messages-${channel}` };
    if (window.used >= limit) return { refused: true, headers: { ...base, 'x-ratelimit-remaining': '0', 'retry-after': resetAfter, 'x-ratelimit-scope': 'user' } };
    window.used++;
    return { refused: false, headers: { ...base, 'x-ratelimit-remaining': String(limit - window.used) } };
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }

  private empty(res: ServerResponse): void {
    res.writeHead(204).end();
  }
}
