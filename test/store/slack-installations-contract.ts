import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import type { SlackInstallation } from '../../src/store/types.js';

const T0 = '2026-03-02T10:00:00.000Z';
const T1 = '2026-03-02T11:00:00.000Z';

const workspace = (teamId: string, o: Partial<SlackInstallation> = {}): SlackInstallation => ({
  installKey: teamId,
  teamId,
  teamName: `Team ${teamId}`,
  enterpriseId: null,
  enterpriseName: null,
  enterpriseUrl: null,
  isEnterpriseInstall: false,
  appId: 'A1',
  botToken: `xoxb-${teamId}`,
  botId: `B${teamId}`,
  botUserId: `U${teamId}BOT`,
  botScopes: ['commands', 'chat:write'],
  botRefreshToken: null,
  botExpiresAt: null,
  userId: 'UINSTALLER',
  userToken: null,
  userScopes: [],
  userRefreshToken: null,
  userExpiresAt: null,
  installedAt: T0,
  updatedAt: T0,
  ...o,
});

const organization = (enterpriseId: string, o: Partial<SlackInstallation> = {}): SlackInstallation =>
  workspace('unused', { installKey: enterpriseId, teamId: null, teamName: null, enterpriseId, enterpriseName: 'Org', enterpriseUrl: 'https://org.enterprise.slack.com/', isEnterpriseInstall: true, botToken: `xoxb-${enterpriseId}`, ...o });

/** The Store's Slack installations (OAuth distribution), against a fresh store from `open`. */
export function slackInstallationContract(name: string, open: () => Promise<Store>): void {
  describe(`${name}: Slack installations`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps each workspace apart and reads an installation back as written', async () => {
      const rotating = workspace('T1', { botRefreshToken: 'xoxe-1-r', botExpiresAt: 4_102_444_800, userToken: 'xoxp-1', userScopes: ['search:read'], userRefreshToken: 'xoxe-1-u', userExpiresAt: 1_800_000_000 });
      await store.saveSlackInstallation(rotating);
      await store.saveSlackInstallation(workspace('T2'));
      expect(await store.slackInstallation('T1')).toEqual(rotating);
      expect((await store.slackInstallation('T2'))?.botToken).toBe('xoxb-T2');
      expect(await store.slackInstallation('T3')).toBeUndefined();
    });

    it('replaces an installation on reinstall or token refresh, keeping when it was first installed', async () => {
      await store.saveSlackInstallation(workspace('T1'));
      const refreshed = workspace('T1', { botToken: 'xoxb-new', botRefreshToken: 'xoxe-new', botExpiresAt: 1_900_000_000, botScopes: ['commands'], installedAt: T1, updatedAt: T1 });
      await store.saveSlackInstallation(refreshed);
      expect(await store.slackInstallation('T1')).toEqual({ ...refreshed, installedAt: T0 });
    });

    it('deletes one installation and its tokens, leaving the others', async () => {
      await store.saveSlackInstallation(workspace('T1'));
      await store.saveSlackInstallation(workspace('T2'));
      expect(await store.deleteSlackInstallation('T1')).toBe(true);
      expect(await store.deleteSlackInstallation('T1')).toBe(false);
      expect(await store.slackInstallation('T1')).toBeUndefined();
      expect(await store.slackInstallationForTeam('T1')).toBeUndefined();
      expect((await store.slackInstallationForTeam('T2'))?.botToken).toBe('xoxb-T2');
    });

    it("finds a workspace's own installation first, else its organization's org-wide one once the workspace was seen under it", async () => {
      await store.saveSlackInstallation(organization('E1'));
      expect(await store.slackInstallationForTeam('T7')).toBeUndefined();
      await store.noteSlackOrgTeam('T7', 'E1', T0);
      await store.noteSlackOrgTeam('T7', 'E1', T1);
      expect((await store.slackInstallationForTeam('T7'))?.installKey).toBe('E1');
      // The organization's key is never taken for a workspace's own.
      expect(await store.slackInstallationForTeam('E1')).toBeUndefined();
      await store.saveSlackInstallation(workspace('T7', { enterpriseId: 'E1' }));
      expect((await store.slackInstallationForTeam('T7'))?.installKey).toBe('T7');
      await store.deleteSlackInstallation('T7');
      await store.deleteSlackInstallation('E1');
      expect(await store.slackInstallationForTeam('T7')).toBeUndefined();
    });

    it('refuses a key that is not the installation’s team, or enterprise for an org-wide one', async () => {
      await expect(store.saveSlackInstallation(workspace('T1', { installKey: 'T2' }))).rejects.toThrow();
      await expect(store.saveSlackInstallation(organization('E1', { installKey: 'T1' }))).rejects.toThrow();
      await expect(store.saveSlackInstallation(organization('E1', { enterpriseId: null }))).rejects.toThrow();
      expect(await store.slackInstallation('T2')).toBeUndefined();
    });
  });
}
