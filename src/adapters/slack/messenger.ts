import { webApi } from '@slack/bolt';
import { DeliveryError } from '../../core/delivery.js';
import { silentLogger } from '../../core/log.js';
import type { Reply } from '../../core/reply.js';
import type { InterruptedSend, Messenger, PostedMessage, Recovery, SendOptions } from '../../core/services.js';
import type { ChannelLanes } from '../lanes.js';
import { parseSlackAddress, slackAddress } from './address.js';
import { slackErrorCode, toDeliveryError } from './delivery.js';
import { slackLanes } from './lanes.js';
import { InFlight } from '../../core/in-flight.js';
import { renderReply } from './render.js';
import { clientToken, type SlackTokens } from './tokens.js';

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
  /** Posts, edits and history reads under way, which a graceful stop waits for. */
  readonly inFlight = new InFlight();

  /**
   * Posts and edits go through `lanes`: in order per channel, paced, rate limits waited out. Each
   * call carries the token of the address's workspace from `tokens` (many workspaces), or the
   * client's own (one workspace).
   */
  constructor(
    private readonly client: webApi.WebClient,
    private readonly lanes: ChannelLanes = slackLanes(silentLogger),
    private readonly tokens: SlackTokens = clientToken,
  ) {
    this.keyedPoster = new webApi.WebClient(client.token, { slackApiUrl: client.slackApiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: quietClientLogger });
  }

  /** `{ token }` for the workspace of `teamId`, or nothing to use the client's own. */
  private async tokenFor(teamId: string): Promise<{ token?: string }> {
    const token = await this.tokens.botToken(teamId);
    return token ? { token } : {};
  }

  /**
   * Posts a message. The core passes SendOptions: a post with a key carries it as message metadata
   * (event_type `backfill_post`), invisible to people, so that `recover` can find it again.
   * Listeners pass the thread ts of the message they answer instead.
   */
  send(address: string, reply: Reply, options: SendOptions | string = {}): Promise<PostedMessage> {
    return this.inFlight.track(this.post(address, reply, options));
  }

  private async post(address: string, reply: Reply, options: SendOptions | string): Promise<PostedMessage> {
    const { key, threadTs } = typeof options === 'string' ? { key: undefined, threadTs: options } : { key: options.key, threadTs: undefined };
    try {
      const { teamId, channelId } = parseSlackAddress(address);
      const result = await this.lanes.run(address, 'post', `a message to ${address}`, async () =>
        (key ? this.keyedPoster : this.client).chat.postMessage({
          ...(await this.tokenFor(teamId)),
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
  recover(address: string, _reply: Reply, send: InterruptedSend): Promise<Recovery> {
    return this.inFlight.track(this.findInHistory(address, send));
  }

  private async findInHistory(address: string, send: InterruptedSend): Promise<Recovery> {
    const { teamId, channelId } = parseSlackAddress(address);
    const token = await this.tokenFor(teamId);
    const oldest = ((send.startedAt.getTime() - CLOCK_MARGIN_MS) / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      let result: { messages?: HistoryMessage[]; has_more?: boolean; response_metadata?: { next_cursor?: string } };
      try {
        result = await this.client.conversations.history({ ...token, channel: channelId, oldest, inclusive: true, include_all_metadata: true, limit: HISTORY_PAGE, ...(cursor ? { cursor } : {}) });
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

  update(message: PostedMessage, reply: Reply): Promise<void> {
    return this.inFlight.track(this.edit(message, reply));
  }

  private async edit(message: PostedMessage, reply: Reply): Promise<void> {
    try {
      const { teamId, channelId } = parseSlackAddress(message.address);
      const what = `an edit of message ${message.messageId} in ${message.address}`;
      await this.lanes.run(message.address, 'edit', what, async () => this.client.chat.update({ ...(await this.tokenFor(teamId)), channel: channelId, ts: message.messageId, ...renderReply(reply) }));
    } catch (err) {
      throw toDeliveryError(err, `an edit of message ${message.messageId} in ${message.address}`);
    }
  }

  /**
   * The bot's DM with a person (`slack:T1:D…`), always through conversations.open (scope im:write):
   * a `D…` address may be a DM between two people, where the bot cannot post.
   */
  async directAddress(address: string, userId: string): Promise<string> {
    const { teamId } = parseSlackAddress(address);
    try {
      const opened = await this.client.conversations.open({ ...(await this.tokenFor(teamId)), users: userId });
      if (!opened.channel?.id) throw new Error('conversations.open answered without a channel');
      return slackAddress(teamId, opened.channel.id);
    } catch (err) {
      throw toDeliveryError(err, `opening a direct message with ${userId}`);
    }
  }

  /** A message only `userId` sees, in a channel or thread they are in. */
  async sendPrivately(address: string, userId: string, reply: Reply, threadTs?: string): Promise<void> {
    try {
      const { teamId, channelId } = parseSlackAddress(address);
      await this.client.chat.postEphemeral({ ...(await this.tokenFor(teamId)), channel: channelId, user: userId, ...renderReply(reply), ...(threadTs ? { thread_ts: threadTs } : {}) });
    } catch (err) {
      throw toDeliveryError(err, `a private message to ${userId} in ${address}`);
    }
  }
}
