import { DeliveryError } from '../../src/core/delivery.js';
import { plainText, type Reply } from '../../src/core/reply.js';
import type { Messenger, PostedMessage } from '../../src/core/services.js';

/** A platform stand-in that records what it was asked to post, and fails where a test says so. */
export class RecordingMessenger implements Messenger {
  readonly sent: Array<{ address: string; text: string; reply: Reply }> = [];
  readonly updated: Array<{ message: PostedMessage; text: string }> = [];
  /** Address → the error every send to it throws (or how many times a transient one is thrown). */
  readonly failures = new Map<string, { error: DeliveryError; times: number }>();
  private next = 1;

  async send(address: string, reply: Reply): Promise<PostedMessage> {
    const failure = this.failures.get(address);
    if (failure && failure.times > 0) {
      failure.times--;
      throw failure.error;
    }
    this.sent.push({ address, text: plainText(reply), reply });
    return { address, messageId: String(this.next++) };
  }

  async update(message: PostedMessage, reply: Reply): Promise<void> {
    this.updated.push({ message, text: plainText(reply) });
  }

  to(address: string): string[] {
    return this.sent.filter((s) => s.address === address).map((s) => s.text);
  }
}
