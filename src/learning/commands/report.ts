import { choice, text as textArg, type ArgType, type ReadResult } from '../../core/args.js';
import { arg, defineCommand, type Command } from '../../core/command.js';
import { platformOf } from '../../core/incoming.js';
import { closest, listing, quoteUserText } from '../../core/text.js';
import { reportTarget } from '../../knowledge/buttons.js';
import { conceptChoices } from '../../knowledge/commands/explain.js';
import type { Knowledge } from '../../knowledge/knowledge.js';
import { questionBank } from '../../quiz/questions.js';
import { REPORT_KINDS, type ReportKind } from '../../store/types.js';
import { reportThanks } from '../messages.js';
import { REPORT_NOTE_MAX, type LearningService } from '../service.js';

const TARGET = /^([a-z0-9]+\/[a-z0-9-]+)(#(?:\d{1,3}|which))?$/i;

const KIND = choice<ReportKind>(REPORT_KINDS.map((value) => ({ value, words: value === 'outdated' ? ['old', 'stale'] : value === 'wrong' ? ['incorrect', 'error'] : ['confusing'] })), 'the kind of problem');

/** A concept id as cards show it (`kafka/acks`), or a question of it as reveals carry it (`kafka/acks#2`). */
function reportedThing(knowledge: Knowledge): ArgType<string> {
  const ids = () => knowledge.kb.concepts.map((c) => c.id);
  return {
    placeholder: 'concept',
    what: 'a concept id such as kafka/acks',
    read(words, at) {
      const m = TARGET.exec(words[at]!);
      if (!m) {
        // Past the first word, or a kind ("wrong"), it is the kind or the note: "kafka/acks wrong the default changed".
        if (at > 0 || KIND.read(words, at)) return undefined;
        // A concept's name instead of its id ("kafka acks wrong ..."): the id of the card its words, up to the kind, find.
        let end = at + 1;
        while (end < words.length && !KIND.read(words, end)) end++;
        const name = words.slice(at, end).join(' ');
        const found = knowledge.search.search(name);
        const hit = found.match ?? found.suggestions[0];
        return hit ? { error: `“${quoteUserText(name, 60)}” is not a concept id. Did you mean ${hit.concept.id} (${hit.concept.title})? The id is under the card's title.` } : undefined;
      }
      const id = m[1]!.toLowerCase();
      if (knowledge.kb.byId.has(id)) {
        const key = m[2] ? `${id}${m[2].toLowerCase()}` : id;
        return key === id ? { value: id, used: 1 } : questionOf(knowledge, id, key);
      }
      const near = closest(id, ids());
      return { error: `There is no concept “${quoteUserText(words[at]!, 60)}”.${near ? ` Did you mean “${near}”?` : ''} The id is under the card's title.` };
    },
    complete: (partial) => conceptChoices(knowledge, partial),
    native: { type: 'string', autocomplete: true },
  };
}

/** A question key of the concept `id` that its quiz questions have, or why not with the ones it has. */
function questionOf(knowledge: Knowledge, id: string, key: string): ReadResult<string> {
  const keys = questionBank(knowledge.kb, knowledge.search).filter((q) => q.concept.id === id).map((q) => q.key);
  if (keys.includes(key)) return { value: key, used: 1 };
  // #which is the "which concept is this?" question every card gets, besides its own numbered ones.
  const has = keys.length ? `${id} has ${listing(keys.map((k) => k.slice(id.length)).map((k) => (k === '#which' ? '#which (“what does this describe?”)' : k)))}` : `${id} has no quiz questions`;
  return { error: `There is no question “${quoteUserText(key, 60)}”: ${has}. To report the card itself, give ${id} alone.` };
}

export function reportCommand(knowledge: Knowledge, learning: LearningService): Command {
  return defineCommand({
    name: 'report',
    summary: 'Report a problem with a card or a quiz question to its authors, with a note',
    details:
      'Report a card or a quiz question as wrong, unclear or out of date, with a note for the authors (`backfill kb reports` lists them). Every card and every revealed question also has a **Report a problem** button. No name or user id is kept',
    args: {
      concept: arg(reportedThing(knowledge), { description: 'The concept id under the card title (kafka/acks), or a question (kafka/acks#1)', required: true }),
      kind: arg(KIND, { description: 'What is wrong: wrong, unclear or outdated', required: true }),
      note: arg(textArg({ placeholder: 'note', max: REPORT_NOTE_MAX }), { description: `What you noticed, for the authors (at most ${REPORT_NOTE_MAX} characters)` }),
    },
    examples: ['kafka/acks outdated acks=all is the default since Kafka 3.0', 'kafka/acks#1 unclear'],
    async run({ args, address }) {
      const { conceptId, questionKey } = reportTarget(args.concept);
      await learning.report({ conceptId, questionKey, kind: args.kind, note: args.note ?? null, platform: platformOf(address) });
      return reportThanks(args.kind, knowledge.kb.byId.get(conceptId)?.title ?? conceptId, questionKey !== null);
    },
  });
}
