import type { Outbox } from '../core/outbox.js';
import type { Messenger } from '../core/services.js';
import { reminderMessage } from './messages.js';
import type { ReminderSender } from './service.js';

/** Reminders go out through the outbox, under their own key (`remind:<scope>:<user>:<date>`), like daily posts: once. */
export function reminderSender(outbox: Outbox, messenger: Pick<Messenger, 'canReach'>): ReminderSender {
  return {
    deliver: async (r) => (await outbox.deliver(r.postKey, r.address, reminderMessage(r))).state,
    canReach: (address) => messenger.canReach?.(address) ?? true,
  };
}
