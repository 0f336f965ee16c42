import { nonceFor } from '../src/adapters/discord/messenger.js';
import { FAKE_BOT, slackSignature, slashCommandForm, type FakeSlack } from '../test/slack/fake-slack.js';
import type { FakeDiscord, RecordedCall } from '../test/discord/fake-discord.js';
import { ALICE, APPLICATION_ID, GUILD_ID, buttonClick, slashCommand, type Actor } from '../test/discord/payloads.js';
import type { BotSlot } from './bots.js';

/**
 * The soak's side of the two fake platforms: what people send (signed Slack requests to a bot
 * process's HTTP receiver, Discord interactions through the fake gateway), and what the channels
 * show (messages, with the idempotency key each bot post carries).
 */

export type PlatformName = 'slack' | 'discord';
export type RequestKind = 'explain' | 'share' | 'quiz' | 'answer' | 'subscribe';

/** One request a person sent, and how the platform took it. */
export interface Sent {
  id: number;
  platform: PlatformName;
  kind: RequestKind;
  at: number;
  /** Slack: the bot process the request went to, and which run of it. */
  slot?: string;
  incarnation?: number;
  /** Slack: the HTTP status of the receiver's answer (the ack); undefined when it never answered. */
  status?: number;
  /** Slack: why no HTTP answer came (the process was killed, refused the connection, ...). */
  transportError?: string;
  /** Slack: where the bot's reply goes (the fake's response_url id). */
  responseId?: string;
  /** Discord: the interaction, whose callback and webhook carry its token. */
  interaction?: { id: string; token: string };
  /** Discord: whether a bot process was connected to the gateway when it was dispatched. */
  delivered?: boolean;
}

/** A person, as each platform names them. */
export interface Person {
  /** Slack user id, or Discord user id. */
  id: string;
  name: string;
  manager?: boolean;
}

/** A question message the bot posted, as the channel shows it. */
export interface QuestionSeen {
  platform: PlatformName;
  /** The platform channel id. */
  channel: string;
  quizId: string;
  position: number;
  /** Slack ts or Discord message id. */
  messageId: string;
  seenAt: number;
}

/** What a channel shows: each message the bot posted, with its key when it carries one. */
export interface PostSeen {
  platform: PlatformName;
  channel: string;
  messageId: string;
  /** The idempotency key (Slack metadata; Discord nonce, mapped back to its key) or undefined. */
  key?: string;
  /** Discord: the nonce, for keys not known yet when the message was seen. */
  nonce?: string;
  title: string;
  /** Every text of the message as it reads now (after edits), joined. */
  text(): string;
}

let nextRequest = 0;

/** Every string inside a value (message text, blocks, embeds), joined with newlines. */
export function strings(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out.join('\n');
}

const QUESTION_KEY = /^quiz:([a-z0-9]+):(\d+)$/;
const END_KEY = /^quiz:([a-z0-9]+):end$/;

// --- Slack ---------------------------------------------------------------------------------------

export class SlackSide {
  readonly sent: Sent[] = [];
  private scanned = 0;
  private triggers = 0;

  constructor(
    readonly fake: FakeSlack,
    private readonly secret: string,
    /** The Slack bot processes (HTTP receivers), each on its own port. */
    private readonly slots: Array<{ slot: BotSlot; port: number }>,
    private readonly random: () => number,
  ) {}

  /** A serving bot process, as a load balancer would pick one; the first one when none serves. */
  private target(prefer?: string): { slot: BotSlot; port: number } {
    const serving = this.slots.filter((s) => s.slot.serving);
    const preferred = prefer ? serving.find((s) => s.slot.name === prefer) : undefined;
    return preferred ?? serving[Math.floor(this.random() * serving.length)] ?? this.slots[0]!;
  }

  private async send(kind: RequestKind, body: string, contentType: string, responseId: string, prefer?: string): Promise<Sent> {
    const { slot, port } = this.target(prefer);
    const sent: Sent = { id: ++nextRequest, platform: 'slack', kind, at: Date.now(), slot: slot.name, incarnation: slot.current?.n, responseId };
    this.sent.push(sent);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': contentType, ...slackSignature(this.secret, body) },
        body,
        signal: AbortSignal.timeout(15_000),
      });
      sent.status = res.status;
      await res.arrayBuffer();
    } catch (err) {
      sent.transportError = transportError(err);
    }
    return sent;
  }

  command(kind: RequestKind, command: string, text: string, user: Person, channel: string, prefer?: string): Promise<Sent> {
    const responseId = `${kind}:${nextRequest + 1}`;
    const form = slashCommandForm({ command, text, responseUrl: this.fake.responseUrl(responseId), teamId: FAKE_BOT.teamId, channelId: channel, userId: user.id, userName: user.name.toLowerCase(), triggerId: this.triggerId() });
    return this.send(kind, form, 'application/x-www-form-urlencoded', responseId, prefer);
  }

  /** A click on a button: of a channel message (`messageTs`), or of a private reply (ephemeral). */
  click(kind: RequestKind, value: string, user: Person, channel: string, where: { messageTs?: string; ephemeral?: boolean }): Promise<Sent> {
    const responseId = `${kind}:${nextRequest + 1}`;
    const messageTs = where.messageTs ?? `${Math.floor(Date.now() / 1000)}.000001`;
    const payload = {
      type: 'block_actions',
      user: { id: user.id, username: user.name.toLowerCase(), name: user.name.toLowerCase(), team_id: FAKE_BOT.teamId },
      api_app_id: 'AFAKE',
      token: 'deprecated-verification-token',
      container: { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: where.ephemeral ?? false },
      trigger_id: this.triggerId(),
      team: { id: FAKE_BOT.teamId, domain: 'fake' },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channel, name: channel.toLowerCase() },
      ...(where.ephemeral ? {} : { message: { type: 'message', user: FAKE_BOT.userId, ts: messageTs, text: 'question' } }),
      response_url: this.fake.responseUrl(responseId),
      actions: [{ type: 'button', block_id: 'b1', action_id: `0:${value}`, value, text: { type: 'plain_text', text: 'x' }, action_ts: `${(Date.now() / 1000).toFixed(6)}` }],
    };
    return this.send(kind, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', responseId);
  }

  /** The bot's reply to a request (through its response_url), as one text. */
  reply(sent: Sent): string | undefined {
    const response = sent.responseId ? this.fake.responsesTo(sent.responseId)[0] : undefined;
    return response ? strings(response.body) : undefined;
  }

  /** The first reply's body, for its buttons. */
  replyBody(sent: Sent): Record<string, unknown> | undefined {
    return sent.responseId ? this.fake.responsesTo(sent.responseId)[0]?.body : undefined;
  }

  /** Messages posted since the last scan. */
  scan(): PostSeen[] {
    const fresh = this.fake.messages.slice(this.scanned);
    this.scanned = this.fake.messages.length;
    return fresh.map((m) => this.seen(m));
  }

  /** Every message posted so far. */
  all(): PostSeen[] {
    return this.fake.messages.map((m) => this.seen(m));
  }

  private seen(m: FakeSlack['messages'][number]): PostSeen {
    const key = (m.metadata as { event_payload?: { key?: unknown } } | undefined)?.event_payload?.key;
    return {
      platform: 'slack',
      channel: m.channel,
      messageId: m.ts,
      key: typeof key === 'string' ? key : undefined,
      title: String(m.text).split('\n')[0] ?? '',
      // The fake edits the message in place on chat.update.
      text: () => strings([m.text, m.blocks]),
    };
  }

  private triggerId(): string {
    return `${++this.triggers}.${Date.now()}.soak`;
  }
}

function transportError(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e instanceof Error; depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code) return code;
    if (e.name === 'TimeoutError') return 'timeout';
    e = e.cause;
  }
  return err instanceof Error ? err.message : String(err);
}

// --- Discord -------------------------------------------------------------------------------------

/** A Discord member for interaction payloads. */
export function discordActor(person: Person): Actor {
  return { user: { ...ALICE, id: person.id, username: person.name.toLowerCase().replace(/[^a-z0-9]/g, ''), global_name: person.name }, nick: null, manager: person.manager ?? false };
}

export class DiscordSide {
  readonly sent: Sent[] = [];
  private scanned = 0;
  /** nonce → key, for every key the soak has heard of. */
  private readonly keys = new Map<string, string>();

  constructor(
    readonly fake: FakeDiscord,
    private readonly slot: BotSlot,
  ) {}

  /** Lets `scan` name posts with this key (their nonce is its hash). */
  learnKey(key: string): void {
    this.keys.set(nonceFor(key), key);
  }

  private dispatch(kind: RequestKind, interaction: { id: string; token: string }): Sent {
    const sent: Sent = { id: ++nextRequest, platform: 'discord', kind, at: Date.now(), slot: this.slot.name, incarnation: this.slot.current?.n, interaction: { id: interaction.id, token: interaction.token }, delivered: this.slot.serving };
    this.sent.push(sent);
    this.fake.dispatch('INTERACTION_CREATE', interaction);
    return sent;
  }

  /**
   * A slash command. Discord sends its options typed: `/quiz` and `/daily` take either one text
   * option (`args`, the command line as typed) or, as native subcommands, a subcommand and typed
   * options; `DiscordCommandStyle` says which the bot uses (the soak finds out at its first /daily).
   */
  command(kind: RequestKind, name: string, options: DiscordOption[], person: Person): Sent {
    return this.dispatch(kind, slashCommand(name, options as Parameters<typeof slashCommand>[1], discordActor(person)));
  }

  click(kind: RequestKind, customId: string, person: Person, messageId: string): Sent {
    return this.dispatch(kind, buttonClick(customId, messageId, discordActor(person)));
  }

  /** Everything the bot answered to an interaction (its callback and follow-ups), as one text. */
  reply(sent: Sent): string | undefined {
    const token = sent.interaction?.token;
    if (!token) return undefined;
    const calls = this.fake.calls.filter((c) => c.path === `/interactions/${sent.interaction!.id}/${token}/callback` || c.path.startsWith(`/webhooks/${APPLICATION_ID}/${token}`));
    return calls.length ? strings(calls.map((c) => c.body)) : undefined;
  }

  scan(): PostSeen[] {
    const fresh = this.fake.created.slice(this.scanned);
    this.scanned = this.fake.created.length;
    return fresh.map((m) => this.seen(m));
  }

  all(): PostSeen[] {
    return this.fake.created.map((m) => this.seen(m));
  }

  /** A question's buttons name its quiz and position; other keyed posts are named by their nonce. */
  private seen(m: FakeDiscord['created'][number]): PostSeen {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const body = m.body as any;
    const nonce = typeof body?.nonce === 'string' ? body.nonce : undefined;
    const customIds: string[] = (body?.components ?? []).flatMap((row: { components?: Array<{ custom_id?: string }> }) => (row.components ?? []).map((c) => c.custom_id ?? ''));
    const question = customIds.map((id) => /^quiz:([a-z0-9]+):(\d+):\d$/.exec(id)).find(Boolean);
    if (question) {
      this.learnKey(`quiz:${question[1]}:${question[2]}`);
      this.learnKey(`quiz:${question[1]}:end`);
    }
    const path = `/channels/${m.channelId}/messages/${m.id}`;
    const edits = (): RecordedCall[] => this.fake.calls.filter((c) => c.method === 'PATCH' && c.path === path);
    return {
      platform: 'discord',
      channel: m.channelId,
      messageId: m.id,
      nonce,
      key: question ? `quiz:${question[1]}:${question[2]}` : undefined,
      title: String(body?.embeds?.[0]?.title ?? body?.content ?? '').split('\n')[0] ?? '',
      text: () => strings(edits().at(-1)?.body ?? body),
    };
  }

  /** The key of a post, from what the soak has learnt so far. */
  keyOf(post: PostSeen): string | undefined {
    return post.key ?? (post.nonce ? this.keys.get(post.nonce) : undefined);
  }
}

export const DISCORD_GUILD = GUILD_ID;

/** An option of a slash command interaction: a value, or a subcommand with options of its own. */
export interface DiscordOption {
  name: string;
  type: number;
  value?: string | number;
  options?: DiscordOption[];
}

export type DiscordCommandStyle = 'args' | 'subcommands';

const STRING = 3;
const INTEGER = 4;
const SUBCOMMAND = 1;
const given = (options: Array<DiscordOption | false>) => options.filter((o): o is DiscordOption => o !== false);

/** `/daily subscribe both HH:MM zone [topics]` in the bot's command style. */
export function dailySubscribeOptions(style: DiscordCommandStyle, time: string, zone: string, topics: string): DiscordOption[] {
  if (style === 'args') return [{ name: 'args', type: STRING, value: `subscribe both ${time} ${zone} ${topics}`.trim() }];
  const options = given([{ name: 'kind', type: STRING, value: 'both' }, { name: 'time', type: STRING, value: time }, { name: 'zone', type: STRING, value: zone }, topics !== '' && { name: 'topics', type: STRING, value: topics }]);
  return [{ name: 'subscribe', type: SUBCOMMAND, options }];
}

/** `/quiz [topic] count` in the bot's command style. */
export function quizStartOptions(style: DiscordCommandStyle, topic: string, count: number): DiscordOption[] {
  if (style === 'args') return [{ name: 'args', type: STRING, value: `${topic} ${count}`.trim() }];
  return [{ name: 'start', type: SUBCOMMAND, options: given([topic !== '' && { name: 'topics', type: STRING, value: topic }, { name: 'count', type: INTEGER, value: count }]) }];
}

export function explainOptions(query: string): DiscordOption[] {
  return [{ name: 'query', type: STRING, value: query }];
}

/** Parses a question or standings key. */
export function parseQuizKey(key: string | undefined): { quizId: string; position: number | 'end' } | undefined {
  if (!key) return undefined;
  const q = QUESTION_KEY.exec(key);
  if (q) return { quizId: q[1]!, position: Number(q[2]) };
  const e = END_KEY.exec(key);
  return e ? { quizId: e[1]!, position: 'end' } : undefined;
}
