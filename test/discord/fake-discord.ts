import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { APPLICATION_ID, BOT_USER, botMessage, GUILD_ID, guildCreate } from './payloads.js';

export interface RecordedCall {
  method: string;
  /** Path below the versioned API base, e.g. `/channels/1/messages`. */
  path: string;
  query: URLSearchParams;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface Failure {
  method: string;
  path: RegExp;
  status: number;
  body: { code: number; message: string };
  /** How many matching requests fail (default 1). */
  times?: number;
}

const API_PREFIX = '/api/v10';

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
  private sequence = 0;
  private nextMessageId = 900000000000000000n;

  private constructor(
    private readonly server: Server,
    private readonly gateway: WebSocketServer,
    readonly token: string,
  ) {}

  static async start(token = 'fake-bot-token'): Promise<FakeDiscord> {
    const server = createServer();
    const gateway = new WebSocketServer({ server });
    const fake = new FakeDiscord(server, gateway, token);
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

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Sends a gateway event (op 0) to every connected client. */
  dispatch(t: string, d: unknown): void {
    const frame = JSON.stringify({ op: 0, t, s: ++this.sequence, d });
    for (const socket of this.sockets) socket.send(frame);
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
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('message', (raw) => this.onFrame(socket, JSON.parse(String(raw)) as { op: number; d: unknown }));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 } }));
  }

  private onFrame(socket: WebSocket, frame: { op: number; d: unknown }): void {
    this.received.push(frame);
    if (frame.op === 1) socket.send(JSON.stringify({ op: 11 }));
    if (frame.op !== 2) return;
    if ((frame.d as { token?: string }).token !== this.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    this.dispatch('READY', {
      v: 10,
      user: BOT_USER,
      guilds: [{ id: GUILD_ID, unavailable: true }],
      session_id: 'fake-session',
      resume_gateway_url: this.gatewayUrl,
      shard: [0, 1],
      application: { id: APPLICATION_ID, flags: 0 },
    });
    this.dispatch('GUILD_CREATE', guildCreate());
  }

  // --- REST ------------------------------------------------------------------

  private async rest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const pathname = decodeURIComponent(url.pathname);
    const path = pathname.startsWith(API_PREFIX) ? pathname.slice(API_PREFIX.length) : pathname;
    const call: RecordedCall = { method: req.method ?? 'GET', path, query: url.searchParams, body: raw ? (JSON.parse(raw) as unknown) : undefined };
    this.calls.push(call);

    const failure = this.failures.find((f) => f.method === call.method && f.path.test(path));
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      return this.json(res, failure.status, failure.body);
    }
    const webhook = /^\/webhooks\/\d+\/[^/]+(\/messages\/(@original|\d+))?$/.exec(path);
    const channelMessages = /^\/channels\/(\d+)\/messages(\/\d+)?$/.exec(path);
    if (path === '/gateway/bot' && call.method === 'GET') {
      if (req.headers.authorization !== `Bot ${this.token}`) return this.json(res, 401, { code: 0, message: '401: Unauthorized' });
      return this.json(res, 200, { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if (/^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return this.empty(res);
    if (webhook && call.method === 'DELETE') return this.empty(res);
    if (webhook) return this.json(res, 200, this.message(call.body, channelMessages?.[1]));
    if (channelMessages) return this.json(res, 200, this.message(call.body, channelMessages[1], channelMessages[2]?.slice(1)));
    if (/^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path) && call.method === 'PUT') {
      const commands = (call.body as Array<Record<string, unknown>>).map((c, i) => ({ ...c, id: String(700000000000000000n + BigInt(i)), application_id: APPLICATION_ID, version: '1' }));
      return this.json(res, 200, commands);
    }
    if (/^\/channels\/\d+$/.test(path)) return this.json(res, 404, { code: 10003, message: 'Unknown Channel' });
    return this.json(res, 404, { code: 0, message: '404: Not Found' });
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

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private empty(res: ServerResponse): void {
    res.writeHead(204).end();
  }
}
