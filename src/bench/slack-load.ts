import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';

/** What the benchmark uses of the fake Slack (test/slack/fake-slack.ts, built into dist/bench/fakes by `npm run bench`). */
interface FakeSlackApi {
  start(): Promise<unknown>;
  readonly apiUrl: string;
  readonly responses: unknown[];
  responseUrl(id: string): string;
  reset(): void;
  addUser(user: { id: string; name?: string; display_name?: string }): unknown;
  waitFor(condition: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}
interface FakeSlackModule {
  FakeSlack: new () => FakeSlackApi;
  slackSignature(signingSecret: string, body: string): Record<string, string>;
  slashCommandForm(f: { command: string; text: string; responseUrl: string; userId?: string }): string;
}

// The fake lives with the tests, not in src: the benchmark loads the copy `npm run bench` builds.
const { FakeSlack, slackSignature, slashCommandForm } = (await import(new URL('./fakes/fake-slack.js', import.meta.url).href)) as FakeSlackModule;

/**
 * Slack's side of the benchmark, in a worker thread so that it does not compete with the bot for
 * its event loop: the fake Web API and response_url, and the client that posts signed slash
 * commands all at once and times each HTTP response (the ack).
 */
export type LoadRequest =
  | { kind: 'start' }
  | {
      kind: 'run';
      eventsUrl: string;
      signingSecret: string;
      prefix: string;
      count: number;
      queries: string[];
      /** At most this many requests in flight (default: all at once). */
      inFlight?: number;
      /** Wait for every answer at its response_url (default); a bare app that only acks sends none. */
      answers?: boolean;
    }
  /** Opens `count` keep-alive connections (GET `url`), as a load balancer's pool would hold them. */
  | { kind: 'connect'; url: string; count: number }
  /** Closes every open connection: the next run opens new ones. */
  | { kind: 'disconnect' }
  | { kind: 'stop' };

export type LoadReply =
  | { kind: 'started'; apiUrl: string }
  | { kind: 'ran'; ackMs: number[]; allAnsweredMs: number }
  | { kind: 'connected' }
  | { kind: 'disconnected' }
  | { kind: 'stopped' }
  | { kind: 'failed'; error: string };

let agent = new Agent({ keepAlive: true, maxSockets: Infinity });
/** Slack's side knows the people who send the commands, as a real workspace does. */
const PEOPLE = 20;
const fake = new FakeSlack();
for (let i = 0; i < PEOPLE; i++) fake.addUser({ id: `UBENCH${i}`, name: `bench${i}`, display_name: `Bench ${i}` });

function post(url: string, signingSecret: string, body: string): Promise<number> {
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), ...slackSignature(signingSecret, body) };
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - start) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function handle(message: LoadRequest): Promise<LoadReply> {
  switch (message.kind) {
    case 'start':
      await fake.start();
      return { kind: 'started', apiUrl: fake.apiUrl };
    case 'run': {
      fake.reset();
      const bodies = Array.from({ length: message.count }, (_, i) =>
        slashCommandForm({ command: '/explain', text: message.queries[i % message.queries.length]!, responseUrl: fake.responseUrl(`${message.prefix}-${i}`), userId: `UBENCH${i % PEOPLE}` }),
      );
      const start = performance.now();
      const ackMs: number[] = new Array(bodies.length);
      let next = 0;
      const lane = async () => {
        for (let i = next++; i < bodies.length; i = next++) ackMs[i] = await post(message.eventsUrl, message.signingSecret, bodies[i]!);
      };
      await Promise.all(Array.from({ length: Math.min(message.inFlight ?? bodies.length, bodies.length) }, lane));
      if (message.answers !== false) await fake.waitFor(() => fake.responses.length >= message.count, 30_000);
      return { kind: 'ran', ackMs, allAnsweredMs: performance.now() - start };
    }
    case 'connect':
      await Promise.all(
        Array.from(
          { length: message.count },
          () =>
            new Promise<void>((resolve, reject) => {
              const req = request(message.url, { method: 'GET', agent }, (res) => {
                res.resume();
                res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET ${message.url}: HTTP ${res.statusCode}`))));
              });
              req.on('error', reject);
              req.end();
            }),
        ),
      );
      return { kind: 'connected' };
    case 'disconnect':
      agent.destroy();
      agent = new Agent({ keepAlive: true, maxSockets: Infinity });
      return { kind: 'disconnected' };
    case 'stop':
      agent.destroy();
      await fake.close();
      return { kind: 'stopped' };
  }
}

parentPort?.on('message', (message: LoadRequest) => {
  handle(message).then(
    (reply) => parentPort?.postMessage(reply),
    (err: unknown) => parentPort?.postMessage({ kind: 'failed', error: err instanceof Error ? err.message : String(err) } satisfies LoadReply),
  );
});
