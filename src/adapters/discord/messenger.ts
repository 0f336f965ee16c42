import { createHash } from 'node:crypto';
import { DiscordAPIError, HTTPError, RateLimitError, type Client, type Message, type SendableChannels } from 'discord.js';
import { DeliveryError } from '../../core/delivery.js';
import type { Reply } from '../../core/reply.js';
import type { InterruptedSend, Messenger, PostedMessage, Recovery, SendOptions } from '../../core/services.js';
import { silentLogger } from '../../core/log.js';
import type { ChannelLanes } from '../lanes.js';
import { toDeliveryError } from './errors.js';
import { discordLanes } from './lanes.js';
import { channelIdOf, discordAddress } from './identity.js';
import { channelMessage } from './render.js';
import { ownsAddress } from './shards.js';

/**
 * How long after a post's first attempt a re-send with its nonce is still dropped by Discord.
 * Discord documents "the past few minutes" for `enforce_nonce`; we count two, from a moment that
 * is at or before the first request, so the real window cannot have closed yet.
 */
export const NONCE_WINDOW_MS = 2 * 60_000;

/** Discord nonces are at most 25 characters: a post's key, hashed (100 bits, per channel and bot). */
export function nonceFor(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 25);
}

/**
 * Whether a failed post may have gone through anyway: an error answer (4xx) posted nothing, and a
 * rate limit neither; a server error or no answer at all leaves it open. (discord.js retries server
 * errors and timeouts itself; with the nonce enforced those retries cannot double a post.)
 */
function maybePosted(err: unknown): boolean {
  if (err instanceof RateLimitError) return false;
  if (err instanceof DiscordAPIError || err instanceof HTTPError) return err.status >= 500;
  return true;
}

/** Posts outside a request (quiz questions and reveals, daily posts) through the bot's channels. */
export class DiscordMessenger implements Messenger {
  /** Posts and edits go through `lanes`: in order per channel, edits kept going until they land. */
  constructor(
    private readonly client: Client,
    private readonly lanes: ChannelLanes = discordLanes(silentLogger),
  ) {}

  /** A post with a key carries its nonce with `enforce_nonce`: Discord returns the first message for a repeat. */
  async send(address: string, reply: Reply, options: SendOptions = {}): Promise<PostedMessage> {
    const channel = await this.channel(address);
    try {
      const message = await this.lanes.run<Message>(address, 'post', `posting in ${address}`, () =>
        channel.send({ ...channelMessage(reply), ...(options.key ? { nonce: nonceFor(options.key), enforceNonce: true } : {}) }),
      );
      return { address, messageId: message.id };
    } catch (err) {
      const delivery = toDeliveryError(err, `posting in ${address}`);
      if (!(err instanceof DeliveryError)) delivery.maybePosted = maybePosted(err);
      throw delivery;
    }
  }

  /**
   * Settles an interrupted post by sending it again with the same nonce: within Discord's window
   * that returns the first message if there was one, and posts it if there was not. After the
   * window a repeat would post a second copy, and fetched messages carry no nonce to search for,
   * so the outcome is unknown and nothing is sent.
   */
  async recover(address: string, reply: Reply, send: InterruptedSend): Promise<Recovery> {
    const elapsed = send.now.getTime() - send.startedAt.getTime();
    if (elapsed > NONCE_WINDOW_MS) return { unknown: `Discord drops a repeated nonce only for a few minutes, and this post began ${Math.round(elapsed / 1000)} s ago` };
    try {
      return { found: await this.send(address, reply, { key: send.key }) };
    } catch (err) {
      // Discord answers Unknown Message for the nonce of a message that was posted and then deleted.
      if (err instanceof DeliveryError && err.code === 'unknown_message') return { unknown: 'it was posted and then deleted' };
      throw err;
    }
  }

  /** Scheduled work (resumed quizzes, daily posts) for an address runs where its shard is (see ownsAddress). */
  canReach(address: string): boolean {
    return ownsAddress(this.client, address);
  }

  async update(posted: PostedMessage, reply: Reply): Promise<void> {
    const channel = await this.channel(posted.address);
    const { content, ...rest } = channelMessage(reply);
    try {
      // An empty content clears the text of a message that had some; arrays replace embeds and buttons.
      const what = `editing message ${posted.messageId} in ${posted.address}`;
      await this.lanes.run(posted.address, 'edit', what, () => channel.messages.edit(posted.messageId, { ...rest, content: content ?? '' }));
    } catch (err) {
      throw toDeliveryError(err, `editing message ${posted.messageId} in ${posted.address}`);
    }
  }

  /**
   * The bot's DM with a person (`discord:@me:<channel>`). Always asked of Discord (discord.js keeps
   * it cached): a `discord:@me:` address may be a group DM, or a DM between two people that the
   * bot, installed on one of their accounts, is not in.
   */
  async directAddress(_address: string, userId: string): Promise<string> {
    try {
      return discordAddress(null, (await this.client.users.createDM(userId)).id);
    } catch (err) {
      throw toDeliveryError(err, `opening a direct message with ${userId}`);
    }
  }

  private async channel(address: string): Promise<SendableChannels> {
    const id = channelIdOf(address);
    if (!id) throw new DeliveryError(`"${address}" is not a Discord channel address`, 'invalid_address', true);
    let channel;
    try {
      channel = await this.client.channels.fetch(id);
    } catch (err) {
      throw toDeliveryError(err, `opening ${address}`);
    }
    if (!channel?.isSendable()) throw new DeliveryError(`${address} is not a channel the bot can post in`, 'unsupported_channel', true);
    return channel;
  }
}
