import type { types } from '@slack/bolt';
import { plainText, type Block, type Button, type Reply } from '../../core/reply.js';
import { escapeText, markdownToMrkdwn, mrkdwnLink, splitMrkdwn, truncateMrkdwn } from './mrkdwn.js';

type SlackBlock = types.KnownBlock;
type ButtonElement = types.Button;

/** Block Kit limits (see /work/shared/notes/platforms.md); the renderer never exceeds them. */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  /** Messages of about 13k characters have been refused with every block in bounds. */
  messageChars: 12_000,
  /** The notification text; the blocks get what is left of `messageChars`. */
  fallbackChars: 3000,
} as const;

export interface SlackMessage {
  /** Notification and screen-reader text, mrkdwn like the blocks. */
  text: string;
  blocks: SlackBlock[];
}

const SHORTENED_NOTICE = '… _shortened to fit in a Slack message_';

/**
 * Buttons carry the core's action in `value`; the action_id is `<index>:<action>` (cut to 255),
 * which keeps action_ids unique within a message and readable in logs.
 */
export function buttonAction(action: { value?: string; action_id: string }): string {
  return action.value ?? action.action_id.replace(/^\d+:/, '');
}

function mrkdwn(text: string): types.MrkdwnElement {
  // verbatim: Slack must not turn plain words into links or mentions.
  return { type: 'mrkdwn', text, verbatim: true };
}

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: truncateMrkdwn(escapeText(text), max) || '•', emoji: true };
}

function section(text: string): SlackBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function context(text: string): SlackBlock {
  return { type: 'context', elements: [mrkdwn(truncateMrkdwn(text, SLACK_LIMITS.contextText))] };
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function button(b: Button, index: number): ButtonElement {
  const element: ButtonElement = {
    type: 'button',
    text: plain(b.label, SLACK_LIMITS.buttonText),
    action_id: `${index}:${b.action}`.slice(0, SLACK_LIMITS.actionId),
    value: b.action.slice(0, SLACK_LIMITS.buttonValue),
  };
  if (b.style) element.style = b.style;
  return element;
}

interface Piece {
  block: SlackBlock;
  /** Buttons survive shortening: a quiz without its answer buttons is useless. */
  interactive: boolean;
}

function piecesOf(block: Block, nextButton: () => number): Piece[] {
  const content = (b: SlackBlock): Piece => ({ block: b, interactive: false });
  switch (block.type) {
    case 'text':
      return splitMrkdwn(markdownToMrkdwn(block.text), SLACK_LIMITS.sectionText).map((t) => content(section(t)));
    case 'context': {
      const text = markdownToMrkdwn(block.text);
      return text.trim() ? [content(context(text))] : [];
    }
    case 'fields':
      return chunk(block.fields, SLACK_LIMITS.fields).map((group) =>
        content({
          type: 'section',
          fields: group.map((f) => mrkdwn(truncateMrkdwn(`*${escapeText(f.label.replace(/\*/g, ''))}*\n${markdownToMrkdwn(f.value)}`, SLACK_LIMITS.fieldText))),
        }),
      );
    case 'links':
      return block.links.length ? [content(context(block.links.map((l) => mrkdwnLink(l.label, l.url)).join('  ·  ')))] : [];
    case 'buttons':
      return chunk(block.buttons, SLACK_LIMITS.actionsElements).map((group) => ({
        block: { type: 'actions', elements: group.map((b) => button(b, nextButton())) },
        interactive: true,
      }));
    case 'divider':
      return [content({ type: 'divider' })];
  }
}

/** Characters of text a block carries, the measure of Slack's per-message size limit. */
function charsOf(block: SlackBlock): number {
  switch (block.type) {
    case 'header':
      return block.text.text.length;
    case 'section':
      return (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0);
    case 'context':
      return block.elements.reduce((n, e) => n + ('text' in e && typeof e.text === 'string' ? e.text.length : 0), 0);
    case 'actions':
      return block.elements.reduce((n, e) => n + (e.type === 'button' ? e.text.text.length + (e.value?.length ?? 0) : 0), 0);
    default:
      return 0;
  }
}

/** The block itself when it fits in `chars`, else an actions block with the buttons that fit, if any. */
function leadingButtons(block: SlackBlock, chars: number): SlackBlock | undefined {
  if (charsOf(block) <= chars) return block;
  if (block.type !== 'actions') return undefined;
  const elements = [...block.elements];
  while (elements.length && charsOf({ ...block, elements }) > chars) elements.pop();
  return elements.length ? { ...block, elements } : undefined;
}

/**
 * Keeps every interactive block and as much content, in order, as the limits allow; where content
 * had to go, a short notice says so.
 */
function fit(pieces: Piece[], charBudget: number): SlackBlock[] {
  const total = pieces.reduce((n, p) => n + charsOf(p.block), 0);
  if (pieces.length <= SLACK_LIMITS.blocks && total <= charBudget) return pieces.map((p) => p.block);

  const notice = context(SHORTENED_NOTICE);
  let blocksLeft = SLACK_LIMITS.blocks - 1;
  let charsLeft = charBudget - charsOf(notice);
  // Interactive blocks are reserved first, but may take at most half of the room.
  const kept = new Map<Piece, SlackBlock>();
  for (const p of pieces.filter((x) => x.interactive)) {
    const block = blocksLeft > SLACK_LIMITS.blocks / 2 ? leadingButtons(p.block, charsLeft - charBudget / 2) : undefined;
    if (!block) break;
    kept.set(p, block);
    blocksLeft--;
    charsLeft -= charsOf(block);
    if (block !== p.block) break;
  }

  const out: SlackBlock[] = [];
  let shortened = false;
  for (const p of pieces) {
    if (p.interactive) {
      const block = kept.get(p);
      if (block) out.push(block);
      else if (!shortened) {
        out.push(notice);
        shortened = true;
      }
      continue;
    }
    if (shortened) continue;
    const cost = charsOf(p.block);
    if (blocksLeft > 0 && cost <= charsLeft) {
      out.push(p.block);
      blocksLeft--;
      charsLeft -= cost;
      continue;
    }
    const text = p.block.type === 'section' ? p.block.text?.text : undefined;
    if (text && blocksLeft > 0 && charsLeft >= 200) out.push(section(truncateMrkdwn(text, charsLeft)));
    out.push(notice);
    shortened = true;
  }
  return out;
}

/** The notification text: the reply without its buttons, as mrkdwn. */
export function fallbackText(reply: Reply): string {
  const withoutButtons: Reply = { ...reply, blocks: reply.blocks.filter((b) => b.type !== 'buttons') };
  const text = truncateMrkdwn(markdownToMrkdwn(plainText(withoutButtons)).trim(), SLACK_LIMITS.fallbackChars);
  return text || 'Backfill';
}

/** Renders a neutral reply as a Block Kit message within Slack's limits. */
export function renderReply(reply: Reply): SlackMessage {
  const text = fallbackText(reply);
  let buttonIndex = 0;
  const pieces: Piece[] = [];
  if (reply.title?.trim()) pieces.push({ block: { type: 'header', text: plain(reply.title, SLACK_LIMITS.headerText) }, interactive: false });
  for (const block of reply.blocks) pieces.push(...piecesOf(block, () => buttonIndex++));
  return { text, blocks: fit(pieces, SLACK_LIMITS.messageChars - text.length) };
}
