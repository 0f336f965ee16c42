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
  /** Per workspace: each member's user groups (usergroups.list with its members, one call for everyone). */
  private readonly groups = new Map<string, { byUser: Promise<Map<string, string[]>>; expires: number }>();
  private readonly groupsRefused = new Set<string>();
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

  /**
   * `fallbackName` is shown when users.info cannot be read. With many workspaces, `where` names the
   * person's workspace and the token Bolt authorized the request with; people are cached per workspace.
   * Their user groups are read only when a manager check asks (`lookupRoles`): most workspaces
   * choose no managers group, and their first answer should not wait for usergroups.list.
   */
  lookup(id: string, fallbackName?: string, where: { teamId?: string; token?: string } = {}): Promise<User> {
    const key = `${where.teamId ?? ''}:${id}`;
    const cached = this.cache.get(key);
    if (cached && cached.expires > this.now()) return cached.user;
    const entry = { user: Promise.resolve<User>({ id, name: id, isManager: false }), expires: Number.POSITIVE_INFINITY };
    const lookupRoles = async () => (await this.groupsOf(where.teamId ?? '', where.token)).get(id) ?? [];
    entry.user = this.fetch(id, fallbackName, where.token).then(({ user, ttlMs }) => {
      entry.expires = this.now() + ttlMs;
      return { ...user, lookupRoles };
    });
    this.cache.set(key, entry);
    return entry.user;
  }

  /**
   * The user groups of a workspace's members, for a workspace that counts a group's members as
   * managers (/settings). Needs usergroups:read; without it (an install from before), or on a plan
   * without user groups, nobody has groups here, which is said once.
   */
  private groupsOf(teamId: string, token: string | undefined): Promise<Map<string, string[]>> {
    const cached = this.groups.get(teamId);
    if (cached && cached.expires > this.now()) return cached.byUser;
    const entry = { byUser: Promise.resolve(new Map<string, string[]>()), expires: Number.POSITIVE_INFINITY };
    entry.byUser = this.client.usergroups
      .list({ include_users: true, ...(token ? { token } : {}) })
      .then(({ usergroups }) => {
        entry.expires = this.now() + this.ttlMs;
        const byUser = new Map<string, string[]>();
        for (const group of usergroups ?? []) for (const member of group.users ?? []) if (group.id) byUser.set(member, [...(byUser.get(member) ?? []), group.id]);
        return byUser;
      })
      .catch((err: unknown) => {
        entry.expires = this.now() + this.ttlMs;
        if (!this.groupsRefused.has(teamId)) {
          this.groupsRefused.add(teamId);
          this.options.log.warn(`usergroups.list failed${teamId ? ` in ${teamId}` : ''}, so a user group chosen with /settings counts nobody as a manager there (the app needs usergroups:read: install it again)`, err instanceof Error ? err.message : err);
        }
        return new Map<string, string[]>();
      });
    this.groups.set(teamId, entry);
    return entry.byUser;
  }

  private async fetch(id: string, fallbackName: string | undefined, token: string | undefined): Promise<{ user: User; ttlMs: number }> {
    const listed = this.admins.has(id);
    try {
      const { user } = await this.client.users.info({ user: id, ...(token ? { token } : {}) });
      const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || fallbackName || id;
      const isManager = listed || Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
      return { user: { id, name, isManager }, ttlMs: this.ttlMs };
    } catch (err) {
      this.options.log.warn(`users.info failed for ${id}; treating them as a regular member`, err instanceof Error ? err.message : err);
      return { user: { id, name: fallbackName || id, isManager: listed }, ttlMs: FAILED_TTL_MS };
    }
  }
}
