import { slashCommandFor } from './conventions.js';

/**
 * Slack mrkdwn from the knowledge base's Markdown subset. Everything that reaches Slack goes through
 * `escapeText`, so no text the bot posts can form `<!channel>`, `<!here>`, `<@U…>` or a link of its own.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes Slack's control characters, and puts an invisible word joiner after the `@` of
 * `@here`, `@channel` and `@everyone` in case a client ever parses them from plain words.
 */
export function escapeText(value: string): string {
  return value.replace(/[&<>]/g, (c) => ENTITIES[c] ?? c).replace(/@(here|channel|everyone)\b/gi, '@\u2060$1');
}

/** A link Slack renders as its label; URLs other than http(s) are shown as text, never linked. */
export function mrkdwnLink(label: string, url: string): string {
  const shown = escapeText(label.replace(/\|/g, '¦').trim() || url);
  if (!/^https?:\/\/\S+$/i.test(url)) return `${shown} (${escapeText(url)})`;
  const target = url.replace(/[<>|]/g, (c) => encodeURIComponent(c)).replace(/&/g, '&amp;');
  return `<${target}|${shown}>`;
}

const PLACEHOLDER = '\u0000';

/** The core names commands as the console and Discord do; on Slack, `/help` is `/backfill`. */
function slackCommandNames(code: string): string {
  return code.replace(/^\/help\b/, slashCommandFor('help'));
}

/**
 * Translates **bold**, `code`, fenced code, "- " bullets and "# " headings to mrkdwn. Code keeps its
 * text (escaped, not formatted); fence language tags are dropped because Slack would show them.
 */
export function markdownToMrkdwn(markdown: string): string {
  const code: string[] = [];
  const keep = (rendered: string) => `${PLACEHOLDER}${code.push(rendered) - 1}${PLACEHOLDER}`;
  const text = markdown
    .replace(/\r\n?/g, '\n')
    .replaceAll(PLACEHOLDER, '')
    .replace(/```[^\n`]*\n([\s\S]*?)(?:\n?```|$)/g, (_, body: string) => keep(`\`\`\`\n${escapeText(body)}\n\`\`\``))
    .replace(/`([^`\n]+)`/g, (_, body: string) => keep(`\`${escapeText(slackCommandNames(body))}\``));
  return escapeText(text)
    .replace(/^([ \t]*)[-*+][ \t]+/gm, '$1• ')
    .replace(/^#{1,6}[ \t]+(.+)$/gm, '*$1*')
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '*$1*')
    .replace(new RegExp(`${PLACEHOLDER}(\\d+)${PLACEHOLDER}`, 'g'), (_, i: string) => code[Number(i)] ?? '');
}

const FENCE = '```';

function countFences(value: string): number {
  return value.split(FENCE).length - 1;
}

/**
 * Cuts mrkdwn to at most `max` characters, ending with an ellipsis, without breaking an entity
 * (`&amp;`) or a link, and closing a code fence left open.
 */
export function truncateMrkdwn(value: string, max: number): string {
  if (value.length <= max) return value;
  if (max < 1) return '';
  const closing = `\n${FENCE}`;
  let cut = value.slice(0, Math.max(0, max - 1));
  for (;;) {
    cut = cut.replace(/&[a-z]*$/i, '');
    const open = cut.lastIndexOf('<');
    if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
    cut = cut.trimEnd();
    const suffix = countFences(cut) % 2 === 1 ? `…${closing}` : '…';
    if (cut.length + suffix.length <= max) return `${cut}${suffix}`;
    cut = cut.slice(0, max - suffix.length);
  }
}

/**
 * Splits mrkdwn into pieces of at most `max` characters at paragraph breaks outside code fences;
 * a single paragraph longer than `max` is truncated.
 */
export function splitMrkdwn(value: string, max: number): string[] {
  const paragraphs: string[] = [];
  for (const part of value.split(/\n{2,}/)) {
    const last = paragraphs.length - 1;
    if (last >= 0 && countFences(paragraphs[last]!) % 2 === 1) paragraphs[last] += `\n\n${part}`;
    else paragraphs.push(part);
  }
  const pieces: string[] = [];
  let current = '';
  for (const paragraph of paragraphs.map((p) => truncateMrkdwn(p, max))) {
    if (!paragraph.trim()) continue;
    if (current && current.length + 2 + paragraph.length <= max) current += `\n\n${paragraph}`;
    else {
      if (current) pieces.push(current);
      current = paragraph;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

/**
 * A message's text as a person reads it: `<@U1|ada>`, `<#C1|general>` and `<https://x|label>` as
 * their labels, bare links as the URL, unlabelled mentions dropped, `&amp;` `&lt;` `&gt;` decoded,
 * whitespace collapsed. For reading what someone wrote (the "Explain this" shortcut), never for posting.
 */
export function readableText(mrkdwn: string): string {
  return mrkdwn
    .replace(/<([^<>|]*)(?:\|([^<>]*))?>/g, (_, target: string, label: string | undefined) => label ?? (/^[@#!]/.test(target) ? ' ' : target))
    .replace(/&(lt|gt|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', amp: '&' })[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}
