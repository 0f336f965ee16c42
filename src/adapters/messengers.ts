import { platformOf } from '../core/incoming.js';
import type { Reply } from '../core/reply.js';
import type { Messenger, PostedMessage } from '../core/services.js';

/** Picks the adapter that can reach an address by its prefix (`slack:`, `discord:`, `console:`). */
export class MessengerRegistry implements Messenger {
  private readonly byPlatform = new Map<string, Messenger>();

  register(platform: string, messenger: Messenger): void {
    this.byPlatform.set(platform, messenger);
  }

  private for(address: string): Messenger {
    const m = this.byPlatform.get(platformOf(address));
    if (!m) throw new Error(`no adapter is running for address "${address}"`);
    return m;
  }

  send(address: string, reply: Reply): Promise<PostedMessage> {
    return this.for(address).send(address, reply);
  }

  update(message: PostedMessage, reply: Reply): Promise<void> {
    return this.for(message.address).update(message, reply);
  }
}
