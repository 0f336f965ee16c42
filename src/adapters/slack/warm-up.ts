import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Backfill } from '../../app.js';
import { silentLogger } from '../../core/log.js';
import { EVENTS_PATH, HEALTH_PATH } from './conventions.js';
import { createSlackApp, type SlackConfig } from './slack.js';

/**
 * How long the requests of a Slack warm-up may take, answers included (at least one round). V8 goes
 * on optimizing for thousands of requests: measured on 2 cores, the bot's CPU in the first burst
 * after a start was ×2.5 the tenth's with 1 s of warm-up and ×1.65 with 3 s.
 */
const BUDGET_MS = 3_000;
/** Requests in flight at once, like a burst over a pool of connections. */
const IN_FLIGHT = 100;
/** GET /health requests sent with each round of commands. */
const HEALTH_CHECKS = 20;
/** Every this many rounds, the warm-up's connections are closed and new ones opened. */
const CONNECTIONS_EVERY = 5;
const MAX_REQUESTS = 10_000;
/** Distinct questions the warm-up asks (found once each before it starts). */
const QUESTIONS = 100;
const TEAM = 'TWARMUP';
const CHANNEL = 'CWARMUP';

export interface SlackWarmUp {
  /** Signed slash commands sent and acked. */
  requests: number;
  /** Of them, answered at their response_url. */
  answered: number;
  /** GET /health requests answered. */
  checks: number;
  /** Connections the Slack app accepted (they are closed and opened again every few rounds). */
  connections: number;
  ms: number;
}

export interface SlackWarmUpOptions {
  budgetMs?: number;
  maxRequests?: number;
}

/**
 * Slack's side of a warm-up, on loopback: the Web API (auth.test, users.info) and the response_url
 * the answers are posted to. Nothing leaves the machine.
 */
async function loopbackSlack(): Promise<{ base: string; answered: () => number; closeIdle(): void; close(): void }> {
  let answered = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '/';
      if (path.startsWith('/respond/')) answered++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(apiAnswer(path)));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answered: () => answered,
    closeIdle: () => server.closeIdleConnections(),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

function apiAnswer(path: string): Record<string, unknown> {
  if (path.startsWith('/api/auth.test')) return { ok: true, url: 'https://warm-up.invalid/', team: 'warm-up', user: 'backfill', team_id: TEAM, user_id: 'UWARMUPBOT', bot_id: 'BWARMUP' };
  if (path.startsWith('/api/users.info')) return { ok: true, user: { id: 'UWARMUP', name: 'warm-up', real_name: 'warm-up', is_admin: false, is_owner: false, profile: { display_name: 'warm-up', real_name: 'warm-up' } } };
  return { ok: true };
}

/**
 * Before Slack takes requests: signed slash commands through a twin of the Slack app (the same
 * createSlackApp: Bolt's HTTP receiver behind our request screen, its middleware, our listeners,
 * the users cache, the bot and its search, the renderer, the answer to response_url), over loopback HTTP, with
 * Slack's side on loopback too (see loopbackSlack): the code a burst runs, compiled and optimized
 * before the first burst rather than during it. Each command asks a question that finds its card
 * (see warmUpQuestions), in a workspace and channel of its own. Rounds of IN_FLIGHT requests with
 * health checks among them (a load balancer's GET /health: without them, the first checks after the
 * warm-up undid the optimization of Node's HTTP server for the commands) until the budget is spent;
 * a failure only ends the warm-up early.
 */
export async function warmUpSlack(backfill: Backfill, options: SlackWarmUpOptions = {}): Promise<SlackWarmUp> {
  const started = performance.now();
  const budgetMs = options.budgetMs ?? BUDGET_MS;
  const maxRequests = options.maxRequests ?? MAX_REQUESTS;
  const slack = await loopbackSlack();
  const signingSecret = randomBytes(16).toString('hex');
  const config: SlackConfig = {
    slackMode: 'http',
    SLACK_BOT_TOKEN: 'xoxb-warm-up',
    SLACK_APP_TOKEN: undefined,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: `${slack.base}/api/`,
    SLACK_ADMIN_USERS: undefined,
    PORT: 0,
    slackOAuth: false,
    SLACK_CLIENT_ID: undefined,
    SLACK_CLIENT_SECRET: undefined,
    SLACK_STATE_SECRET: undefined,
  };
  const twin = createSlackApp(backfill, config, silentLogger);
  let agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const texts = warmUpQuestions(backfill);
  let sent = 0;
  let checks = 0;
  let connections = 0;
  try {
    await twin.app.init();
    const server = (await twin.app.start({ port: 0, host: '127.0.0.1' })) as Server;
    server.on('connection', () => connections++);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const events = `${base}${EVENTS_PATH}`;
    const command = (n: number) => {
      const body = new URLSearchParams({
        token: 'warm-up',
        team_id: TEAM,
        team_domain: 'warm-up',
        channel_id: CHANNEL,
        channel_name: 'warm-up',
        user_id: `UWARMUP${n % 20}`,
        user_name: 'warm-up',
        command: '/explain',
        text: texts.length ? texts[(n * 7) % texts.length]! : 'warm-up',
        api_app_id: 'AWARMUP',
        is_enterprise_install: 'false',
        response_url: `${slack.base}/respond/${n}`,
        trigger_id: `${n}.0.warm-up`,
      }).toString();
      return post(agent, events, signingSecret, body);
    };
    // A round ends when its answers are in (they follow the acks): no work of the warm-up is left
    // running when Slack's requests begin.
    const deadline = started + budgetMs * 1.5;
    let round = 0;
    do {
      // Health checks between the commands, and connections closed and opened again now and then, as
      // a load balancer and Slack's own pool do: their code paths are compiled for both kinds of request.
      if (++round % CONNECTIONS_EVERY === 0) {
        agent.destroy();
        agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
        slack.closeIdle();
      }
      const health = Array.from({ length: HEALTH_CHECKS }, () => get(agent, `${base}${HEALTH_PATH}`).then(() => checks++));
      await Promise.all([...health, ...Array.from({ length: Math.min(IN_FLIGHT, maxRequests - sent) }, () => command(sent++))]);
      while (slack.answered() < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    } while (sent < maxRequests && slack.answered() === sent && performance.now() - started < budgetMs);
  } catch {
    // Warming is best effort: a start never fails for it.
  } finally {
    twin.requests.close();
    await twin.app.stop().catch(() => undefined);
    twin.stopSending();
    agent.destroy();
    slack.close();
  }
  return { requests: sent, answered: slack.answered(), checks, connections, ms: performance.now() - started };
}

/**
 * What the warm-up asks: questions the cards say people ask, each checked to find its card (a
 * found card records nothing: no miss, no progress), so a burst's whole search path runs; a
 * card's id where none of its questions finds it.
 */
function warmUpQuestions(backfill: Backfill): string[] {
  const { kb, search } = backfill.knowledge;
  const step = Math.max(1, Math.floor(kb.concepts.length / QUESTIONS));
  return kb.concepts
    .filter((_, i) => i % step === 0)
    .slice(0, QUESTIONS)
    .map((c) => c.questions.find((q) => search.search(q).match) ?? c.id);
}

/** GETs a URL; resolves once answered. */
function get(agent: Agent, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end();
  });
}

/** POSTs a signed form body; resolves once answered (any status). */
function post(agent: Agent, url: string, signingSecret: string, body: string): Promise<void> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`warm-up request answered HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}
