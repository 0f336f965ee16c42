import type { ActionRequest } from './incoming.js';
import type { Reply } from './reply.js';

/**
 * Action ids are at most this long: Discord's custom_id limit (1–100), the strictest of the
 * platforms (Slack allows 255 for an action_id and 2000 for a value). Checked once, here.
 */
export const MAX_ACTION_LENGTH = 100;

/** A kind of button: its name (the action id's prefix) and how its value is written into the id and read back. */
export interface ButtonCodec<T> {
  name: string;
  /** The value as parts of the action id; only the last may contain `:`. */
  encode(value: T): string[];
  /** The value back from the parts after the name; undefined for anything this button could not have sent. */
  decode(parts: string[]): T | undefined;
  /** The last part is free text, cut to fit the length limit (a question); otherwise too long is a bug. */
  cutLast?: boolean;
}

export type ButtonHandler<T> = (request: ActionRequest, value: T) => Promise<Reply | undefined>;

export interface ButtonKind<T> extends ButtonCodec<T> {
  /** The action id of a button carrying `value`, within every platform's limit. */
  action(value: T): string;
  /** This kind of button with what a click does, as a feature lists it. */
  handledBy(run: ButtonHandler<T>): ButtonDef<T>;
}

export interface ButtonDef<T> extends ButtonKind<T> {
  run: ButtonHandler<T>;
}

const NAME = /^[a-z][a-z0-9-]{0,19}$/;

/**
 * Declares a kind of button. Messages anywhere can carry it (a quiz reveal carries the knowledge
 * feature's "explain" button); the feature that owns it says what a click does.
 */
export function buttonKind<T>(codec: ButtonCodec<T>): ButtonKind<T> {
  if (!NAME.test(codec.name)) throw new Error(`button name "${codec.name}" must be lowercase letters, digits or -, at most 20`);
  const kind: ButtonKind<T> = {
    ...codec,
    action(value: T): string {
      const parts = codec.encode(value);
      parts.forEach((p, i) => {
        if (p.includes(':') && !(codec.cutLast && i === parts.length - 1)) throw new Error(`button ${codec.name}: part "${p}" contains ":"`);
      });
      let id = [codec.name, ...parts].join(':');
      if (id.length > MAX_ACTION_LENGTH) {
        const head = [codec.name, ...parts.slice(0, -1)].join(':') + ':';
        if (!codec.cutLast || parts.length === 0 || head.length > MAX_ACTION_LENGTH) {
          throw new Error(`button ${codec.name}: action id "${id.slice(0, 40)}…" is longer than ${MAX_ACTION_LENGTH} characters`);
        }
        id = head + (parts[parts.length - 1] ?? '').slice(0, MAX_ACTION_LENGTH - head.length);
      }
      return id;
    },
    handledBy: (run) => ({ ...kind, run }),
  };
  return kind;
}

/** A button and its handler in one declaration. */
export function defineButton<T>(spec: ButtonCodec<T> & { run: ButtonHandler<T> }): ButtonDef<T> {
  return buttonKind(spec).handledBy(spec.run);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyButton = ButtonDef<any>;

/** Routes clicks to the button their action id names; a name declared twice is refused. */
export class ButtonRouter {
  private readonly byName = new Map<string, AnyButton>();

  constructor(buttons: readonly AnyButton[] = []) {
    for (const b of buttons) this.add(b);
  }

  add(button: AnyButton): void {
    if (this.byName.has(button.name)) throw new Error(`button "${button.name}" is declared twice`);
    this.byName.set(button.name, button);
  }

  /** The button of an action id and its decoded value, or undefined for an id no button of ours made. */
  find(action: string): { button: AnyButton; value: unknown } | undefined {
    const [name = '', ...parts] = action.split(':');
    const button = this.byName.get(name);
    if (!button) return undefined;
    const value: unknown = button.decode(parts);
    return value === undefined ? undefined : { button, value };
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}
