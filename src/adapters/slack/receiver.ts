import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultBodyLimit, HTTPModuleFunctions, type BufferedIncomingMessage, HTTPReceiver, isRawBodyError, isValidSlackRequest, type CustomRoute, type HTTPReceiverOptions } from '@slack/bolt';
import type { Logger } from '../../core/log.js';

/** Slack's rule: a request is signed within five minutes of now, either way. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export interface ScreenOptions {
  signingSecret: string;
  /** Paths Bolt serves events, commands and interactions on (POST). */
  endpoints: string[];
  log: Logger;
  /** Milliseconds since the epoch; injected by tests. */
  now?: () => number;
  /** At most this many signatures are remembered for replay detection (oldest forgotten first). */
  maxRemembered?: number;
}

/**
 * Signatures of requests already accepted, kept until their timestamp leaves the five-minute window
 * (after which the timestamp check refuses them anyway). One process's memory: a replay sent to
 * another process of the same app is not caught here.
 */
class SeenSignatures {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** True when `signature` was seen before; otherwise it is remembered until `expiresAt`. */
  checkAndRemember(signature: string, expiresAt: number, now: number): boolean {
    this.forgetExpired(now);
    if (this.expiries.has(signature)) return true;
    this.expiries.set(signature, expiresAt);
    if (this.expiries.size > this.max) this.expiries.delete(this.expiries.keys().next().value!);
    return false;
  }

  private forgetExpired(now: number): void {
    // Entries are in insertion order, which is nearly expiry order: stop at the first live one.
    for (const [signature, expiresAt] of this.expiries) {
      if (expiresAt > now) break;
      this.expiries.delete(signature);
    }
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refuse(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}

type Verdict = 'pass' | { status: number; reason: string };

/**
 * What a request body lacks that Slack always sends: a slash command has `command`, everything
 * else a `type`; an event callback carries its `event`, a button click its `actions`. Bolt would
 * acknowledge none of these, and answer 404 only after its three seconds.
 */
function missingPart(body: Record<string, unknown>): string | undefined {
  if (typeof body['command'] === 'string' || body['ssl_check'] !== undefined) return undefined;
  if (typeof body['type'] !== 'string') return 'neither a slash command nor a typed payload';
  if (body['type'] === 'event_callback' && !isPlainObject(body['event'])) return 'an event callback without its event';
  if (body['type'] === 'block_actions' && !(Array.isArray(body['actions']) && body['actions'].every(isPlainObject) && body['actions'].length > 0)) return 'a block_actions payload without actions';
  return undefined;
}

/**
 * Checks a POST to the events endpoint before Bolt sees it. Bolt 5.1 refuses stale timestamps but
 * not future ones, runs a replayed request again, and dereferences the parsed body without looking
 * at it, so a signed `payload=null` or JSON `null` throws inside its receiver. Here:
 * - a timestamp more than five minutes from now, either way, is refused with 401;
 * - a correctly signed request seen before (same signature) is a replay: 200, and nothing runs;
 * - a correctly signed body that is not a JSON object, or lacks what Slack always sends (see
 *   `missingPart`), is refused with 400.
 * Anything else (unsigned, malformed JSON, ssl_check) goes on to Bolt, which answers as it does.
 * The body is buffered here as Bolt does it (`rawBody`), so Bolt reads the same bytes again.
 */
export function requestScreen(options: ScreenOptions): (req: IncomingMessage, res: ServerResponse) => Promise<Verdict> {
  const now = options.now ?? Date.now;
  const seen = new SeenSignatures(options.maxRemembered ?? 100_000);
  return async (req) => {
    let buffered: BufferedIncomingMessage;
    try {
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, defaultBodyLimit);
    } catch (err) {
      if (isRawBodyError(err) && err.statusCode === 413) return { status: 413, reason: 'body too large' };
      return { status: 400, reason: `unreadable body (${err instanceof Error ? err.message : String(err)})` };
    }
    const signature = header(req, 'x-slack-signature');
    const timestamp = Number(header(req, 'x-slack-request-timestamp'));
    if (signature === undefined || !Number.isFinite(timestamp)) return 'pass';
    const nowMs = now();
    const skew = timestamp - nowMs / 1000;
    if (Math.abs(skew) > MAX_CLOCK_SKEW_SECONDS) {
      return { status: 401, reason: `signed ${Math.round(Math.abs(skew))} s ${skew > 0 ? 'in the future' : 'ago'} (at most ${MAX_CLOCK_SKEW_SECONDS} s either way)` };
    }
    const signed = isValidSlackRequest({
      signingSecret: options.signingSecret,
      body: buffered.rawBody.toString(),
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: nowMs,
    });
    if (!signed) return 'pass';
    if (seen.checkAndRemember(signature, (timestamp + MAX_CLOCK_SKEW_SECONDS) * 1000, nowMs)) return { status: 200, reason: 'replay of a request already handled' };
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      return 'pass';
    }
    if (!isPlainObject(body)) return { status: 400, reason: `the body is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`}, not an object` };
    const missing = missingPart(body);
    return missing ? { status: 400, reason: missing } : 'pass';
  };
}

/** Bolt's own OAuth (distribution): the install page, the redirect with its state check, the installation store. */
export type ReceiverOAuth = Pick<HTTPReceiverOptions, 'clientId' | 'clientSecret' | 'stateSecret' | 'scopes' | 'installationStore' | 'installerOptions'>;

export interface GuardedReceiverOptions extends ScreenOptions {
  customRoutes: CustomRoute[];
  logger: HTTPReceiverOptions['logger'];
  oauth?: ReceiverOAuth;
}

/**
 * Bolt's HTTPReceiver with `requestScreen` in front of its request listener. A failure anywhere in
 * handling a request is logged with the request line and answered 500; it never reaches the process.
 */
export function guardedHttpReceiver(options: GuardedReceiverOptions): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: options.endpoints,
    customRoutes: options.customRoutes,
    logger: options.logger,
    ...options.oauth,
  });
  const screen = requestScreen(options);
  const boltListener = receiver.requestListener;
  const { log, endpoints } = options;
  receiver.requestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || !endpoints.includes(path)) return boltListener(req, res);
    screen(req, res)
      .then((verdict) => {
        if (verdict === 'pass') return boltListener(req, res);
        log.warn(`slack: answered ${verdict.status} to POST ${path}: ${verdict.reason}`);
        refuse(res, verdict.status);
      })
      .catch((err: unknown) => {
        log.error(`slack: could not handle POST ${path}`, err);
        refuse(res, 500);
      });
  };
  return receiver;
}
