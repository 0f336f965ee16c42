import { webApi } from '@slack/bolt';
import { DeliveryError } from '../../core/delivery.js';
import { silentLogger } from '../../core/log.js';
import type { Reply } from '../../core/reply.js';
import type { InterruptedSend, Messenger, PostedMessage, Recovery, SendOptions } from '../../core/services.js';
import type { ChannelLanes } from '../lanes.js';
import { parseSlackAddress } from './address.js';
import { slackErrorCode, toDeliveryError } from './delivery.js';
import { slackLanes } from './lanes.js';
import { renderReply } from './render.js';

/** Card links would unfurl into large previews of the documentation; the card already says enough. */
export const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

/** The message metadata type that carries a post's idempotency key. */
export const POST_METADATA_TYPE = 'backfill_post';

/** How far before a post's first attempt its search in the history starts: clocks differ. */
const CLOCK_MARGIN_MS = 5 * 60_000;
const HISTORY_PAGE = 200;
const HISTORY_PAGES = 5;

/**
 * Whether a failed call may have posted anyway. Slack's Web API answers 200 with `ok: false` for
 * every refusal and 429 for rate limits: those posted nothing. No answer (a dropped connection, a
 * timeout) or a server error (5xx, from Slack or a proxy) leaves it open.
 */
function maybePosted(err: unknown): boolean {
  if (err instanceof webApi.WebAPIPlatformError || err instanceof webApi.WebAPIRateLimitedError) return false;
  if (err instanceof webApi.WebAPIHTTPError) return err.statusCode >= 500;
  return true;
}

/** The WebClient logs each failed attempt; for posts with a key the outbox reports the outcome instead. */
const quietClientLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => webApi.LogLevel.ERROR,
  setName: () => undefined,
};

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/**
 * Posts and edits messages outside a request (quiz questions and reveals, daily posts). Failures
 * surface as DeliveryError with the Slack code and whether retrying can help.
 */
export class SlackMessenger implements Messenger {
  /**
   * Posts with a key go through a client of their own that never repeats a request by itself: the
   * app's client retries network and server errors, and a repeat of a post that Slack had taken
   * would be a second message. The outbox settles such a failure instead (`recover`) and sends
   * again only what is certainly not there.
   */
  private readonly keyedPoster: webApi.WebClient;

  /** Posts and edits go through `lanes`: in order per channel, paced, rate limits waited out. */
  constructor(
    private readonly client: webApi.WebClient,
    private readonly lanes: ChannelLanes = slackLanes(silentLogger),
  ) {
    this.keyedPoster = client.token
      ? new webApi.WebClient(client.token, { slackApiUrl: client.slackApiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: quietClientLogger })
      : client;
  }

  /**
   * Posts a message. The core passes SendOptions: a post with a key carries it as message metadata
   * (event_type `backfill_post`), invisible to people, so that `recover` can find it again.
   * Listeners pass the thread ts of the message they answer instead.
   */
  async send(address: string, reply: Reply, options: SendOptions | string = {}): Promise<PostedMessage> {
    const { channelId } = parseSlackAddress(address);
    const { key, threadTs } = typeof options === 'string' ? { key: undefined, threadTs: options } : { key: options.key, threadTs: undefined };
    try {
      const result = await this.lanes.run(address, 'post', `a message to ${address}`, () =>
        (key ? this.keyedPoster : this.client).chat.postMessage({
          channel: channelId,
          ...renderReply(reply),
          ...NO_UNFURL,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(key ? { metadata: { event_type: POST_METADATA_TYPE, event_payload: { key } } } : {}),
        }),
      );
      if (!result.ts) throw new Error('chat.postMessage answered without a message ts');
      return { address, messageId: result.ts };
    } catch (err) {
      const delivery = toDeliveryError(err, `a message to ${address}`);
      if (!(err instanceof DeliveryError)) delivery.maybePosted = maybePosted(err);
      throw delivery;
    }
  }

  /**
   * Looks for an interrupted post in the channel's history since its first attempt (less a margin
   * for clock differences), by the key in its metadata. This needs a history scope of the channel's
   * kind (channels:history, groups:history, im:history, mpim:history) and, in a channel, the bot to
   * be a member; when Slack refuses to show the history, the outcome is unknown and the post is not
   * sent again. Internal (customer-built) apps keep Tier 3 limits for conversations.history.
   */
  async recover(address: string, _reply: Reply, send: InterruptedSend): Promise<Recovery> {
    const { channelId } = parseSlackAddress(address);
    const oldest = ((send.startedAt.getTime() - CLOCK_MARGIN_MS) / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      let result: { messages?: HistoryMessage[]; has_more?: boolean; response_metadata?: { next_cursor?: string } };
      try {
        result = await this.client.conversations.history({ channel: channelId, oldest, inclusive: true, include_all_metadata: true, limit: HISTORY_PAGE, ...(cursor ? { cursor } : {}) });
      } catch (err) {
        // A refusal (missing scope, not in the channel, ...) will not change by asking again.
        if (err instanceof webApi.WebAPIPlatformError) return { unknown: `Slack would not show the channel's history (${slackErrorCode(err)})` };
        throw toDeliveryError(err, `reading the history of ${address}`);
      }
      const found = result.messages?.find((m) => m.metadata?.event_type === POST_METADATA_TYPE && m.metadata.event_payload?.['key'] === send.key);
      if (found?.ts) return { found: { address, messageId: found.ts } };
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!result.has_more || !cursor) return { absent: true };
    }
    return { unknown: `more than ${HISTORY_PAGE * HISTORY_PAGES} messages in the channel since the post began` };
  }

  async update(message: PostedMessage, reply: Reply): Promise<void> {
    const { channelId } = parseSlackAddress(message.address);
    try {
      const what = `an edit of message ${message.messageId} in ${message.address}`;
      await this.lanes.run(message.address, 'edit', what, () => this.client.chat.update({ channel: channelId, ts: message.messageId, ...renderReply(reply) }));
    } catch (err) {
      throw toDeliveryError(err, `an edit of message ${message.messageId} in ${message.address}`);
    }
  }

  /** A message only `userId` sees, in a channel or thread they are in. */
  async sendPrivately(address: string, userId: string, reply: Reply, threadTs?: string): Promise<void> {
    const { channelId } = parseSlackAddress(address);
    try {
      await this.client.chat.postEphemeral({ channel: channelId, user: userId, ...renderReply(reply), ...(threadTs ? { thread_ts: threadTs } : {}) });
    } catch (err) {
      throw toDeliveryError(err, `a private message to ${userId} in ${address}`);
    }
  }
}
