import type { ReadResult } from './args.js';
import type { Arg, Command, Subcommand } from './command.js';
import { findSubcommand, hasSubcommands } from './command.js';
import type { Conventions } from './conventions.js';
import { closest, listing, quoteUserText } from './text.js';

/** What a command's words mean: its subcommand and argument values, or what is wrong with them. */
export type Parsed =
  /** `given`: the words each argument was given as. */
  | { ok: true; sub: Subcommand; values: Record<string, unknown>; given?: Record<string, string> }
  /**
   * `bare`: nothing was given at all, only a required argument is missing (a lone `explain`).
   * `nearMiss`: only a word close to one the command knows stands in the way: with the "did you
   * mean" in its place, the words would parse (`quiz me on kafak`).
   */
  | { ok: false; error: string; bare: boolean; nearMiss?: boolean };

/** A failure and, when the error offers a "did you mean", the word at `at` it would put in its place. */
type Failure = Extract<Parsed, { ok: false }> & { fix?: { at: number; word: string } };
/** What the readers below return: a reading, or a failure with its fix. */
type Reading = Extract<Parsed, { ok: true }> | Failure;

/** Typed option values of a platform with native options (Discord), by argument name. */
export interface NativeArgs {
  subcommand?: string;
  values: Record<string, string | number | boolean | undefined>;
}

/** The usage line of a subcommand: `/quiz [topics] [1-20] [5s-10m]`, `/daily subscribe ...`. */
export function usage(command: Command, sub: Subcommand, conv: Conventions): string {
  const parts = [conv.commandName(command.name)];
  if (namesSubcommand(command, sub, conv)) parts.push(sub.name);
  for (const [name, a] of Object.entries(sub.args)) {
    // Discord shows each option by its name, and its limits as it is typed.
    const p = conv.namedOptions ? name : a.type.placeholder;
    parts.push(a.required ? `<${p}>` : `[${p}]`);
  }
  return parts.join(' ');
}

/**
 * Whether usage names the subcommand: always on Discord; in text, except the default one when it
 * takes arguments (`/quiz kafka 3` starts a quiz; `/daily status` is clearer than `/daily`).
 */
function namesSubcommand(command: Command, sub: Subcommand, conv: Conventions): boolean {
  if (!sub.name) return false;
  return sub.name !== command.defaultSubcommand || Boolean(conv.nameDefaultSubcommand) || Object.keys(sub.args).length === 0;
}

/** An example as typed: `/quiz kafka 3`. */
export function example(command: Command, sub: Subcommand, line: string, conv: Conventions): string {
  let args = line;
  if (conv.namedOptions && line) {
    // As options: `/quiz start topics:kafka count:3`.
    const parsed = readArgs(command, sub, line.split(/\s+/).filter(Boolean), { commandName: (n) => `/${n}` }, false);
    if (parsed.ok && parsed.given) args = Object.entries(parsed.given).map(([k, v]) => `${k}:${v}`).join(' ');
  }
  return [conv.commandName(command.name), namesSubcommand(command, sub, conv) ? sub.name : '', args].filter(Boolean).join(' ');
}

function usageLine(command: Command, sub: Subcommand, conv: Conventions): string {
  const first = sub.examples?.[0];
  return ` Usage: \`${usage(command, sub, conv)}\`${first !== undefined ? `, e.g. \`${example(command, sub, first, conv)}\`` : ''}.`;
}

const fail = (error: string, bare = false, fix?: Failure['fix']): Failure => ({ ok: false, error, bare, ...(fix ? { fix } : {}) });

/** Arguments in the order they are tried: typed ones first, the one that takes the rest of the line last. */
function ordered(sub: Subcommand): Array<[string, Arg<unknown>]> {
  const args = Object.entries(sub.args);
  return [...args.filter(([, a]) => !a.type.rest), ...args.filter(([, a]) => a.type.rest)];
}

/** Fills in defaults, and refuses a line that lacks a required argument. */
function complete(command: Command, sub: Subcommand, values: Record<string, unknown>, given: number, conv: Conventions, words?: Record<string, string>): Reading {
  for (const [name, a] of Object.entries(sub.args)) {
    if (name in values) continue;
    if (a.required) {
      // The free text took the words: its first was most likely this argument, mistyped ("/report kafka/acks wrnog").
      const rest = Object.entries(sub.args).find(([n, r]) => r.type.rest && words?.[n])?.[0];
      const first = rest ? words![rest]!.split(' ')[0]! : undefined;
      if (first !== undefined) {
        const near = closest(first, [...(a.type.vocabulary?.() ?? [])]);
        return fail(`“${quoteUserText(first, 30)}” is not ${a.type.what}.${near ? ` Did you mean “${near}”?` : ''}${usageLine(command, sub, conv)}`);
      }
      const examples = (sub.examples ?? []).slice(0, 2).map((e) => `\`${example(command, sub, e, conv)}\``);
      // Some words given, one argument missing: say which ("/report kafka/acks": the kind).
      const missing = given > 0 ? `Add ${a.type.what}. ` : '';
      return fail(`${missing}Usage: \`${usage(command, sub, conv)}\`${examples.length ? `, for example ${examples.join(' or ')}` : ''}.`, given === 0);
    }
    if (a.default !== undefined) values[name] = structuredClone(a.default);
  }
  return { ok: true, sub, values, given: words };
}

/**
 * Reads a command's words: the subcommand (the first word, or the default), then the arguments in
 * any order. Every word must be read by an argument or be filler ("quiz me on kafka"); the first
 * that is not is refused by name, with a "did you mean" when one is close.
 */
export function parseWords(command: Command, text: string, conv: Conventions): Parsed {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const parsed = parseCommandWords(command, words, conv);
  if (parsed.ok || !parsed.fix) return parsed;
  const { fix, ...failure } = parsed;
  const corrected = [...words.slice(0, fix.at), fix.word, ...words.slice(fix.at + 1)].join(' ');
  return { ...failure, nearMiss: parseCommandWords(command, corrected.split(/\s+/), conv).ok };
}

function parseCommandWords(command: Command, words: string[], conv: Conventions): Reading {
  let sub: Subcommand;
  let rest = words;
  let couldBeSubcommand = false;
  if (hasSubcommands(command)) {
    const named = words[0] !== undefined ? findSubcommand(command, words[0]) : undefined;
    const fallback = command.subcommands.find((s) => s.name === command.defaultSubcommand);
    if (named) {
      sub = named;
      rest = words.slice(1);
    } else if (fallback) {
      sub = fallback;
      couldBeSubcommand = words.length > 0;
    } else {
      const names = command.subcommands.map((s) => s.name);
      const near = words[0] !== undefined ? closest(words[0], names) : undefined;
      const what = words[0] !== undefined ? `“${quoteUserText(words[0], 30)}” is not something \`${conv.commandName(command.name)}\` does.` : `\`${conv.commandName(command.name)}\` needs one of these:`;
      return fail(`${what}${near ? ` Did you mean \`${conv.commandName(command.name)} ${near}\`?` : ''} Use ${names.map((n) => `\`${conv.commandName(command.name)} ${n}\``).join(', ')}.`, words.length === 0, near ? { at: 0, word: near } : undefined);
    }
  } else {
    sub = command.subcommands[0]!;
  }
  const parsed = readArgs(command, sub, rest, conv, couldBeSubcommand);
  const skipped = words.length - rest.length;
  return !parsed.ok && parsed.fix ? { ...parsed, fix: { ...parsed.fix, at: parsed.fix.at + skipped } } : parsed;
}

/** A reading that took its words as a value (neither a hint nor an error), and more than `than` of them. */
function readsMore(r: ReadResult<unknown> | undefined, than: number): boolean {
  return r !== undefined && 'used' in r && r.used > than;
}

function readArgs(command: Command, sub: Subcommand, words: string[], conv: Conventions, couldBeSubcommand: boolean): Reading {
  const values: Record<string, unknown> = {};
  const given: Record<string, string> = {};
  const filler = new Set((sub.filler ?? []).map((w) => w.toLowerCase()));
  const args = ordered(sub);
  let i = 0;
  while (i < words.length) {
    const word = words[i]!;
    if (filler.has(word.toLowerCase())) {
      i++;
      continue;
    }
    const hints: string[] = [];
    let read = false;
    for (const [name, a] of args) {
      if (a.type.rest) {
        const r = a.type.read(words, i, conv);
        if (r && 'error' in r) return fail(`${r.error}${usageLine(command, sub, conv)}`);
        values[name] = words.slice(i).join(' ');
        given[name] = words.slice(i).join(' ');
        i = words.length;
        read = true;
        break;
      }
      const r = a.type.read(words, i, conv);
      if (!r) continue;
      if ('hint' in r) {
        hints.push(r.hint);
        continue;
      }
      const again = name in values && !a.type.list;
      // What an argument not given yet reads is its own when this one was given already ("/quiz kafka
      // 1 1 minute"), or when it reads more of the words ("/quiz kafka 1 minute": an answer time).
      const used = again || !('used' in r) ? 0 : r.used;
      if (args.some(([other, o]) => other !== name && !(other in values) && !o.type.rest && readsMore(o.type.read(words, i, conv), used))) continue;
      if (again) {
        // A second count, in range or not ("/quiz kafka 3 60"), is the same slip: the count was given.
        const text = words.slice(i, i + ('used' in r ? r.used : 1)).join(' ');
        // A number meant for a duration not given yet ("/quiz kafka 1 60"): it needs its unit.
        const timed = /^\d+$/.test(text) && args.some(([other, o]) => !(other in values) && !o.type.rest && readsMore(o.type.read([`${text}s`], 0, conv), 0));
        const unit = timed ? ` ${text} seconds are written “${text}s”.` : '';
        return fail(`“${quoteUserText(text, 30)}”: you already gave the ${name} (“${quoteUserText(given[name] ?? '', 30)}”).${unit}${usageLine(command, sub, conv)}`);
      }
      if ('error' in r) return fail(`${r.error}${usageLine(command, sub, conv)}`);
      const text = words.slice(i, i + r.used).join(' ');
      if (name in values) {
        values[name] = a.type.merge ? a.type.merge(values[name], r.value) : r.value;
        given[name] = `${given[name]} ${text}`;
      } else {
        values[name] = r.value;
        given[name] = text;
      }
      i += Math.max(1, r.used);
      read = true;
      break;
    }
    if (!read) {
      const unknown = unknownWord(command, sub, word, hints, i === 0 && couldBeSubcommand, conv);
      return fail(unknown.message, false, unknown.near === undefined ? undefined : { at: i, word: unknown.near });
    }
  }
  return complete(command, sub, values, words.length, conv, given);
}

/**
 * "I don't know “mongodb”", in the words of the argument it most likely was, with a "did you mean";
 * `near`: the word that "did you mean" offers, when it offers one.
 */
function unknownWord(command: Command, sub: Subcommand, word: string, hints: string[], firstWord: boolean, conv: Conventions): { message: string; near?: string } {
  const typed = Object.values(sub.args).filter((a) => !a.type.rest);
  const owners = typed.filter((a) => a.type.unknown);
  const quoted = quoteUserText(word, 30);
  if (hints[0]) return { message: `I don't know “${quoted}”: did you mean “${hints[0]}”?${usageLine(command, sub, conv)}`, near: hints[0] };
  // "/quiz --count 3 kafka", as a command line would take it.
  if (/^--?[a-z]/i.test(word)) return { message: `Commands here take no flags (got “${quoted}”): give the values by themselves.${usageLine(command, sub, conv)}` };
  let message: string;
  // The one argument that reads words, when the others read only numbers: "Unknown topic “abc”".
  let choices = '';
  if (owners.length === 1 && typed.every((a) => a === owners[0] || a.type.native.type === 'integer')) {
    message = owners[0]!.type.unknown!(word);
    choices = owners[0]!.type.listing ? ` ${owners[0]!.type.listing()}` : '';
  } else if (typed.length) {
    message = `I don't know “${quoted}”: it is not ${listing(typed.map((a) => a.type.what), 'or')}.`;
  } else if (firstWord) {
    const names = command.subcommands.map((s) => `\`${conv.commandName(command.name)} ${s.name}\``);
    const near = closest(word, command.subcommands.flatMap((s) => [s.name, ...(s.aliases ?? [])]));
    return { message: `“${quoted}” is not something \`${conv.commandName(command.name)}\` does.${near ? ` Did you mean \`${conv.commandName(command.name)} ${near}\`?` : ''} Use ${listing(names, 'or')}.`, near };
  } else {
    message = `\`${usage(command, sub, conv)}\` takes nothing more (got “${quoted}”).`;
  }
  const vocabulary: string[] = typed.flatMap((a) => [...(a.type.vocabulary?.() ?? [])]);
  const subs = firstWord ? command.subcommands.filter((s) => s.name && s !== sub).flatMap((s) => [s.name, ...(s.aliases ?? [])]) : [];
  const near = closest(word, [...subs, ...vocabulary]);
  const suggestion = near && subs.includes(near) ? `${conv.commandName(command.name)} ${near}` : near;
  const dym = suggestion ? ` Did you mean “${suggestion}”?` : choices;
  return { message: `${message}${dym}${usageLine(command, sub, conv)}`, near };
}

/**
 * A request in plain English that names a command after a verb: "give me a quiz about spark", "show
 * me the leaderboard", "start a quiz on kafka": the word that may name the command, and the words
 * after it. Whether it is a command is for the caller to look up. Read without the courtesy around
 * it ("could you ...", "... please"): see withoutCourtesy.
 */
const REQUEST = /^(?:give|show|start|run|get|send|make|let'?s\s+(?:do|have|play|start)|i\s+(?:want|would\s+like)|i'd\s+like)\s+(?:(?:me|us)\s+)?(?:(?:a|an|the|my|our|some|another|new)\s+)?([a-z]+)(?:\s+([\s\S]*))?$/i;

/** "stop the quiz", "end this quiz": the stop subcommand of the command named after the verb. */
const STOP_REQUEST = /^(?:stop|end|cancel|finish|quit)\s+(?:(?:the|this|that|my|our)\s+)?([a-z]+)(?:\s+now)?$/i;

/** "what topics do you know", "what can you teach me": a question about the bot, answered by /topics. */
const ABOUT_TOPICS = /^(?:so\s+|and\s+)?(?:what|which)\s+(?:(?:topics|subjects|tools|things|stuff)\s+(?:do|can)\s+you\s+(?:know|cover|teach|explain|do)(?:\s+about)?|do\s+you\s+(?:know|cover|teach)|can\s+you\s+(?:teach|explain)(?:\s+me)?)$/i;

/** "what can you do", "how does this bot work": answered by /help. */
const ABOUT_BOT = /^(?:so\s+)?(?:what\s+can\s+you\s+do|what\s+do\s+you\s+do|how\s+do\s+(?:i\s+use\s+)?(?:you|this\s+bot)(?:\s+work)?|how\s+does\s+this\s+bot\s+work)$/i;

/**
 * "how do I start a quiz", "what is the review command": a question about one of the bot's
 * commands, answered by its help; the word is a command only if the registry has it ("how do I run
 * a dag" is a question about Airflow).
 */
const ABOUT_COMMAND = /^(?:how\s+(?:do|can|should)\s+(?:i|we)\s+|how\s+to\s+)(?:start|use|run|get|take|play|do|open|see|check)\s+(?:(?:a|an|the|my|our)\s+)?([a-z]+)(?:\s+command)?$|^what\s+(?:is|does)\s+(?:the\s+)?\/?([a-z]+)\s+command(?:\s+do)?$/i;

/** "my progress", "what's my progress", "check my settings": that command, run on its own. */
const MY_COMMAND = /^(?:(?:what'?s|whats|how'?s|hows|check|see)\s+)?my\s+([a-z]+)$/i;

/** "can you ...", "please ..." before a request, and "pls", "thanks" after it ("leaderboard pls", "can you quiz me on spark"). */
const POLITE_START = /^(?:(?:can|could|would|will)\s+you\s+)?(?:(?:please|pls|plz)\s+)?/i;
const POLITE_END = /(?:[\s,]+(?:please|pls|plz|thanks|thx|ty))+[?.!]*$/i;

/**
 * The bot called by its name before what is asked ("hey backfill, what is an xcom", "@Backfill what
 * is xcom", "backfill: kafka acks"): after a greeting or an @, or followed by a comma or colon, or by a
 * question or command word. "backfill dags" asks about Airflow's backfill and keeps its word.
 */
const CALLED_BY_NAME = /^\s*(?:(?:(?:hey|hi|hello|yo|oi|ok|okay)[\s,]+@?|@)backfill\b[\s,:;!-]*|backfill\s*[,:;-]+\s*|backfill\s+(?=(?:what|what'?s|whats|how|why|when|where|which|who|can|could|is|are|do|does|explain|tell|show|quiz|help|you|u|thanks|thx|ty)\b))/i;

/** Thanks said to the bot by its name ("thanks backfill!"): the thanks stays, answered as thanks. */
const THANKED_BY_NAME = /^\s*(thanks|thank\s+you|thx|ty|cheers)[\s,]+@?backfill\b/i;

/** The line without the bot's name it opens with, when it calls the bot by it (CALLED_BY_NAME, THANKED_BY_NAME). */
export function withoutBotName(line: string): string {
  return line.replace(THANKED_BY_NAME, '$1').replace(CALLED_BY_NAME, '').trim();
}

/** A chat line without the courtesy around a request: what is left may name a command. */
export function withoutCourtesy(line: string): string {
  const bare = line.trim().replace(/[?.!]+$/, '').replace(POLITE_START, '').replace(POLITE_END, '').trim();
  return bare || line.trim();
}

/** The command a chat line asks to run, and with `about`, the command it must name to be one. */
export function requestedCommand(line: string): { command: string; args: string; about?: string } | undefined {
  const text = withoutCourtesy(line);
  if (ABOUT_TOPICS.test(text)) return { command: 'topics', args: '' };
  if (ABOUT_BOT.test(text)) return { command: 'help', args: '' };
  const about = ABOUT_COMMAND.exec(text);
  if (about) {
    const name = (about[1] ?? about[2]!).toLowerCase();
    return { command: 'help', args: name, about: name };
  }
  const mine = MY_COMMAND.exec(text);
  if (mine) return { command: mine[1]!.toLowerCase(), args: '' };
  const stop = STOP_REQUEST.exec(text);
  if (stop) return { command: stop[1]!.toLowerCase(), args: 'stop' };
  const m = REQUEST.exec(text);
  return m ? { command: m[1]!.toLowerCase(), args: (m[2] ?? '').trim() } : undefined;
}

/**
 * Reads typed option values (Discord): each through its argument's type, so "kafka spark" is two
 * topics and 60 is sixty seconds, with the same errors as typed words.
 */
export function parseNative(command: Command, native: NativeArgs, conv: Conventions): Parsed {
  const sub = native.subcommand ? findSubcommand(command, native.subcommand) : command.subcommands.find((s) => s.name === (command.defaultSubcommand ?? ''));
  if (!sub) return fail(`\`${conv.commandName(command.name)}\` has no “${quoteUserText(native.subcommand ?? '', 30)}”.`);
  const values: Record<string, unknown> = {};
  const stale = Object.keys(native.values).filter((name) => !(name in sub.args));
  if (stale.length) return fail(`This command has changed since it was registered here (it has no “${quoteUserText(stale[0]!, 30)}” any more): ask an admin to run \`backfill discord deploy\` again.`);
  let given = 0;
  for (const [name, a] of Object.entries(sub.args)) {
    const raw = native.values[name];
    if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) continue;
    given++;
    const r = a.type.fromNative ? a.type.fromNative(raw) : readAll(a, String(raw));
    if (!r) {
      const near = closest(String(raw), [...(a.type.vocabulary?.() ?? [])]);
      return fail(`${name}: “${quoteUserText(String(raw), 40)}” is not ${a.type.what}.${near ? ` Did you mean “${near}”?` : ''}${usageLine(command, sub, conv)}`);
    }
    if ('hint' in r) return fail(`${name}: “${quoteUserText(String(raw), 40)}” is not ${a.type.what}. Did you mean “${r.hint}”?`);
    if ('error' in r) return fail(`${r.error}${usageLine(command, sub, conv)}`);
    values[name] = r.value;
  }
  return complete(command, sub, values, given, conv);
}

/** All the words of one option's text, read as that argument (a list may take several). */
function readAll(a: Arg<unknown>, text: string) {
  const words = text.trim().split(/\s+/).filter(Boolean);
  let value: unknown;
  let i = 0;
  while (i < words.length) {
    const r = a.type.read(words, i);
    if (!r && i > 0) {
      const near = closest(words[i]!, [...(a.type.vocabulary?.() ?? [])]);
      return { error: `“${quoteUserText(words[i]!, 30)}” is not ${a.type.what}.${near ? ` Did you mean “${near}”?` : ''}` };
    }
    if (!r || !('value' in r)) return r;
    if (i > 0 && !a.type.list) return { error: `“${quoteUserText(text, 40)}” is more than one ${a.type.placeholder}.` };
    value = i > 0 && a.type.merge ? a.type.merge(value, r.value) : r.value;
    i += Math.max(1, r.used);
  }
  return { value, used: words.length };
}
