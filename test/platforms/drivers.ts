import { PassThrough } from 'node:stream';
import { consolePlatform, type RunningConsole } from '../../src/adapters/console/platform.js';
import type { RunningDiscord } from '../../src/adapters/discord/discord.js';
import { discordPlatform } from '../../src/adapters/platform.js';
import type { Backfill } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/log.js';
import { plainText, type Reply } from '../../src/core/reply.js';
import { FakeDiscord, type RecordedCall } from '../discord/fake-discord.js';
import { ALICE, APPLICATION_ID, buttonClick, CHANNEL_ID, GUILD_ID, slashCommand } from '../discord/payloads.js';
import { testApp } from '../helpers/app.js';
import { slackHarness, TEAM } from '../helpers/slack.js';
import type { FakeTime } from '../helpers/time.js';

/** What a person saw in answer to a command or a click. */
export interface Seen {
  text: string;
  /** Only they see it (Slack ephemeral, a Discord ephemeral reply; the console shows everything to its one person). */
  private: boolean;
  /** The action ids of its buttons. */
  buttons: string[];
}

/** A message the bot posted in the channel on its own, or an edit of one. */
export interface Post {
  id: string;
  text: string;
  buttons: string[];
}

export interface Person {
  /** Who they are, as the platform names them in the bot's messages. */
  shownAs: string;
}

/**
 * One platform, driven the way people use it: the real adapter (console input, Bolt over HTTP with
 * the fake Web API, discord.js over the fake gateway), observed where people would see the result.
 */
export interface Driver {
  name: string;
  app: Backfill;
  time: FakeTime;
  /** The channel the scenarios run in. */
  address: string;
  alice: Person;
  bob: Person;
  /** Runs a command as a person. Text platforms type `/name sub values...`; Discord sends typed options. */
  command(name: string, sub: string | undefined, values: Record<string, string | number>, who?: Person, manager?: boolean): Promise<Seen>;
  click(action: string, messageId: string | undefined, who?: Person): Promise<Seen>;
  /** Posts the bot made in the channel, oldest first; `edits` the edits of them. */
  posts(): Promise<Post[]>;
  edits(): Promise<Post[]>;
  /** Posts through the platform's messenger, as the core does. */
  send(address: string, reply: Reply): Promise<unknown>;
  /** An address the platform refuses for good (a channel that is gone); the error code it maps to. */
  refusedForGood(): { address: string; code: string };
  /** Makes the platform's next posts fail with a server error; undefined where that cannot happen. */
  serverError?(): { address: string; code: string };
  close(): Promise<void>;
}

const textLine = (name: string, sub: string | undefined, values: Record<string, string | number>) => `/${[name, sub, ...Object.values(values).map(String)].filter(Boolean).join(' ')}`;

const replyButtons = (r: Reply) => r.blocks.flatMap((b) => (b.type === 'buttons' ? b.buttons.map((x) => x.action) : []));

/** The console: lines typed into its input, replies and posts read from what it prints (and the replies it rendered). */
export async function consoleDriver(knowledgeDir: string): Promise<Driver> {
  const { app, time } = testApp(knowledgeDir);
  const input = new PassThrough();
  const output = new PassThrough();
  const running: RunningConsole = await consolePlatform.start(app, { input, output, interactive: false }, silentLogger);
  const chat = running.chat;
  const sent: Post[] = [];
  const edited: Post[] = [];
  // The core's messenger for the console is the adapter itself: record what it was asked to print.
  const send = chat.send.bind(chat);
  const update = chat.update.bind(chat);
  chat.send = async (address, reply) => {
    const posted = await send(address, reply);
    sent.push({ id: posted.messageId, text: plainText(reply), buttons: replyButtons(reply) });
    screen.push(sent[sent.length - 1]!);
    return posted;
  };
  chat.update = async (message, reply) => {
    await update(message, reply);
    edited.push({ id: message.messageId, text: plainText(reply), buttons: replyButtons(reply) });
    screen.push(edited[edited.length - 1]!);
  };
  let printed = '';
  output.on('data', (c: Buffer) => (printed += c.toString()));
  // What the person is answered with (the console shows it to them; `ephemeral` says whether it was meant for them alone).
  let last: Reply | undefined;
  const handle = app.bot.handle.bind(app.bot);
  const handleText = app.bot.handleText.bind(app.bot);
  app.bot.handle = async (incoming) => (last = await handle(incoming));
  app.bot.handleText = async (...args) => (last = await handleText(...args));
  /** What is on screen with buttons: posts, edits and replies, newest last. */
  const screen: Post[] = [];
  let replies = 0;
  const say = async (line: string, who?: Person, begun?: number) => {
    if (who) await chat.line(`/as ${who.shownAs}`);
    printed = '';
    last = undefined;
    await chat.line(line, begun);
    const reply = last as Reply | undefined;
    if (reply) screen.push({ id: `reply-${++replies}`, text: plainText(reply), buttons: replyButtons(reply) });
    return { text: printed, private: reply?.ephemeral ?? false, buttons: reply ? replyButtons(reply) : [] };
  };
  await app.resume();
  return {
    name: 'console',
    app,
    time,
    address: 'console:local',
    alice: { shownAs: 'alice' },
    bob: { shownAs: 'bob' },
    command: (name, sub, values, who) => say(textLine(name, sub, values), who),
    async click(action, messageId, who) {
      // People press the number of a button of a message on screen, typed while it was there: a
      // key typed while a question was open belongs to that question even if it has closed since.
      const message = [...screen].reverse().find((p) => (messageId === undefined || p.id === messageId) && p.buttons.includes(action));
      const index = message ? message.buttons.indexOf(action) : -1;
      if (!message || index < 0) throw new Error(`no button ${action} on screen`);
      return say(String(index + 1), who, messageId === undefined ? undefined : chat.shownWith(messageId, action));
    },
    posts: async () => [...sent],
    edits: async () => [...edited],
    send: (address, reply) => chat.send(address, reply),
    refusedForGood: () => ({ address: 'slack:T1:C1', code: 'invalid_address' }),
    close: async () => {
      await running.stop();
      await app.close();
    },
  };
}

type AnyBlock = Record<string, any>;

function slackText(blocks: AnyBlock[] | undefined, fallback: unknown): string {
  if (!blocks) return String(fallback ?? '');
  const parts: string[] = [];
  for (const b of blocks) {
    if (b['text']?.text) parts.push(b['text'].text);
    for (const f of b['fields'] ?? []) parts.push(f.text);
    for (const e of b['elements'] ?? []) parts.push(e.text?.text ?? e.text ?? '');
  }
  return parts.join('\n');
}

const slackButtons = (blocks: AnyBlock[] | undefined) => (blocks ?? []).filter((b) => b['type'] === 'actions').flatMap((b) => b['elements'].map((e: AnyBlock) => e['value']));

/** Slack over HTTP: a real Bolt receiver, signed requests, a fake Web API and response_url. */
export async function slackDriver(knowledgeDir: string): Promise<Driver> {
  const slack = await slackHarness(knowledgeDir);
  slack.fake.addUser({ id: 'UBOB', display_name: 'Bob' });
  let n = 0;
  const ids = { Alice: 'UALICE', Bob: 'UBOB' } as Record<string, string>;
  const seen = async (responseId: string): Promise<Seen> => {
    const r = await slack.fake.firstResponseTo(responseId);
    const blocks = r.body['blocks'] as AnyBlock[] | undefined;
    return { text: slackText(blocks, r.body['text']), private: r.body['response_type'] === 'ephemeral', buttons: slackButtons(blocks) };
  };
  await slack.app.resume();
  return {
    name: 'Slack',
    app: slack.app,
    time: slack.time,
    address: `slack:${TEAM}:CGENERAL`,
    alice: { shownAs: 'Alice' },
    bob: { shownAs: 'Bob' },
    async command(name, sub, values, who, manager) {
      const id = `r${++n}`;
      const text = textLine(name, sub, values).slice(name.length + 2);
      await slack.command(`/${name}`, text, id, manager ? 'UADMIN' : ids[who?.shownAs ?? 'Alice']);
      return seen(id);
    },
    async click(action, messageId, who) {
      const id = `r${++n}`;
      await slack.click({ action_id: `0:${action}`, value: action }, id, { messageTs: messageId, user: ids[who?.shownAs ?? 'Alice'], ephemeral: messageId === undefined });
      return seen(id);
    },
    posts: async () => slack.fake.callsOf('chat.postMessage').filter((c) => c.response?.['ok']).map((c) => ({ id: String(c.response?.['ts']), text: slackText(c.params['blocks'] as AnyBlock[], c.params['text']), buttons: slackButtons(c.params['blocks'] as AnyBlock[]) })),
    edits: async () => slack.fake.callsOf('chat.update').map((c) => ({ id: String(c.params['ts']), text: slackText(c.params['blocks'] as AnyBlock[], c.params['text']), buttons: slackButtons(c.params['blocks'] as AnyBlock[]) })),
    send: (address, reply) => slack.app.messengers.send(address, reply),
    refusedForGood() {
      slack.fake.fail('chat.postMessage', { error: 'channel_not_found' });
      return { address: `slack:${TEAM}:CGONE`, code: 'channel_not_found' };
    },
    serverError() {
      slack.fake.fail('chat.postMessage', { status: 503 }, 10);
      return { address: `slack:${TEAM}:CDOWN`, code: 'http_503' };
    },
    close: () => slack.close(),
  };
}

const discordText = (body: AnyBlock | undefined) => {
  if (!body) return '';
  const e = body['embeds']?.[0];
  return [body['content'], e?.title, e?.description, ...(e?.fields ?? []).map((f: AnyBlock) => `${f['name']}: ${f['value']}`)].filter(Boolean).join('\n');
};
const discordButtons = (body: AnyBlock | undefined) => (body?.['components'] ?? []).flatMap((row: AnyBlock) => row['components'].map((b: AnyBlock) => b['custom_id']));

/** Discord: a real discord.js Client over the fake gateway and REST API; slash commands with typed options. */
export async function discordDriver(knowledgeDir: string): Promise<Driver> {
  const fake = await FakeDiscord.start();
  const { app, time } = testApp(knowledgeDir);
  const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl });
  const discord: RunningDiscord = await discordPlatform.start(app, discordPlatform.configure(config)!, silentLogger, { deferAfterMs: 1000 });
  const users = { 'Alice the Analyst': { user: ALICE, nick: 'Alice the Analyst' }, Bob: { user: { ...ALICE, id: '400000000000000002', username: 'bob', global_name: 'Bob' }, nick: 'Bob' } } as Record<string, { user: typeof ALICE; nick: string }>;
  const actor = (who?: Person, manager = false) => ({ ...users[who?.shownAs ?? 'Alice the Analyst']!, manager });
  const answered = async (interaction: { id: string; token: string }): Promise<Seen> => {
    const call = await fake.waitForCall((c) => c.method === 'POST' && c.path === `/interactions/${interaction.id}/${interaction.token}/callback`);
    const data = call.body.data as AnyBlock;
    return { text: discordText(data), private: ((data['flags'] ?? 0) & 64) === 64, buttons: discordButtons(data) };
  };
  const channelPosts = () => fake.calls.filter((c: RecordedCall) => c.method === 'POST' && c.path === `/channels/${CHANNEL_ID}/messages` && c.status === 200);
  await app.resume();
  return {
    name: 'Discord',
    app,
    time,
    address: `discord:${GUILD_ID}:${CHANNEL_ID}`,
    alice: { shownAs: 'Alice the Analyst' },
    bob: { shownAs: 'Bob' },
    async command(name, sub, values, who, manager) {
      const options = Object.entries(values).map(([k, v]) => ({ name: k, type: typeof v === 'number' ? 4 : 3, value: v }));
      const interaction = slashCommand(name, sub ? [{ name: sub, type: 1, options }] : options, actor(who, manager));
      fake.dispatch('INTERACTION_CREATE', interaction);
      return answered(interaction);
    },
    async click(action, messageId, who) {
      const interaction = buttonClick(action, messageId, actor(who));
      fake.dispatch('INTERACTION_CREATE', interaction);
      return answered(interaction);
    },
    posts: async () => channelPosts().map((c) => ({ id: String(fake.created.find((m) => m.body === c.body)?.id ?? ''), text: discordText(c.body), buttons: discordButtons(c.body) })),
    edits: async () =>
      fake.calls
        .filter((c) => c.method === 'PATCH' && c.path.startsWith(`/channels/${CHANNEL_ID}/messages/`))
        .map((c) => ({ id: c.path.split('/').pop()!, text: discordText(c.body), buttons: discordButtons(c.body) })),
    send: (address, reply) => app.messengers.send(address, reply),
    refusedForGood() {
      fake.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 403, body: { code: 50001, message: 'Missing Access' } });
      return { address: `discord:${GUILD_ID}:${CHANNEL_ID}`, code: 'missing_access' };
    },
    serverError() {
      fake.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 503, body: { code: 0, message: 'Service Unavailable' }, times: 10 });
      return { address: `discord:${GUILD_ID}:${CHANNEL_ID}`, code: 'discord_unavailable' };
    },
    close: async () => {
      await discord.stop();
      await fake.close();
      await app.close();
    },
  };
}
