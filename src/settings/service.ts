import { platformOf, scopeOf, type User } from '../core/incoming.js';
import type { Logger } from '../core/log.js';
import type { Clock } from '../core/services.js';
import { isTimeZone } from '../core/zones.js';
import { catalogOf, type TopicCatalog } from '../knowledge/catalog.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { ANSWER_SECONDS } from '../quiz/commands/quiz.js';
import type { Store } from '../store/store.js';
import type { ScopeSetting } from '../store/types.js';
import { SETTINGS, type ReadContext, type SettingDefinition, type SettingsDefaults } from './definitions.js';
import { storedTopics } from './topics.js';

export interface SettingsDeps {
  store: Store;
  knowledge: Knowledge;
  clock: Clock;
  defaults: SettingsDefaults;
  /** Says when a workspace's allowed topics are all gone from the knowledge base. */
  log?: Logger;
}

/** The settings that apply at an address: its workspace's or server's choices, else the defaults. */
export interface EffectiveSettings {
  /** The workspace or server (`slack:T1`, `discord:G1`); undefined where settings cannot be kept. */
  scope: string | undefined;
  answerSeconds: number;
  timezone: string;
  /** The Slack user group or Discord role whose members count as managers too; null: only the platform's own. */
  managers: string | null;
  /** What quizzes and daily posts are limited to; [] for every topic. */
  topics: string[];
  /** Allowed topics chosen here that the knowledge base no longer has (renamed or removed since). */
  missingTopics: string[];
  /** The settings chosen here, by name. */
  chosen: ReadonlyMap<string, ScopeSetting>;
}

/**
 * The workspace or server whose settings apply at an address. Discord DMs have none: every DM's
 * address shares `discord:@me`, so a setting made there would reach everyone's DMs.
 */
export function settingsScope(address: string): string | undefined {
  const scope = scopeOf(address);
  return scope.endsWith(':@me') ? undefined : scope;
}

/**
 * Settings per workspace (Slack) or server (Discord), kept in the store; what is not set there
 * comes from the environment. Every read goes to the store, so a change made through one process
 * applies at once in every process on the same database.
 */
export class SettingsService {
  private readonly catalog: TopicCatalog;
  /** Scopes and values already warned about, so each read does not log again. */
  private readonly warnedGone = new Set<string>();

  constructor(private readonly deps: SettingsDeps) {
    this.catalog = catalogOf(deps.knowledge.kb);
  }

  get defaults(): SettingsDefaults {
    return this.deps.defaults;
  }

  /** What reading a value for this address needs. */
  context(address: string): ReadContext {
    return { platform: platformOf(address), catalog: this.catalog };
  }

  async of(address: string): Promise<EffectiveSettings> {
    const scope = settingsScope(address);
    const rows = scope ? await this.deps.store.scopeSettings(scope) : [];
    const chosen = new Map(rows.map((r) => [r.name, r]));
    const value = (name: string) => chosen.get(name)?.value;
    const seconds = Number(value('answer-time'));
    const zone = value('timezone');
    const { topics, missing } = storedTopics(this.catalog, value('topics') ?? '');
    // Every allowed topic gone (renamed or removed from the knowledge base): every topic applies,
    // not none. The limit focuses quizzes and daily posts, it guards nothing (/explain, /topics and
    // /random answer about every topic anyway), so a limit to nothing would only stop a channel's
    // daily posts and refuse every quiz until a manager noticed. /settings shows the stale choice.
    if (scope && topics.length === 0 && missing.length > 0) this.warnTopicsGone(scope, missing);
    return {
      scope,
      answerSeconds: Number.isInteger(seconds) && seconds >= ANSWER_SECONDS.min && seconds <= ANSWER_SECONDS.max ? seconds : this.deps.defaults.answerSeconds,
      timezone: zone && isTimeZone(zone) ? zone : this.deps.defaults.timezone,
      managers: value('managers') || null,
      topics,
      missingTopics: missing,
      chosen,
    };
  }

  private warnTopicsGone(scope: string, missing: readonly string[]): void {
    const key = `${scope}\n${missing.join(',')}`;
    if (this.warnedGone.has(key)) return;
    this.warnedGone.add(key);
    this.deps.log?.warn(`settings: the topics ${scope} allows (${missing.join(', ')}) are no longer in the knowledge base, so every topic applies there until a manager runs /settings set topics`);
  }

  async answerSeconds(address: string): Promise<number> {
    return (await this.of(address)).answerSeconds;
  }

  async timezone(address: string): Promise<string> {
    return (await this.of(address)).timezone;
  }

  async allowedTopics(address: string): Promise<string[]> {
    return (await this.of(address)).topics;
  }

  /**
   * Whether a person counts as a manager here: the platform says so, or they hold the role or group
   * chosen in `/settings`. Settings are read only for someone with roles, and roles looked up only
   * where a group was chosen.
   */
  async isManager(address: string, user: User): Promise<boolean> {
    if (user.isManager) return true;
    if (!user.roles?.length && !user.lookupRoles) return false;
    const { managers } = await this.of(address);
    if (managers === null) return false;
    const roles = user.roles?.length ? user.roles : ((await user.lookupRoles?.()) ?? []);
    return roles.includes(managers);
  }

  /** Reads and stores a value: what it is now, shown; or what is wrong with it. */
  async set(address: string, setting: SettingDefinition, words: string): Promise<{ shown: string; note?: string } | { error: string }> {
    const scope = settingsScope(address);
    if (!scope) return { error: NO_SCOPE };
    const ctx = this.context(address);
    const read = setting.read(words, ctx);
    if ('error' in read) return read;
    await this.deps.store.saveScopeSetting({ scope, name: setting.name, value: read.value, updatedAt: this.deps.clock.now().toISOString() });
    return { shown: setting.show(read.value, ctx), note: read.note };
  }

  /** Removes the named settings (all when none are named), so their defaults apply; how many had been set. */
  async reset(address: string, settings?: readonly SettingDefinition[]): Promise<number | { error: string }> {
    const scope = settingsScope(address);
    if (!scope) return { error: NO_SCOPE };
    return this.deps.store.deleteScopeSettings(scope, settings?.map((s) => s.name));
  }

  /** Every setting with its value here and where it comes from. */
  async describe(address: string): Promise<Array<{ setting: SettingDefinition; shown: string; setAt?: string }>> {
    const { chosen } = await this.of(address);
    const ctx = this.context(address);
    return SETTINGS.map((setting) => {
      const row = chosen.get(setting.name);
      return row ? { setting, shown: setting.show(row.value, ctx), setAt: row.updatedAt } : { setting, shown: setting.showDefault(this.deps.defaults) };
    });
  }
}

export const NO_SCOPE = 'Settings belong to a server: use `/settings` in one of its channels, not in a direct message.';
