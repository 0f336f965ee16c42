import type { webApi } from '@slack/bolt';
import type { Reply } from '../../core/reply.js';
import type { Messenger, PostedMessage } from '../../core/services.js';
import { parseSlackAddress } from './address.js';
import { toDeliveryError } from './delivery.js';
import { renderReply } from './render.js';

/** Card links would unfurl into large previews of the documentation; the card already says enough. */
export const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

/**
 * Posts and edits messages outside a request (quiz questions and reveals, daily posts). Failures
 * surface as DeliveryError with the Slack code and whether retrying can help.
 */
export class SlackMessenger implements Messenger {
  constructor(private readonly client: webApi.WebClient) {}

  async send(address: string, reply: Reply, threadTs?: string): Promise<PostedMessage> {
    const { channelId } = parseSlackAddress(address);
    try {
      const result = await this.client.chat.postMessage({ channel: channelId, ...renderReply(reply), ...NO_UNFURL, ...(threadTs ? { thread_ts: threadTs } : {}) });
      if (!result.ts) throw new Error('chat.postMessage answered without a message ts');
      return { address, messageId: result.ts };
    } catch (err) {
      throw toDeliveryError(err, `a message to ${address}`);
    }
  }

  async update(message: PostedMessage, reply: Reply): Promise<void> {
    const { channelId } = parseSlackAddress(message.address);
    try {
      await this.client.chat.update({ channel: channelId, ts: message.messageId, ...renderReply(reply) });
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
