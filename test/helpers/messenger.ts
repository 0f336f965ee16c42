import { DeliveryError } from '../../src/core/delivery.js';
import { plainText, type Reply } from '../../src/core/reply.js';
import type { InterruptedSend, Messenger, PostedMessage, Recovery, SendOptions } from '../../src/core/services.js';

/**
 * A platform stand-in that records what it was asked to post, and fails where a test says so.
 * Like Slack's history, it can be asked whether a post with a key is there.
 */
export class RecordingMessenger implements Messenger {
  readonly sent: Array<{ address: string; text: string; reply: Reply; key?: string; messageId: string }> = [];
  readonly updated: Array<{ message: PostedMessage; text: string }> = [];
  /** Address → the error every send to it throws (or how many times a transient one is thrown). */
  readonly failures = new Map<string, { error: DeliveryError; times: number }>();
  private next = 1;
  private holding: { waiting: Array<() => void>; arrived: () => void } | undefined;

  /**
   * From now on every send waits (before anything is recorded) until `release()`; `held(n)`
   * resolves once `n` sends are waiting.
   */
  hold(): { held(n: number): Promise<void>; release(): void } {
    const holding = { waiting: [] as Array<() => void>, arrived: () => {} };
    this.holding = holding;
    return {
      held: (n) =>
        new Promise<void>((resolve) => {
          const check = () => (holding.waiting.length >= n ? resolve() : undefined);
          holding.arrived = check;
          check();
        }),
      release: () => {
        if (this.holding === holding) this.holding = undefined;
        for (const go of holding.waiting.splice(0)) go();
      },
    };
  }

  async send(address: string, reply: Reply, options: SendOptions = {}): Promise<PostedMessage> {
    const holding = this.holding;
    if (holding) {
      await new Promise<void>((go) => {
        holding.waiting.push(go);
        holding.arrived();
      });
    }
    const failure = this.failures.get(address);
    if (failure && failure.times > 0) {
      failure.times--;
      throw failure.error;
    }
    const messageId = String(this.next++);
    this.sent.push({ address, text: plainText(reply), reply, key: options.key, messageId });
    return { address, messageId };
  }

  async recover(address: string, _reply: Reply, send: InterruptedSend): Promise<Recovery> {
    const found = this.sent.find((s) => s.address === address && s.key === send.key);
    return found ? { found: { address, messageId: found.messageId } } : { absent: true };
  }

  async update(message: PostedMessage, reply: Reply): Promise<void> {
    this.updated.push({ message, text: plainText(reply) });
  }

  to(address: string): string[] {
    return this.sent.filter((s) => s.address === address).map((s) => s.text);
  }
}
