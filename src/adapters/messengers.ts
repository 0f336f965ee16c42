import { platformOf } from '../core/incoming.js';
import type { Reply } from '../core/reply.js';
import type { InterruptedSend, Messenger, PostedMessage, Recovery, SendOptions } from '../core/services.js';

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

  /**
   * A process runs some platforms only (a Slack process and a Discord process may share one
   * database), and of Discord some shards only: its messenger says which addresses are its own.
   */
  canReach(address: string): boolean {
    const m = this.byPlatform.get(platformOf(address));
    return m !== undefined && (m.canReach?.(address) ?? true);
  }

  send(address: string, reply: Reply, options?: SendOptions): Promise<PostedMessage> {
    return this.for(address).send(address, reply, options);
  }

  update(message: PostedMessage, reply: Reply): Promise<void> {
    return this.for(message.address).update(message, reply);
  }

  async directAddress(address: string, userId: string): Promise<string> {
    const m = this.for(address);
    if (!m.directAddress) throw new Error(`${platformOf(address)} has no direct messages`);
    return m.directAddress(address, userId);
  }

  async recover(address: string, reply: Reply, send: InterruptedSend): Promise<Recovery> {
    const m = this.for(address);
    return m.recover ? m.recover(address, reply, send) : { unknown: `${platformOf(address)} cannot be asked whether a post arrived` };
  }
}
