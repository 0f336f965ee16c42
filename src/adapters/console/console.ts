import { randomBytes } from 'node:crypto';
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Bot } from '../../core/bot.js';
import type { Conventions, LocalCommand } from '../../core/conventions.js';
import { DeliveryError } from '../../core/delivery.js';
import type { User } from '../../core/incoming.js';
import type { Reply } from '../../core/reply.js';
import type { Messenger, PostedMessage, Recovery } from '../../core/services.js';
import { quoteUserText } from '../../core/text.js';
import { labelKey, renderForTerminal } from './render.js';
import type { Reshown } from './resumed.js';

export const CONSOLE_ADDRESS = 'console:local';

const AS: LocalCommand = {
  name: 'as',
  usage: '/as NAME',
  summary: 'Speak as another person, e.g. /as alice, to play a quiz with several people; /as me to be yourself again',
  details:
    'Speak as another person from now on: your lines, button presses and quiz answers are theirs, with their own progress and place on the leaderboard, so a quiz with several players can be played at one terminal. A name is letters, digits, dots, dashes and underscores (spaces become dashes), up to 32 characters. `/as me` makes you yourself again.',
  examples: ['/as alice', '/as me'],
};

const QUIT: LocalCommand = {
  name: 'quit',
  aliases: ['exit'],
  usage: '/quit',
  summary: 'Leave (a running quiz is stopped, with its answers kept)',
  details: 'Leave the console. A running quiz is revealed and stopped, its answers kept for the leaderboard, rather than left running for the next start. Ctrl-C and the end of piped input do the same.',
};

/** The console names commands as typed, and has a few of its own. */
export const consoleConventions: Conventions = {
  commandName: (name) => `/${name}`,
  localCommands: [{ usage: '1, 2, … or A–D', summary: 'Press that button of the latest message (A to D answer a quiz question)' }, AS, QUIT],
  managers: 'everyone at this terminal',
  place: 'console',
};

/** `/quit`, `/exit`, followed by anything or nothing. */
const QUIT_LINE = new RegExp(`^/(${[QUIT.name, ...(QUIT.aliases ?? [])].join('|')})(\\s|$)`, 'i');
/** A quiz answer typed as its letter: "b", "B)", "(c)", "d.", "answer is b", "option c". */
const ANSWER_LETTER = /^(?:(?:my )?(?:answer|option|choice)(?: is)?:?\s*)?\(?([a-d])[.)]?$/i;

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  /** A person at a terminal: line editing, a prompt and colours. */
  interactive: boolean;
  /** Where SIGTERM and SIGINT come from, which end `run()` as its input ending does (the process by default). */
  signals?: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
}

/** The signals that stop the console: a supervisor's stop, Ctrl-C when the input is not a terminal. */
const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** Asks the terminal to mark what is pasted (bracketed paste mode), and to stop. */
const BRACKETED_PASTE_ON = '\u001b[?2004h';
const BRACKETED_PASTE_OFF = '\u001b[?2004l';

/** How `run()` ended: the input ran out, the person typed /quit, the output's reader went away (`npm start | head`), or the process was asked to stop. */
export type ConsoleEnd = 'input-ended' | 'quit' | 'output-closed' | (typeof STOP_SIGNALS)[number];

/** The person at the keyboard, unless they speak `/as` someone else. */
const YOU = 'you';

/** A person by name, whatever its case: `/as ALICE` is alice again, as a chat name would be. */
function consoleUser(name: string): User {
  return { id: `console:${name.toLowerCase()}`, name, isManager: true };
}

/** The buttons of one message as printed: numbers and shortcut keys → actions. */
interface ButtonSet {
  generation: number;
  messageId?: string;
  actions: string[];
  shortcuts: Map<string, string>;
  byLabel: Map<string, string>;
}

/** How many printed button sets a late key press can still refer to. */
const KEPT_BUTTON_SETS = 20;
/** Labels of buttons about the message they are on, not a card or a topic to open (typed out, see labelKey). */
const ANSWER_BUTTONS = new Set(['Not what I meant', 'Share in channel'].map(labelKey));

/**
 * The terminal as a chat channel. Lines are commands or questions; a number (or A to D on a quiz
 * question, or the button's label typed out) presses that button of the latest message with
 * buttons; `/as NAME` speaks as another person, so a quiz with several players can be played (and
 * tested) in one terminal.
 *
 * A key press belongs to the message that was on screen when the person began typing it: an answer
 * typed while question 1 was open and sent just after question 2 appeared goes to question 1, which
 * refuses it as closed, rather than counting for question 2.
 */
export class ConsoleAdapter implements Messenger {
  private user = consoleUser(YOU);
  private readonly sets: ButtonSet[] = [];
  private generation = 0;
  private nextMessageId = 1;
  /**
   * Message ids of this run start with it: a quiz resumed after a restart edits messages of the run
   * before (by their stored ids), which must not be mistaken for this run's, and a button's stored
   * press (a review card's) must not be taken for a press on another message.
   */
  private readonly runTag = randomBytes(4).toString('hex');
  private bot?: Bot;
  private rl?: Interface;
  /** A prompt is on screen, waiting for the user's line. */
  private prompting = false;
  /** While a line is answered: what was posted meanwhile, printed after the answer. */
  private answering: Array<() => void> | undefined;
  /** The button set on screen when the person began the line they are typing (interactive). */
  private lineGeneration?: number;
  /** The output can no longer be written (its reader went away): nothing more is printed. */
  private outputClosed = false;

  constructor(private readonly options: ConsoleOptions) {}

  attach(bot: Bot): void {
    this.bot = bot;
  }

  async send(address: string, reply: Reply): Promise<PostedMessage> {
    if (!address.startsWith('console:')) throw new DeliveryError(`"${address}" is not a console address`, 'invalid_address', true);
    const messageId = this.newMessageId();
    this.whenAnswered(() => this.pushed(reply, messageId));
    return { address, messageId };
  }

  /**
   * A send interrupted by the end of the process: the terminal it printed to is gone with it, and a
   * new console is a new screen, so nothing can be there to find. Print it (again).
   */
  async recover(): Promise<Recovery> {
    return { absent: true };
  }

  /** The terminal is one person's: it is their direct conversation too. */
  async directAddress(address: string): Promise<string> {
    return address;
  }

  async update(message: PostedMessage, reply: Reply): Promise<void> {
    if (!message.address.startsWith('console:')) throw new DeliveryError(`"${message.address}" is not a console address`, 'invalid_address', true);
    this.whenAnswered(() => {
      const latest = this.sets[this.sets.length - 1];
      // A message whose buttons are gone (a revealed question) has nothing left to press.
      if (latest && latest.messageId === message.messageId && !reply.blocks.some((b) => b.type === 'buttons')) latest.actions = [];
      this.pushed(reply, message.messageId);
    });
  }

  /**
   * Messages posted while a line is answered are printed after its answer, which says what they
   * are ("Started a 2-question quiz", then its first question; "Skipped question 1", then the next).
   */
  private whenAnswered(print: () => void): void {
    if (this.answering) this.answering.push(print);
    else print();
  }

  /** A message that arrives on its own (a reveal, the next question): printed above the prompt and whatever is half typed. */
  private pushed(reply: Reply, messageId: string): void {
    if (!this.prompting) return this.print(reply, messageId);
    if (this.rl) {
      clearLine(this.options.output, 0);
      cursorTo(this.options.output, 0);
      this.print(reply, messageId);
      // Redraws the prompt and the half-typed line, cursor where it was.
      this.rl.prompt(true);
      return;
    }
    this.write('\n');
    this.print(reply, messageId);
    this.prompt();
  }

  private prompt(): void {
    if (!this.options.interactive) return;
    this.prompting = true;
    if (this.rl) {
      this.rl.setPrompt(`${this.user.name}> `);
      this.rl.prompt(true);
    } else {
      this.write(`${this.user.name}> `);
    }
  }

  /** Lines read from the input so far. */
  linesRead = 0;

  /**
   * Reads lines until the input ends or the person types /quit. `reshow`: a message of an earlier
   * run still waiting for presses (a resumed quiz's open question), printed first with its buttons.
   */
  async run(reshow?: () => Promise<Reshown | undefined>): Promise<ConsoleEnd> {
    const { input, output, interactive } = this.options;
    // Looked up before the input is read from: lines that arrive while nothing iterates it are lost.
    const earlier = await reshow?.();
    const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive, historySize: interactive ? 100 : 0 });
    // Lines pasted together (a stack trace) are one question: the terminal marks a paste when asked
    // to (bracketed paste), and each line read says whether it came inside one.
    const pasted: boolean[] = [];
    let pasting = false;
    let lastPasted = false;
    const onPaste = (_s: unknown, key?: { name?: string }) => {
      if (key?.name === 'paste-start') pasting = true;
      if (key?.name !== 'paste-end') return;
      pasting = false;
      // A paste that ended with its own newline is sent at once, as a typed line would be.
      if (lastPasted && rl.line === '') rl.write('\n');
    };
    // A terminal that does not mark pastes still sends one in a single chunk: in a terminal, lines
    // that arrive together (before the event loop turns) were pasted, as nobody types that fast.
    let sameChunk = 0;
    rl.on('line', () => {
      const inChunk = interactive && sameChunk++ > 0;
      if (inChunk) pasted[pasted.length - 1] = true;
      if (sameChunk === 1) {
        setImmediate(() => {
          const lines = sameChunk;
          sameChunk = 0;
          // Sent at once when it ended with its own newline, as a marked paste is.
          if (lines > 1 && rl.line === '') rl.write('\n');
        });
      }
      pasted.push(pasting || inChunk);
      lastPasted = pasting;
    });
    if (interactive) {
      this.rl = rl;
      // The first key of a line fixes which message's buttons its number or letter means.
      input.on('keypress', this.onKeypress);
      input.on('keypress', onPaste);
      this.write(`${BRACKETED_PASTE_ON}Backfill console. Ask a question (e.g. "kafka acks"), type /help, or /quit to leave.\n`);
    }
    // Not when this run printed it already (resuming posted it anew).
    if (earlier && !earlier.messageId.startsWith(`${this.runTag}-`)) this.print(earlier.reply, earlier.messageId);
    this.prompt();
    let end: ConsoleEnd = 'input-ended';
    // In a terminal, readline takes the keys itself: Ctrl-C leaves, as /quit does.
    rl.on('SIGINT', () => {
      end = 'quit';
      this.write('\n');
      rl.close();
    });
    // Without a handler the process would die at once, a quiz left open for the next start.
    const signals = this.options.signals ?? process;
    const onSignal = STOP_SIGNALS.map((signal) => {
      const stop = () => {
        end = signal;
        rl.close();
      };
      signals.on(signal, stop);
      return () => signals.off(signal, stop);
    });
    // Nobody reads the answers any more (`npm start | head`): the chat ends as when its input does.
    // The listener stays: a write already under way may fail after the run.
    output.on('error', () => {
      this.outputClosed = true;
      if (end === 'input-ended') end = 'output-closed';
      rl.close();
    });
    const held: string[] = [];
    try {
      for await (const line of rl) {
        // Asked to stop: lines already read but not yet handled are not taken, as a stopping bot takes no new request.
        if (end !== 'input-ended') break;
        this.linesRead++;
        if (pasted.shift()) {
          held.push(line);
          continue;
        }
        this.prompting = false;
        const keepGoing = await this.line(held.length ? [...held.splice(0), line].join('\n') : line, this.lineGeneration);
        this.lineGeneration = undefined;
        if (!keepGoing) {
          end = 'quit';
          break;
        }
        this.prompt();
      }
    } finally {
      for (const off of onSignal) off();
      this.prompting = false;
      input.off('keypress', this.onKeypress);
      input.off('keypress', onPaste);
      if (interactive) this.write(BRACKETED_PASTE_OFF);
      this.rl = undefined;
      rl.close();
    }
    return end;
  }

  private readonly onKeypress = (_s: unknown, key?: { name?: string }) => {
    if (key?.name === 'return' || key?.name === 'enter') return;
    if (this.lineGeneration === undefined) this.lineGeneration = this.generation;
  };

  /**
   * The button set (its generation) printed with a message, the latest with `action` among its
   * buttons when given, while it is still kept: a key typed while it was on screen belongs to it.
   */
  shownWith(messageId: string, action?: string): number | undefined {
    return [...this.sets].reverse().find((s) => s.messageId === messageId && (action === undefined || s.actions.includes(action)))?.generation;
  }

  /** Handles one line; false when the user asked to leave. `begun`: the button set on screen when its typing began. */
  async line(raw: string, begun?: number): Promise<boolean> {
    this.answering = [];
    try {
      return await this.answer(raw, begun);
    } finally {
      const posted = this.answering;
      this.answering = undefined;
      for (const print of posted) print();
    }
  }

  private async answer(raw: string, begun?: number): Promise<boolean> {
    const input = raw.trim();
    if (!input) return true;
    if (QUIT_LINE.test(input)) return false;
    const as = /^\/as(?:\s+(.*))?$/i.exec(input);
    if (as) {
      const full = (as[1] ?? '').trim().replace(/\s+/g, '-');
      const name = full.slice(0, 32);
      if (!name) this.write(`Usage: ${AS.usage}: ${AS.summary}\n`);
      // A name shows on the leaderboard: no mention syntax, no markup.
      else if (!/^[\p{L}\p{N}._-]+$/u.test(name)) this.write(`A name is letters, digits, dots, dashes and underscores (got “${quoteUserText(name, 32)}”), e.g. /as alice.\n`);
      else if (/^(me|you|myself|yourself)$/i.test(name)) {
        this.user = consoleUser(YOU);
        this.write('Speaking as yourself again.\n');
      } else {
        this.user = consoleUser(name);
        this.write(`Now speaking as ${name}.${full.length > name.length ? ' (A name keeps its first 32 characters.)' : ''}\n`);
      }
      return true;
    }
    if (!this.bot) throw new Error('console adapter used before a bot was attached');
    const latest = (begun !== undefined ? this.sets.find((s) => s.generation === begun) : undefined) ?? this.sets[this.sets.length - 1];
    // A quiz question stays answerable below replies without buttons ("A quiz is already running"),
    // other buttons do not (after `/progress forget`, `/leaderboard`, "1" must not delete anything).
    const shown = [...this.sets].reverse().find((s) => s.generation <= (latest?.generation ?? 0) && (s.actions.length || s.shortcuts.size));
    const question = shown?.shortcuts.size ? shown : undefined;
    const set = latest?.actions.length ? latest : (question ?? latest);
    // A to D answer the latest quiz question even below a card someone looked up meanwhile: a
    // letter means nothing else ("b", "B)", "(c)", "answer is d", a full-width "Ｄ").
    const asked = [...this.sets].reverse().find((s) => s.generation <= (latest?.generation ?? 0) && s.shortcuts.size);
    const key = ANSWER_LETTER.exec(input.normalize('NFKC'))?.[1]?.toLowerCase();
    const shortcut = key !== undefined ? asked?.shortcuts.get(key) : undefined;
    if (!shortcut && question && /^[a-z][.)]?$/i.test(input)) {
      // A letter no option has ("E" under a question with A to D) is a slip, not a question.
      this.write(`Answer with ${[...question.shortcuts.keys()].map((k) => k.toUpperCase()).join(', ')} (or ${numbers(question.actions.length)}).\n`);
      return true;
    }
    if (key !== undefined && !asked) {
      // An answer with no question open: the last one was answered, revealed or never asked.
      this.write(`No question is open to answer with ${key.toUpperCase()}: ${set?.actions.length ? `press ${set.actions.length === 1 ? '1 for the button' : `${numbers(set.actions.length)} for the buttons`} of the latest message, or ` : ''}\`/quiz\` starts a quiz and \`/review\` a review.\n`);
      return true;
    }
    const numbered = /^\d+$/.test(input);
    // A button's label typed out ("not what i meant") presses it, as its number does; a number is
    // always a button's number, whatever another button is labelled ("3" among a quiz's options).
    const labelled = numbered ? undefined : set?.byLabel.get(labelKey(input));
    // A button that answers the message it is on ("Not what I meant"), typed when the latest has none, is no question.
    if (!numbered && !labelled && ANSWER_BUTTONS.has(labelKey(input))) {
      const earlier = this.sets.some((s) => s !== set && s.byLabel.has(labelKey(input)));
      const comes = labelKey(input) === labelKey('Not what I meant') ? 'it comes with a card that answers a question' : 'it comes with a card';
      this.write(`The latest message has no “${input}” button (${earlier ? 'that one was on an earlier message' : comes}).\n`);
      return true;
    }
    if (numbered || shortcut || labelled) {
      const pressed = shortcut ? asked : set;
      const action = shortcut ?? labelled ?? set?.actions[Number(input) - 1];
      if (!action) {
        this.write(set?.actions.length ? `Pick a number from 1 to ${set.actions.length}.\n` : 'There are no buttons to press right now.\n');
        return true;
      }
      const reply = await this.bot.handle({ kind: 'action', address: CONSOLE_ADDRESS, user: this.user, action, messageId: pressed?.messageId });
      this.print(reply, this.newMessageId());
      return true;
    }
    const reply = await this.bot.handleText(CONSOLE_ADDRESS, this.user, input);
    // What the person typed is answered below: a number now means that answer's buttons, or none,
    // until a message it posted (`/quiz`'s first question) is printed after it with buttons of its own.
    // Its own message id, as on Slack and Discord: a card's buttons count once per card message.
    this.print(reply, this.newMessageId(), true);
    return true;
  }

  private newMessageId(): string {
    return `${this.runTag}-${this.nextMessageId++}`;
  }

  private print(reply: Reply, messageId?: string, replacesButtons = false): void {
    const { text, actions, shortcuts, byLabel } = renderForTerminal(reply, { color: this.options.interactive });
    if (actions.length || replacesButtons) {
      this.sets.push({ generation: ++this.generation, messageId, actions, shortcuts, byLabel });
      if (this.sets.length > KEPT_BUTTON_SETS) this.sets.shift();
    }
    this.write(`${text}\n\n`);
  }

  private write(s: string): void {
    if (!this.outputClosed) this.options.output.write(s);
  }
}

/** The button numbers 1 to n, said as people say them: "1 or 2", "1 to 4". */
function numbers(n: number): string {
  return n <= 2 ? [1, 2].slice(0, n).join(' or ') : `1 to ${n}`;
}
