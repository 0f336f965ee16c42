import type { AnyMiddlewareArgs, Installation, InstallationQuery, InstallationStore, Middleware } from '@slack/bolt';
import type { Logger } from '../../core/log.js';
import type { Clock } from '../../core/services.js';
import type { Store } from '../../store/store.js';
import type { SlackInstallation } from '../../store/types.js';

/** What an installation is keyed by: the enterprise id of an org-wide one, else the workspace's team id. */
export function installKeyOf(query: Pick<InstallationQuery<boolean>, 'teamId' | 'enterpriseId' | 'isEnterpriseInstall'>): string | undefined {
  return (query.isEnterpriseInstall ? query.enterpriseId : query.teamId) || undefined;
}

/** Who a query names, for messages: "workspace T1" or "organization E1". */
export function describeInstall(query: Pick<InstallationQuery<boolean>, 'teamId' | 'enterpriseId' | 'isEnterpriseInstall'>): string {
  return query.isEnterpriseInstall ? `organization ${query.enterpriseId ?? '(no id)'}` : `workspace ${query.teamId ?? '(no id)'}`;
}

/** The row for an installation as Bolt's OAuth flow (or a token refresh) hands it over. */
export function installationRow(installation: Installation, at: string): SlackInstallation {
  const isEnterpriseInstall = installation.isEnterpriseInstall === true;
  const teamId = installation.team?.id ?? null;
  const enterpriseId = installation.enterprise?.id ?? null;
  const installKey = installKeyOf({ teamId: teamId ?? undefined, enterpriseId: enterpriseId ?? undefined, isEnterpriseInstall });
  if (!installKey) throw new Error(`a Slack installation without ${isEnterpriseInstall ? 'its enterprise id' : 'its team id'}`);
  const { bot, user } = installation;
  return {
    installKey,
    teamId,
    teamName: installation.team?.name ?? null,
    enterpriseId,
    enterpriseName: installation.enterprise?.name ?? null,
    enterpriseUrl: installation.enterpriseUrl ?? null,
    isEnterpriseInstall,
    appId: installation.appId ?? null,
    botToken: bot?.token ?? null,
    botId: bot?.id ?? null,
    botUserId: bot?.userId ?? null,
    botScopes: bot?.scopes ?? [],
    botRefreshToken: bot?.refreshToken ?? null,
    botExpiresAt: bot?.expiresAt ?? null,
    userId: user.id,
    userToken: user.token ?? null,
    userScopes: user.scopes ?? [],
    userRefreshToken: user.refreshToken ?? null,
    userExpiresAt: user.expiresAt ?? null,
    installedAt: at,
    updatedAt: at,
  };
}

/** The installation as Bolt reads it back: everything stored, so a token refresh stores it whole again. */
export function installationOf(row: SlackInstallation): Installation {
  const optional = <K extends string, V>(key: K, value: V | null) => (value === null ? {} : ({ [key]: value } as Record<K, V>));
  return {
    team: row.teamId ? { id: row.teamId, ...optional('name', row.teamName) } : undefined,
    enterprise: row.enterpriseId ? { id: row.enterpriseId, ...optional('name', row.enterpriseName) } : undefined,
    user: {
      id: row.userId,
      token: row.userToken ?? undefined,
      scopes: row.userScopes.length ? row.userScopes : undefined,
      ...optional('refreshToken', row.userRefreshToken),
      ...optional('expiresAt', row.userExpiresAt),
    },
    ...(row.botToken
      ? {
          bot: {
            token: row.botToken,
            id: row.botId ?? '',
            userId: row.botUserId ?? '',
            scopes: row.botScopes,
            ...optional('refreshToken', row.botRefreshToken),
            ...optional('expiresAt', row.botExpiresAt),
          },
          tokenType: 'bot' as const,
        }
      : {}),
    ...optional('appId', row.appId),
    ...optional('enterpriseUrl', row.enterpriseUrl),
    isEnterpriseInstall: row.isEnterpriseInstall,
    authVersion: 'v2',
  } as Installation;
}

/** The query for the installation that serves a workspace (its own, or its organization's). */
export function queryOf(row: SlackInstallation, teamId: string): InstallationQuery<boolean> {
  return row.isEnterpriseInstall
    ? { teamId: undefined, enterpriseId: row.enterpriseId ?? '', isEnterpriseInstall: true }
    : { teamId, enterpriseId: row.enterpriseId ?? undefined, isEnterpriseInstall: false };
}

export class NotInstalledError extends Error {
  constructor(what: string) {
    super(`Backfill is not installed in Slack ${what}`);
    this.name = 'NotInstalledError';
  }
}

/**
 * Bolt's InstallationStore on Backfill's database, so every process on it (SQLite or PostgreSQL)
 * sees the same installations. Bolt calls it: `storeInstallation` when a workspace installs (and
 * again after refreshing a rotating token), `fetchInstallation` to authorize each request, and
 * `deleteInstallation` from our app_uninstalled and tokens_revoked listeners.
 */
export class StoredInstallations implements InstallationStore {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    await this.store.saveSlackInstallation(installationRow(installation, this.clock.now().toISOString()));
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const key = installKeyOf(query);
    const row = key ? await this.store.slackInstallation(key) : undefined;
    if (!row) throw new NotInstalledError(describeInstall(query));
    return installationOf(row);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = installKeyOf(query);
    if (key) await this.store.deleteSlackInstallation(key);
  }

  /** Drops the user token of an installation (tokens_revoked for users only); the bot token stays. */
  async forgetUserTokens(query: InstallationQuery<boolean>, userIds: readonly string[]): Promise<boolean> {
    const key = installKeyOf(query);
    const row = key ? await this.store.slackInstallation(key) : undefined;
    if (!row?.userToken || !userIds.includes(row.userId)) return false;
    await this.store.saveSlackInstallation({ ...row, userToken: null, userScopes: [], userRefreshToken: null, userExpiresAt: null, updatedAt: this.clock.now().toISOString() });
    return true;
  }
}

/**
 * Records, once per process, which organization serves a workspace whose requests arrive under an
 * org-wide installation: posts to that workspace's channels (quizzes, daily posts) find their token
 * through it. A failure to record is logged; the request goes on.
 */
export function noteOrgWorkspaces(store: Store, clock: Clock, log: Logger): Middleware<AnyMiddlewareArgs> {
  const noted = new Set<string>();
  return async ({ context, next }) => {
    const { teamId, enterpriseId } = context;
    if (context.isEnterpriseInstall && teamId && enterpriseId && !noted.has(teamId)) {
      try {
        await store.noteSlackOrgTeam(teamId, enterpriseId, clock.now().toISOString());
        noted.add(teamId);
      } catch (err) {
        log.warn(`slack: could not record that workspace ${teamId} belongs to organization ${enterpriseId}`, err instanceof Error ? err.message : err);
      }
    }
    await next();
  };
}
