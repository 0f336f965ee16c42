import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { FakeSlack, slackSignature, slashCommandForm } from '../adapters/slack/fake-slack.js';

/**
 * Slack's side of the benchmark, in a worker thread so that it does not compete with the bot for
 * its event loop: the fake Web API and response_url, and the client that posts signed slash
 * commands all at once and times each HTTP response (the ack).
 */
export type LoadRequest = { kind: 'start' } | { kind: 'run'; eventsUrl: string; signingSecret: string; prefix: string; count: number; queries: string[] } | { kind: 'stop' };

export type LoadReply = { kind: 'started'; apiUrl: string } | { kind: 'ran'; ackMs: number[]; allAnsweredMs: number } | { kind: 'stopped' } | { kind: 'failed'; error: string };

const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
const fake = new FakeSlack();

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
        slashCommandForm({ command: '/explain', text: message.queries[i % message.queries.length]!, responseUrl: fake.responseUrl(`${message.prefix}-${i}`), userId: `UBENCH${i % 20}` }),
      );
      const start = performance.now();
      const ackMs = await Promise.all(bodies.map((b) => post(message.eventsUrl, message.signingSecret, b)));
      await fake.waitFor(() => fake.responses.length >= message.count, 30_000);
      return { kind: 'ran', ackMs, allAnsweredMs: performance.now() - start };
    }
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
