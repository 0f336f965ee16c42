import type { AllMiddlewareArgs, AnyMiddlewareArgs, HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../../core/log.js';
import { RESTARTING } from '../restarting.js';
import { EVENTS_PATH } from './conventions.js';
import { responder } from './respond.js';

/**
 * What Slack does with a request a stopping process does not take decides how it is refused. Slack
 * never sends a slash command or a click again, so those are told Backfill is restarting. It does
 * send an Events API event again after an error answer (at once, then after 1 and 5 minutes), so
 * over HTTP an event gets 503 (`refuseEventsWhileStopping`) and a process that takes it answers it.
 */

/** HTTP mode: while `stopping()`, a POST of an event (JSON; commands and clicks are forms) to the events path is answered 503. */
export function refuseEventsWhileStopping(receiver: HTTPReceiver, stopping: () => boolean): void {
  const listener = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const json = /^application\/json\b/i.test(req.headers['content-type'] ?? '');
    if (stopping() && json && req.method === 'POST' && new URL(req.url ?? '/', 'http://localhost').pathname === EVENTS_PATH) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end(RESTARTING);
      return;
    }
    listener(req, res);
  };
}

type Args = AnyMiddlewareArgs & AllMiddlewareArgs;

/**
 * A request that arrived while stopping, in Bolt's middleware: a command is acked with the
 * restarting line (Slack shows an ack's text to the person only); a click is acked and told so
 * through its response_url; a mention or DM (Socket Mode: Bolt acked it already, so Slack will not
 * send it again) is told so in the conversation. True when refused; false for the events that are
 * still handled (the Home tab, uninstalls), which are quick and lose nothing by running.
 */
export async function refuseWhileStopping(args: Args, log: Logger): Promise<boolean> {
  try {
    if ('command' in args) {
      await args.ack({ response_type: 'ephemeral', text: RESTARTING });
      return true;
    }
    if ('event' in args) return await refuseMessage(args.event as unknown as Record<string, unknown>, args.client, log);
    if ('ack' in args) await (args.ack as () => Promise<void>)();
    const url = (args.body as { response_url?: unknown }).response_url;
    await responder(typeof url === 'string' ? url : undefined)?.({ response_type: 'ephemeral', replace_original: false, text: RESTARTING });
  } catch (err) {
    log.debug('slack: could not say "restarting"', err);
  }
  return true;
}

async function refuseMessage(event: Record<string, unknown>, client: AllMiddlewareArgs['client'], log: Logger): Promise<boolean> {
  const user = typeof event['user'] === 'string' ? event['user'] : undefined;
  const channel = String(event['channel']);
  const thread_ts = typeof event['thread_ts'] === 'string' ? event['thread_ts'] : undefined;
  const mention = event['type'] === 'app_mention';
  const dm = event['type'] === 'message' && event['channel_type'] === 'im' && event['subtype'] === undefined && event['bot_id'] === undefined;
  if (!user || !(mention || dm)) return false;
  try {
    if (mention) await client.chat.postEphemeral({ channel, user, text: RESTARTING, thread_ts });
    else await client.chat.postMessage({ channel, text: RESTARTING, thread_ts });
  } catch (err) {
    log.debug(`slack: could not say "restarting" in ${channel}`, err);
  }
  return true;
}
