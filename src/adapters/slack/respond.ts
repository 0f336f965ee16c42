import type { RespondArguments } from '@slack/bolt';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** How long a response_url may take to answer before the reply counts as failed. */
const TIMEOUT_MS = 10_000;
/**
 * Connections open at once to one response_url host. A burst of answers queues for them rather than
 * opening one per answer in flight: measured in `npm run bench`, the bot's CPU in the first burst
 * after a start fell from about ×1.25 the tenth burst's to ×1.08 (six runs each), and every answer
 * was delivered as soon.
 */
export const MAX_SOCKETS = 16;
// Kept-alive connections: a burst of answers reuses them (idle ones never hold the process up).
const agents = { 'http:': new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }), 'https:': new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }) };

/** Posts a message to the response_url of a command, click or shortcut; rejects when Slack refuses it. */
export type Respond = (message: RespondArguments) => Promise<void>;

/**
 * What Bolt's respond() does, through Node's HTTP client rather than fetch(): in a burst of answers,
 * fetch's web streams and request objects were about a sixth of the bot's CPU (a CPU profile of the
 * benchmark's bursts). Undefined when the request came with no response_url.
 */
export function responder(responseUrl: string | undefined, timeoutMs = TIMEOUT_MS): Respond | undefined {
  return responseUrl ? (message) => post(responseUrl, message, timeoutMs) : undefined;
}

function post(responseUrl: string, message: RespondArguments, timeoutMs: number): Promise<void> {
  const url = new URL(responseUrl);
  const send = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
  if (!send) return Promise.reject(new Error(`response_url is not an http(s) address: ${url.protocol}`));
  const body = JSON.stringify(message);
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, agent: agents[url.protocol as keyof typeof agents], timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('error', reject);
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new Error(`Failed to respond to the response_url: ${status} ${res.statusMessage ?? ''}`.trim()));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`the response_url did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
