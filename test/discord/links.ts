/**
 * What a Discord client would turn into a link or a ping, after the rules of Discord's Markdown
 * (simple-markdown's `link`, `autolink`, `url`, `escape`, `codeBlock`, `inlineCode`). The check is
 * stricter than the client: it looks for a URL at every position, not only at word starts.
 */

const MASKED_LINK = /^\[((?:\[[^\]]*\]|[^[\]]|\](?=[^[]*\]))*)\]\(\s*<?((?:\([^)]*\)|[^\s\\]|\\.)*?)>?(?:\s+['"]([\s\S]*?)['"])?\s*\)/;
const AUTOLINK = /^<([^: >]+:\/[^ >]+)>/;
const URL = /^(https?:\/\/[^\s<]+[^<.,:;"')\]\s])/;
const unescape = (s: string) => s.replace(/\\([^0-9A-Za-z\s])/g, '$1');

/** The targets of every live link in `markdown`. */
export function liveLinks(markdown: string): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < markdown.length) {
    const rest = markdown.slice(i);
    if (rest.startsWith('```')) {
      const end = markdown.indexOf('```', i + 3);
      i = end < 0 ? markdown.length : end + 3;
      continue;
    }
    if (rest[0] === '`') {
      const end = markdown.indexOf('`', i + 1);
      if (end > 0) {
        i = end + 1;
        continue;
      }
    }
    if (rest[0] === '\\' && rest.length > 1 && /[^0-9A-Za-z\s]/.test(rest[1]!)) {
      i += 2;
      continue;
    }
    const masked = MASKED_LINK.exec(rest);
    if (masked && /^https?:\/\//i.test(unescape(masked[2] ?? ''))) {
      found.push(unescape(masked[2]!));
      i += masked[0].length;
      continue;
    }
    const auto = AUTOLINK.exec(rest) ?? URL.exec(rest);
    if (auto) {
      found.push(auto[1]!);
      i += auto[0].length;
      continue;
    }
    i++;
  }
  return found;
}

/** Mention syntax a client would ping with (the bot also sends `allowed_mentions: { parse: [] }`). */
export function liveMentions(markdown: string): string[] {
  return markdown.match(/<@[!&]?\d+>|<#\d+>|@everyone|@here/g) ?? [];
}

/** Every string of a rendered message body a client shows as Markdown. */
export function markdownOf(body: { content?: string; embeds?: Array<{ title?: string; description?: string; fields?: Array<{ name: string; value: string }> }> }): string[] {
  return [body.content ?? '', ...(body.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])].filter(Boolean);
}
