import { arg, defineCommand, type Command } from '../../core/command.js';
import { text as textArg, type Choice } from '../../core/args.js';
import { platformOf } from '../../core/incoming.js';
import { buttons, context, reply, text, truncate, type Reply } from '../../core/reply.js';
import { quoteUserText } from '../../core/text.js';
import type { SearchHit, SearchResult } from '../../search/engine.js';
import { isStopword, rawWords, titleHolds, tokenizeQuery } from '../../search/tokenize.js';
import { explainButton } from '../buttons.js';
import { nearCardIds } from '../card-ids.js';
import { conceptCard } from '../cards.js';
import type { Knowledge } from '../knowledge.js';
import { noMissLog, type MissLog } from '../misses.js';

export function suggestionButtons(hits: SearchHit[]) {
  return buttons(hits.map((s) => ({ action: explainButton.action(s.concept.id), label: truncate(s.concept.title, 60) })));
}

/** Concepts for a partly typed question: the title and topic shown, the concept id filled in (an exact match for search). */
export function conceptChoices(knowledge: Knowledge, partial: string): Choice[] {
  return knowledge.search
    .complete(partial, 25)
    .filter((c) => c.id.length <= 100)
    .map((c) => ({ label: truncate(`${c.title} · ${c.topic}`, 100), value: c.id }));
}

/**
 * What `/explain` finds for a question: search's card, else its suggestions, except for a query
 * written as a card id that no card has (`kafka/ack`): the ids spelt nearly as it, or none.
 */
export function explainSearch(knowledge: Knowledge, query: string): SearchResult {
  const result = knowledge.search.search(query);
  if (result.match) return result;
  const nearIds = nearCardIds(knowledge.kb, query);
  return nearIds ? { ...result, suggestions: nearIds } : result;
}

/** Said of tools the knowledge base lists as not covered (knowledge/not-covered.yaml). */
export function notCoveredLine(knowledge: Knowledge, tools: readonly string[]): string {
  return `I have no card about ${tools.map((t) => `“${quoteUserText(t, 40)}”`).join(' or ')}: I cover ${knowledge.kb.topics.map((t) => t.name).join(', ')}.`;
}

/** The card a question finds, or "I have no card" with the closest ones; a miss is recorded for authors. */
export async function explain(knowledge: Knowledge, misses: MissLog, query: string, address: string): Promise<Reply> {
  const { kb } = knowledge;
  const result = explainSearch(knowledge, query);
  if (result.match) return conceptCard(kb, result.match.concept, { shareable: true, askedAs: query, key: result.key });
  if (isSmallTalk(query)) {
    // "hey", "thanks!", "???": nothing was asked, so nothing is missing from the knowledge base.
    return reply([text('Ask me about a data-engineering concept in your own words, like “kafka acks” or “why does my spark job shuffle so much”.'), context('Browse what I know with `/topics`.')], { ephemeral: true });
  }
  const named = namedBy(query, result.suggestions);
  // Several cards called that are no gap in the knowledge base: the question only needs its tool.
  if (named.length < 2) await misses.record({ query, reason: 'no-card', conceptId: null, topic: result.topics?.[0] ?? null, platform: platformOf(address) });
  if (named.length >= 2) {
    // "what is a dag": Airflow's and dbt's; asking which is the answer, not "no card". Only the
    // cards called that are offered: the next suggestion ("terraform plan") is not.
    // Cards of several tools ("what is a dag"): naming the tool picks one; of one tool ("exactly once kafka"): pick.
    const tools = new Set(named.map((s) => s.concept.topic)).size > 1;
    return reply([text('Several cards are about that. Which do you mean?'), suggestionButtons(named), ...(tools ? [context('Name the tool in the question to go straight to its card.')] : [])], { ephemeral: true });
  }
  if (result.sides?.length === 2 && !result.notCovered?.length) {
    // "rdd vs dataframe": no card compares them, but each has its own.
    return reply([text('I have no card that compares those. Here is one for each:'), suggestionButtons(result.sides), context('Browse what I know with `/topics`, or try other words.')], { ephemeral: true });
  }
  const one = result.suggestions.length === 1;
  // Close cards, none clearly the answer: the reader picks, and is not told there is nothing.
  const blocks = result.notCovered?.length
    ? [text(notCoveredLine(knowledge, result.notCovered)), ...(result.suggestions.length ? [text(one ? 'Did you mean this one?' : 'Did you mean one of these?')] : [])]
    : result.suggestions.length
      ? [text(`I'm not sure which card answers “${quoteUserText(query)}”. ${one ? 'Is it this one?' : 'Is it one of these?'}`)]
      : [text(`I have no card that matches “${quoteUserText(query)}”.`)];
  if (result.suggestions.length) blocks.push(suggestionButtons(result.suggestions));
  // "and how do I fix it?" after a card: each message is read on its own. A message with words of
  // its own says what "it" is ("consumers keep rebalancing, how do I stop it").
  if (!result.topics?.length && REFERS_BACK.test(query) && rawWords(query).filter((w) => !isStopword(w)).length <= REFERS_BACK_WORDS) blocks.push(context('I read each message on its own: say which tool or concept you mean, e.g. “how do I fix data skew in spark”.'));
  blocks.push(context('Browse what I know with `/topics`, or try other words.'));
  return reply(blocks, { ephemeral: true });
}

/** A word that points back at something said before ("it", "that one"). */
const REFERS_BACK = /\b(it|that|this|they|them|those|these)\b/i;
/** The most words of its own (not stopwords) a message may have for such a word to point back at an earlier one. */
const REFERS_BACK_WORDS = 2;

/** The suggested cards each called by every word of the question ("partition": Kafka's and Hive's). */
function namedBy(query: string, suggestions: readonly SearchHit[]): SearchHit[] {
  const words = tokenizeQuery(query);
  if (words.length === 0) return [];
  return suggestions.filter((s) => titleHolds(s.concept.title, words));
}

/** A line with no word that could name a concept: greetings, thanks, chat fillers, punctuation, a stray letter ("B" after a quiz closed). */
function isSmallTalk(query: string): boolean {
  // Letters of another script are a question this knowledge base cannot read yet: a gap, not small talk.
  return tokenizeQuery(query).length === 0 && rawWords(query).every((w) => isStopword(w) || /^[a-z]$/.test(w)) && !/\p{L}/u.test(query.replace(/[A-Za-z]/g, ''));
}

export function explainCommand(knowledge: Knowledge, misses: MissLog = noMissLog): Command {
  return defineCommand({
    name: 'explain',
    aliases: ['what', 'define'],
    aliasesAreWords: true,
    answersFreeText: true,
    summary: 'Explain a data-engineering concept in a short card',
    details:
      'A concept card, privately, with buttons to share it in the channel or say it was not what you meant (the next candidates); "did you mean" buttons when nothing matches. In the console, a mention or a DM, any line that does not read as a command is a question',
    args: {
      query: arg(textArg({ placeholder: 'concept or question', complete: (partial) => conceptChoices(knowledge, partial) }), { description: 'A concept or a question, e.g. kafka acks', required: true }),
    },
    examples: ['kafka acks', 'what is an xcom?'],
    run: ({ args, address }) => explain(knowledge, misses, args.query.trim(), address),
  });
}
