import { escapeMarkdown } from 'discord.js';

/**
 * Discord renders Markdown in message content, embed descriptions and field values: a masked link
 * `[Verify](https://evil.tld)` shows only "Verify", and a bare or bracketed URL is clickable. The
 * bot's own text is the knowledge base's Markdown subset (bold, code, bullets, headings) plus the
 * links it builds itself from cited sources; anything else that could link comes from a person.
 */

/** A backslash escape (kept as it is), or the two places where link syntax is defused. */
const LINK_SYNTAX = /\\[^0-9A-Za-z\s]|\]\(|:\//g;
const CODE = /(```[\s\S]*?(?:```|$)|`[^`\n]*`)/;

function defuse(prose: string): string {
  return prose.replace(LINK_SYNTAX, (m) => (m.startsWith('\\') ? m : m === ':/' ? ':\\/' : ']\\('));
}

/**
 * Prose as Discord shows it, minus every way to link: `](` becomes `]\(`, so no masked link
 * `[label](url)` can form, and `:/` becomes `:\/`, so no `scheme://` URL or `<scheme:/...>` autolink
 * is recognised (both still read the same: Discord drops the backslash). Code spans and fences are left as they
 * are, since Discord links nothing inside them. Backslash escapes already present are kept.
 */
export function withoutLinks(markdown: string): string {
  return markdown
    .split(CODE)
    .map((part, i) => (i % 2 === 1 ? part : defuse(part)))
    .join('');
}

/**
 * User-supplied text (a display name, a nickname) for a Markdown context: every formatting
 * character escaped with discord.js's escapeMarkdown (all of its rules, lists, headings and masked
 * links included), block quotes and `-#` subtext at a line start as well, and then no link. The
 * text reads exactly as the person typed it.
 */
export function escapeUserText(value: string): string {
  const escaped = escapeMarkdown(value, { heading: true, bulletedList: true, numberedList: true, maskedLink: true }).replace(/^(\s*)(>|-#)/gm, '$1\\$2');
  return withoutLinks(escaped);
}
