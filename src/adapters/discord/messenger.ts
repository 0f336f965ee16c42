import type { Client, SendableChannels } from 'discord.js';
import { DeliveryError } from '../../core/delivery.js';
import type { Reply } from '../../core/reply.js';
import type { Messenger, PostedMessage } from '../../core/services.js';
import { toDeliveryError } from './errors.js';
import { channelIdOf } from './identity.js';
import { channelMessage } from './render.js';

/** Posts outside a request (quiz questions and reveals, daily posts) through the bot's channels. */
export class DiscordMessenger implements Messenger {
  constructor(private readonly client: Client) {}

  async send(address: string, reply: Reply): Promise<PostedMessage> {
    const channel = await this.channel(address);
    try {
      const message = await channel.send(channelMessage(reply));
      return { address, messageId: message.id };
    } catch (err) {
      throw toDeliveryError(err, `posting in ${address}`);
    }
  }

  async update(posted: PostedMessage, reply: Reply): Promise<void> {
    const channel = await this.channel(posted.address);
    const { content, ...rest } = channelMessage(reply);
    try {
      // An empty content clears the text of a message that had some; arrays replace embeds and buttons.
      await channel.messages.edit(posted.messageId, { ...rest, content: content ?? '' });
    } catch (err) {
      throw toDeliveryError(err, `editing message ${posted.messageId} in ${posted.address}`);
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
