import type { Reply } from '../../core/reply.js';

export interface TerminalStyle {
  color: boolean;
}

const LINE_WIDTH = 100;

const BOLD = (s: string, on: boolean) => (on ? `\u001b[1m${s}\u001b[22m` : s);
const DIM = (s: string, on: boolean) => (on ? `\u001b[2m${s}\u001b[22m` : s);

/** Terminal text never carries escape sequences from the content itself. */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

function markdown(s: string, style: TerminalStyle): string {
  return clean(s).replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, (_, inner: string) => BOLD(inner, style.color));
}

/**
 * Renders a reply as terminal text. Buttons are numbered from `firstButton`; typing the number
 * clicks it. Returns the text and the actions in number order.
 */
export function renderForTerminal(reply: Reply, style: TerminalStyle, firstButton = 1): { text: string; actions: string[]; shortcuts: Map<string, string>; byLabel: Map<string, string> } {
  const out: string[] = [];
  const actions: string[] = [];
  /** A key (A to D) → the action of the button it presses. */
  const shortcuts = new Map<string, string>();
  /** A button's label typed out (see labelKey) → its action. */
  const byLabel = new Map<string, string>();
  if (reply.title) out.push(BOLD(`== ${clean(reply.title)} ==`, style.color));
  for (const block of reply.blocks) {
    switch (block.type) {
      case 'text':
        out.push(markdown(block.text, style));
        break;
      case 'context':
        out.push(DIM(markdown(block.text, style), style.color));
        break;
      case 'fields':
        // A value of several lines keeps them under its label, indented, apart from the next label.
        out.push(block.fields.map((f) => `${BOLD(clean(f.label), style.color)}: ${markdown(f.value, style).replace(/\n/g, '\n  ')}`).join('\n'));
        break;
      case 'links':
        out.push(block.links.map((l) => `-> ${clean(l.label)}: ${clean(l.url)}`).join('\n'));
        break;
      case 'buttons': {
        const labels = block.buttons.map((b) => {
          actions.push(b.action);
          if (b.shortcut) shortcuts.set(b.shortcut.toLowerCase(), b.action);
          // A label of symbols only (">>") is no word to type: "..." must not press it.
          const key = labelKey(b.label);
          if (key && !byLabel.has(key)) byLabel.set(key, b.action);
          return `[${firstButton + actions.length - 1}] ${clean(b.label)}`;
        });
        // Side by side when they fit on a line, one per line when they would wrap.
        out.push(labels.join('   ').length <= LINE_WIDTH ? labels.join('   ') : labels.join('\n'));
        break;
      }
      case 'divider':
        out.push('-'.repeat(40));
        break;
    }
  }
  return { text: out.join('\n\n'), actions, shortcuts, byLabel };
}

/** A label as typed, whatever its case, spaces and punctuation: "not what i meant" is "Not what I meant". */
export function labelKey(label: string): string {
  return label.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}
