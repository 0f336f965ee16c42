/**
 * The one reply model every platform renders. Text is the knowledge base's Markdown subset
 * (paragraphs, "- " bullets, **bold**, `code`, fenced code); each renderer translates and escapes it.
 */
export type Block =
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: Field[] }
  | { type: 'links'; links: Link[] }
  | { type: 'buttons'; buttons: Button[] }
  | { type: 'context'; text: string }
  | { type: 'divider' };

export interface Field {
  label: string;
  value: string;
}

export interface Link {
  label: string;
  url: string;
}

export interface Button {
  /** Action id, routed back to the core when clicked (at most 100 characters). */
  action: string;
  label: string;
  style?: 'primary' | 'danger';
  /** A key that presses it where people type (the console): A to D for a quiz's answers. */
  shortcut?: string;
}

export interface Reply {
  title?: string;
  blocks: Block[];
  /** Only the asking user sees it. */
  ephemeral?: boolean;
}

export const text = (t: string): Block => ({ type: 'text', text: t });
export const context = (t: string): Block => ({ type: 'context', text: t });
export const divider = (): Block => ({ type: 'divider' });
export const fields = (f: Field[]): Block => ({ type: 'fields', fields: f });
export const links = (l: Link[]): Block => ({ type: 'links', links: l });
export const buttons = (b: Button[]): Block => ({ type: 'buttons', buttons: b });

export function reply(blocks: Block[], options: { title?: string; ephemeral?: boolean } = {}): Reply {
  return { blocks, ...options };
}

/** A short private answer: errors, confirmations, usage. */
export function notice(message: string): Reply {
  return { blocks: [text(message)], ephemeral: true };
}

/** Cuts text to a length, ending with an ellipsis when cut. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  return `${value.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** Plain text of a reply, for logs, notifications and platforms without rich layout. */
export function plainText(r: Reply): string {
  const lines: string[] = [];
  if (r.title) lines.push(r.title);
  for (const b of r.blocks) {
    switch (b.type) {
      case 'text':
      case 'context':
        lines.push(b.text);
        break;
      case 'fields':
        lines.push(b.fields.map((f) => `${f.label}: ${f.value}`).join('\n'));
        break;
      case 'links':
        lines.push(b.links.map((l) => `${l.label}: ${l.url}`).join('\n'));
        break;
      case 'buttons':
        lines.push(b.buttons.map((btn) => `[${btn.label}]`).join(' '));
        break;
      case 'divider':
        break;
    }
  }
  return lines.join('\n');
}
