import { ButtonStyle, ComponentType, MessageFlags, type APIActionRowComponent, type APIButtonComponentWithCustomId, type APIEmbed, type APIEmbedField } from 'discord.js';
import { truncate, type Block, type Button, type Field, type Link, type Reply } from '../../core/reply.js';
import { withoutLinks } from './escape.js';

/** Discord's message limits (API docs: embed limits, component limits, message content). */
export const LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  embedTotal: 6000,
  content: 2000,
  customId: 100,
  buttonsPerRow: 5,
  rows: 5,
  label: 80,
} as const;

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** A message body that `reply`, `editReply`, `followUp`, `channel.send` and `message.edit` all take. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  flags?: MessageFlags.Ephemeral;
}

const ZERO_WIDTH_SPACE = '\u200b';
const DIVIDER = '─'.repeat(24);
/** Fields inline side by side when every value of the block is this short. */
const INLINE_VALUE = 40;

/**
 * Text can never ping: `@everyone`, `@here`, `<@user>`, `<@&role>` and `<#channel>` get a zero-width
 * space that breaks the syntax but not the reading. The Client's `allowedMentions` is the second guard.
 */
export function neutraliseMentions(value: string): string {
  return value.replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`).replace(/<([@#])/g, `<${ZERO_WIDTH_SPACE}$1`);
}

const fenceCount = (value: string) => value.match(/```/g)?.length ?? 0;

/** Truncates Markdown, closing a code fence the cut left open so the rest does not turn into code. */
export function fitMarkdown(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = truncate(value, max);
  if (fenceCount(cut) % 2 === 0) return cut;
  const closing = '\n```';
  const shorter = truncate(value, Math.max(0, max - closing.length));
  return fenceCount(shorter) % 2 === 0 ? shorter : `${shorter}${closing}`;
}

/**
 * Text of the reply model as Discord Markdown that pings no one and links nowhere: the model's
 * Markdown subset has no links (those are `links` blocks), so a link in prose can only have come
 * from a person, quoted in a reply (a query, a name).
 */
const inert = (value: string) => withoutLinks(neutraliseMentions(value));

const safe = (value: string, max: number) => fitMarkdown(inert(value), max);

function contextText(value: string): string {
  return value
    .split('\n')
    .map((line) => (line.trim() ? `-# ${line}` : line))
    .join('\n');
}

function linkText(link: Link): string {
  const label = neutraliseMentions(link.label).replace(/([[\]])/g, '\\$1');
  if (!/^https?:\/\/\S+$/.test(link.url)) return label;
  return `[${label}](${link.url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
}

/** The Markdown of a block that reads as prose (everything but fields and buttons). */
function prose(block: Exclude<Block, { type: 'fields' } | { type: 'buttons' }>): string {
  switch (block.type) {
    case 'text':
      return inert(block.text);
    case 'context':
      return contextText(inert(block.text));
    case 'links':
      return block.links.map(linkText).join(' · ');
    case 'divider':
      return DIVIDER;
  }
}

function embedFields(fields: Field[]): APIEmbedField[] {
  const inline = fields.length > 1 && fields.every((f) => f.value.length <= INLINE_VALUE);
  return fields.map((f) => ({
    name: safe(f.label, LIMITS.fieldName) || ZERO_WIDTH_SPACE,
    value: safe(f.value, LIMITS.fieldValue) || ZERO_WIDTH_SPACE,
    inline,
  }));
}

const STYLES: Record<NonNullable<Button['style']> | 'default', ButtonStyle.Primary | ButtonStyle.Danger | ButtonStyle.Secondary> = {
  primary: ButtonStyle.Primary,
  danger: ButtonStyle.Danger,
  default: ButtonStyle.Secondary,
};

/**
 * One action row per buttons block, five buttons a row, five rows. A custom_id must be 1–100
 * characters and unique in the message, so a button breaking that is left out rather than cut
 * (a cut id would route the click somewhere else).
 */
function buttonRows(blocks: Block[]): ButtonRow[] {
  const seen = new Set<string>();
  const rows: ButtonRow[] = [];
  for (const block of blocks) {
    if (block.type !== 'buttons') continue;
    const usable: Button[] = [];
    for (const b of block.buttons) {
      if (b.action.length < 1 || b.action.length > LIMITS.customId || seen.has(b.action)) continue;
      seen.add(b.action);
      usable.push(b);
    }
    for (let i = 0; i < usable.length && rows.length < LIMITS.rows; i += LIMITS.buttonsPerRow) {
      rows.push({
        type: ComponentType.ActionRow,
        components: usable.slice(i, i + LIMITS.buttonsPerRow).map((b) => ({
          type: ComponentType.Button,
          custom_id: b.action,
          label: truncate(neutraliseMentions(b.label), LIMITS.label) || '…',
          style: STYLES[b.style ?? 'default'],
        })),
      });
    }
  }
  return rows;
}

/**
 * Lays the blocks out in order: prose goes to the description until the first fields block, and
 * after it into untitled fields, so nothing moves above what it followed.
 */
function layout(blocks: Block[]): { description: string[]; fields: APIEmbedField[] } {
  const description: string[] = [];
  const fields: APIEmbedField[] = [];
  for (const block of blocks) {
    if (block.type === 'buttons') continue;
    if (block.type === 'fields') fields.push(...embedFields(block.fields));
    else if (fields.length === 0) description.push(prose(block));
    else fields.push({ name: ZERO_WIDTH_SPACE, value: fitMarkdown(prose(block), LIMITS.fieldValue) || ZERO_WIDTH_SPACE });
  }
  return { description, fields };
}

/** Keeps what is read first: the title, then the description, then fields in order, within 6000 in all. */
function embed(title: string | undefined, description: string, fields: APIEmbedField[]): APIEmbed | undefined {
  let budget: number = LIMITS.embedTotal;
  const out: APIEmbed = {};
  if (title) {
    out.title = safe(title, LIMITS.title);
    budget -= out.title.length;
  }
  if (description) {
    out.description = fitMarkdown(description, Math.min(LIMITS.description, budget));
    budget -= out.description.length;
  }
  const kept: APIEmbedField[] = [];
  for (const [i, field] of fields.entries()) {
    const last = kept.length === LIMITS.fields - 1 && i < fields.length - 1;
    const candidate = last ? { name: ZERO_WIDTH_SPACE, value: `…and ${fields.length - i} more` } : field;
    const room = budget - candidate.name.length;
    if (room < 2) break;
    const value = fitMarkdown(candidate.value, Math.min(LIMITS.fieldValue, room));
    kept.push({ ...candidate, value });
    budget -= candidate.name.length + value.length;
    if (last) break;
  }
  if (kept.length) out.fields = kept;
  return out.title || out.description || out.fields ? out : undefined;
}

/** A reply of plain prose without a title reads best as an ordinary message. */
function asContent(reply: Reply): string | undefined {
  if (reply.title) return undefined;
  const parts: string[] = [];
  for (const block of reply.blocks) {
    if (block.type === 'buttons') continue;
    if (block.type !== 'text' && block.type !== 'context') return undefined;
    parts.push(prose(block));
  }
  const content = parts.join('\n\n');
  return content && content.length <= LIMITS.content ? content : undefined;
}

/** Renders a Reply as a Discord message: one embed (or plain content) and rows of buttons. */
export function renderForDiscord(reply: Reply): DiscordMessage {
  const components = buttonRows(reply.blocks);
  const flags: Pick<DiscordMessage, 'flags'> = reply.ephemeral ? { flags: MessageFlags.Ephemeral } : {};
  const content = asContent(reply);
  if (content !== undefined) return { content, embeds: [], components, ...flags };
  const { description, fields } = layout(reply.blocks);
  const rendered = embed(reply.title, description.join('\n\n'), fields);
  // Discord refuses a message with nothing in it.
  if (!rendered && components.length === 0) return { content: '…', embeds: [], components, ...flags };
  return { embeds: rendered ? [rendered] : [], components, ...flags };
}

/** Characters an embed counts against the 6000 limit. */
export function embedLength(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

/** A channel post or an edit: what was rendered, without the ephemeral flag only interaction replies take. */
export function channelMessage(reply: Reply): Omit<DiscordMessage, 'flags'> {
  const { flags: _ephemeral, ...message } = renderForDiscord(reply);
  return message;
}
