import { PermissionFlagsBits } from 'discord.js';

/** Gateway payloads as Discord sends them, trimmed to what a real discord.js Client reads. */
export const APPLICATION_ID = '100000000000000001';
export const GUILD_ID = '200000000000000001';
export const CHANNEL_ID = '300000000000000001';
export const DM_CHANNEL_ID = '300000000000000009';
export const OWNER_ID = '400000000000000009';
export const BOT_USER = { id: APPLICATION_ID, username: 'Backfill', discriminator: '0', global_name: null, avatar: null, bot: true };
export const ALICE = { id: '400000000000000001', username: 'alice', discriminator: '0', global_name: 'Alice', avatar: null };

const MEMBER_PERMISSIONS = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ReadMessageHistory;
const MANAGER_PERMISSIONS = MEMBER_PERMISSIONS | PermissionFlagsBits.ManageChannels;

const member = (user: typeof ALICE, nick: string | null, manager: boolean) => ({
  user,
  nick,
  roles: [],
  joined_at: '2024-01-01T00:00:00.000Z',
  deaf: false,
  mute: false,
  flags: 0,
  permissions: String(manager ? MANAGER_PERMISSIONS : MEMBER_PERMISSIONS),
});

/** The shard Discord sends a server's events to: `(guild_id >> 22) % count`. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** A second server, on shard 1 of 2 (GUILD_ID is on shard 0 of 2). */
export const GUILD_B_ID = String(BigInt(GUILD_ID) + (1n << 22n));
export const CHANNEL_B_ID = '300000000000000002';
/** A server the bot is not in, where a person who installed Backfill on their account uses it. */
export const STRANGER_GUILD_ID = '200000000000000777';
export const STRANGER_CHANNEL_ID = '300000000000000777';
/** A conversation between people, without the bot (a group DM). */
export const GROUP_DM_ID = '300000000000000888';

export function guildCreate(guildId = GUILD_ID, channelId = CHANNEL_ID) {
  return {
    id: guildId,
    name: 'Data Folks',
    owner_id: OWNER_ID,
    unavailable: false,
    member_count: 2,
    large: false,
    joined_at: '2024-01-01T00:00:00.000Z',
    features: [],
    emojis: [],
    stickers: [],
    roles: [{ id: guildId, name: '@everyone', permissions: String(MEMBER_PERMISSIONS), position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
    channels: [{ id: channelId, type: 0, name: 'general', position: 0, permission_overwrites: [], parent_id: null, nsfw: false, topic: null, last_message_id: null, rate_limit_per_user: 0 }],
    threads: [],
    members: [{ ...member(BOT_USER as unknown as typeof ALICE, null, false), permissions: undefined }],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

let nextId = 500000000000000000n;
const snowflake = () => String(nextId++);

/** Who acts: Alice by default, under her server nickname. */
export interface Actor {
  manager?: boolean;
  nick?: string | null;
  user?: typeof ALICE;
}

function interaction(type: number, data: unknown, extra: Record<string, unknown> = {}, { manager = false, nick = 'Alice the Analyst', user = ALICE }: Actor = {}) {
  const id = snowflake();
  return {
    id,
    application_id: APPLICATION_ID,
    type,
    data,
    guild_id: GUILD_ID,
    channel_id: CHANNEL_ID,
    channel: { id: CHANNEL_ID, type: 0, guild_id: GUILD_ID, name: 'general' },
    member: member(user, nick, manager),
    token: `token-${id}`,
    version: 1,
    app_permissions: String(MEMBER_PERMISSIONS | PermissionFlagsBits.EmbedLinks),
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD_ID },
    context: 0,
    ...extra,
  };
}

type OptionValue = { name: string; type: number; value?: string | number; focused?: boolean; options?: OptionValue[] };

export function slashCommand(name: string, options: OptionValue[], actor: Actor = {}) {
  return interaction(2, { id: snowflake(), name, type: 1, options }, {}, actor);
}

type InteractionPayload = ReturnType<typeof interaction>;

/** The same interaction in another server the bot is in (its shard gets it). */
export function inGuild<I extends InteractionPayload>(payload: I, guildId: string, channelId: string): I {
  return { ...payload, guild_id: guildId, channel_id: channelId, channel: { ...payload.channel, id: channelId, guild_id: guildId }, authorizing_integration_owners: { '0': guildId } };
}

/**
 * The same interaction from a person who installed Backfill on their account (a user install), used
 * where the bot is not: a server it is not in, or a group DM (no server, no member). Discord says
 * so in `context` and `authorizing_integration_owners` (only the user's install, key 1).
 */
export function userInstalled<I extends InteractionPayload>(payload: I, where: 'server' | 'group-dm'): I {
  const owners = { '1': ALICE.id };
  if (where === 'server') {
    return { ...payload, guild_id: STRANGER_GUILD_ID, channel_id: STRANGER_CHANNEL_ID, channel: { id: STRANGER_CHANNEL_ID, type: 0, guild_id: STRANGER_GUILD_ID, name: 'elsewhere' }, authorizing_integration_owners: owners, context: 0 };
  }
  const { guild_id: _guild, member: _member, guild_locale: _locale, ...rest } = payload;
  return { ...rest, user: ALICE, channel_id: GROUP_DM_ID, channel: { id: GROUP_DM_ID, type: 3, name: null, recipients: [ALICE] }, authorizing_integration_owners: owners, context: 2 } as unknown as I;
}

export function autocomplete(name: string, options: OptionValue[]) {
  return interaction(4, { id: snowflake(), name, type: 1, options });
}

/** A message the bot posted, as Discord's API returns it. */
export function botMessage(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    author: BOT_USER,
    content: '',
    embeds: [],
    components: [],
    timestamp: '2024-01-01T00:00:00.000Z',
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    pinned: false,
    type: 0,
    flags: 0,
    ...fields,
  };
}

export function buttonClick(customId: string, messageId = snowflake(), actor: Actor = {}) {
  const message = botMessage({ id: messageId, channel_id: CHANNEL_ID });
  return interaction(3, { custom_id: customId, component_type: 2 }, { message }, actor);
}

/** A message in the server channel; `mentions` lists the users it pings. */
export function channelMessage(content: string, mentions: Array<typeof BOT_USER | typeof ALICE> = []) {
  return {
    id: snowflake(),
    channel_id: CHANNEL_ID,
    channel_type: 0,
    guild_id: GUILD_ID,
    author: ALICE,
    member: { nick: null, roles: [], joined_at: '2024-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions,
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    flags: 0,
  };
}

/** A DM to the bot: no guild, no member, content without a mention. */
export function directMessage(content: string) {
  const { guild_id: _guild, member: _member, ...message } = channelMessage(content);
  return { ...message, channel_id: DM_CHANNEL_ID, channel_type: 1 };
}
