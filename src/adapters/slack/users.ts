import type { webApi } from '@slack/bolt';
import type { User } from '../../core/incoming.js';
import type { Logger } from '../../core/log.js';

export interface SlackUsersOptions {
  /** Ids allowed to manage besides workspace admins and owners (SLACK_ADMIN_USERS). */
  admins: Iterable<string>;
  log: Logger;
  /** How long a looked-up profile is trusted. */
  ttlMs?: number;
  now?: () => number;
}

const DEFAULT_TTL_MS = 10 * 60_000;
/** A failed lookup (missing users:read, say) is retried sooner than a good one expires. */
const FAILED_TTL_MS = 60_000;

/** Parses SLACK_ADMIN_USERS: comma- or space-separated Slack user ids. */
export function parseAdminUsers(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

/**
 * Who a Slack user is to the core: a name to show and whether they may manage the channel's
 * subscriptions (workspace admin or owner, or listed in SLACK_ADMIN_USERS). users.info answers
 * are cached, and concurrent lookups of one user share a single call.
 */
export class SlackUsers {
  private readonly cache = new Map<string, { user: Promise<User>; expires: number }>();
  private readonly admins: Set<string>;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly options: SlackUsersOptions,
  ) {
    this.admins = new Set(options.admins);
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** `fallbackName` is shown when users.info cannot be read. */
  lookup(id: string, fallbackName?: string): Promise<User> {
    const cached = this.cache.get(id);
    if (cached && cached.expires > this.now()) return cached.user;
    const entry = { user: Promise.resolve<User>({ id, name: id, isManager: false }), expires: Number.POSITIVE_INFINITY };
    entry.user = this.fetch(id, fallbackName).then(({ user, ttlMs }) => {
      entry.expires = this.now() + ttlMs;
      return user;
    });
    this.cache.set(id, entry);
    return entry.user;
  }

  private async fetch(id: string, fallbackName: string | undefined): Promise<{ user: User; ttlMs: number }> {
    const listed = this.admins.has(id);
    try {
      const { user } = await this.client.users.info({ user: id });
      const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || fallbackName || id;
      const isManager = listed || Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
      return { user: { id, name, isManager }, ttlMs: this.ttlMs };
    } catch (err) {
      this.options.log.warn(`users.info failed for ${id}; treating them as a regular member`, err instanceof Error ? err.message : err);
      return { user: { id, name: fallbackName || id, isManager: listed }, ttlMs: FAILED_TTL_MS };
    }
  }
}
