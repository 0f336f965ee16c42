import { platformOf, scopeOf } from '../core/incoming.js';
import type { Learner } from '../store/types.js';

export type { Learner };

/**
 * The person behind a user id at an address, as their memory is keyed. Slack: the workspace
 * (`slack:T1`), so a DM and a channel of one workspace are one person. Discord: the platform
 * (`discord`), since a Discord user id is the same person on every server and in DMs (whose
 * addresses, `discord:@me:<channel>`, name no server). Elsewhere: the address's scope. A Discord
 * learner's scope is no server, so a server's settings (its default zone) are read at the
 * request's address instead (LearningService.timezoneOf).
 */
export function learnerOf(address: string, userId: string): Learner {
  const platform = platformOf(address);
  return { scope: platform === 'discord' ? 'discord' : scopeOf(address), userId };
}

/** The platform a learner is on: what `forget` clears the person's rows across. */
export const platformOfLearner = (learner: Learner): string => platformOf(learner.scope);

/** The outbox key of a person's reminder on a local date. */
export const reminderPostKey = (learner: Learner, localDate: string): string => `remind:${learner.scope}:${learner.userId}:${localDate}`;
