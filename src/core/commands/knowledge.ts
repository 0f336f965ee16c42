import type { SearchHit } from '../../search/engine.js';
import { conceptCard, EXPLAIN_ACTION, NOT_MEANT_ACTION, quoteUserText, SHARE_ACTION } from '../cards.js';
import { platformOf } from '../incoming.js';
import type { Command, ActionHandler } from '../registry.js';
import { buttons, context, fields, notice, reply, text, truncate, type Reply } from '../reply.js';
import type { Knowledge } from '../services.js';

/** Where questions without an answer go, so authors can see which cards or phrasings to add. */
export interface MissLog {
  record(miss: { query: string; reason: 'no-card' | 'not-meant'; conceptId: string | null; topic: string | null; platform: string }): Promise<void>;
}

export const noMissLog: MissLog = { record: async () => {} };

function suggestionButtons(hits: SearchHit[]) {
  return buttons(hits.map((s) => ({ action: `${EXPLAIN_ACTION}:${s.concept.id}`, label: truncate(s.concept.title, 60) })));
}

export function explainCommand({ kb, search }: Knowledge, misses: MissLog = noMissLog): Command {
  return {
    name: 'explain',
    aliases: ['what', 'define'],
    summary: 'Explain a data-engineering concept in a short card',
    usage: 'explain <concept or question>, e.g. explain kafka acks',
    options: [{ name: 'query', description: 'A concept or a question, e.g. kafka acks', type: 'string', required: true, autocomplete: true, rest: true }],
    async run(request) {
      const query = request.args.trim();
      if (!query) return notice('Usage: `/explain <concept or question>`, for example `/explain kafka acks` or `/explain what is an xcom?`');
      const result = search.search(query);
      if (result.match) return conceptCard(kb, result.match.concept, { shareable: true, askedAs: query });
      await misses.record({ query, reason: 'no-card', conceptId: null, topic: result.topics?.[0] ?? null, platform: platformOf(request.address) });
      const quoted = quoteUserText(query);
      const covered = kb.topics.map((t) => t.name).join(', ');
      const blocks = result.notCovered?.length
        ? [text(`I have no card about ${result.notCovered.map((t) => `“${quoteUserText(t, 40)}”`).join(' or ')}: I cover ${covered}.`)]
        : [text(`I have no card that matches “${quoted}”.`)];
      if (result.suggestions.length) {
        blocks.push(text('Did you mean one of these?'));
        blocks.push(suggestionButtons(result.suggestions));
      }
      blocks.push(context('Browse what I know with `/topics`, or try other words.'));
      return reply(blocks, { ephemeral: true });
    },
  };
}

export function topicsCommand({ kb }: Knowledge): Command {
  return {
    name: 'topics',
    aliases: [],
    summary: 'List the topics and how many concepts each has',
    usage: 'topics',
    options: [],
    accepts: (args) => !args.trim(),
    async run() {
      const counts = new Map<string, number>();
      for (const c of kb.concepts) counts.set(c.topic, (counts.get(c.topic) ?? 0) + 1);
      return reply(
        [
          fields(kb.topics.map((t) => ({ label: t.name, value: `${counts.get(t.id) ?? 0} concepts · ${t.description}` }))),
          context('Try `/random kafka`, `/explain <concept>` or `/quiz spark`.'),
          buttons(kb.topics.slice(0, 25).map((t) => ({ action: `random:${t.id}`, label: `Random ${t.id}` }))),
        ],
        { title: 'Topics', ephemeral: true },
      );
    },
  };
}

/** A random concept, from one topic or all. */
function randomConcept({ kb }: Knowledge, random: () => number, topicArg: string): Reply {
  const topic = topicArg.trim().toLowerCase();
  if (topic && !kb.topics.some((t) => t.id === topic)) {
    return notice(`Unknown topic “${quoteUserText(topic, 40)}”. Topics: ${kb.topics.map((t) => t.id).join(', ')}.`);
  }
  const pool = topic ? kb.concepts.filter((c) => c.topic === topic) : kb.concepts;
  const concept = pool[Math.floor(random() * pool.length)];
  if (!concept) return notice('The knowledge base is empty.');
  return conceptCard(kb, concept, { shareable: true });
}

export function randomCommand(knowledge: Knowledge, random: () => number): Command {
  return {
    name: 'random',
    aliases: [],
    summary: 'Show a random concept, from one topic or all',
    usage: 'random [topic]',
    options: [{ name: 'topic', description: 'Only concepts of this topic', type: 'string', choices: knowledge.kb.topics.map((t) => t.id) }],
    accepts: (args) => !args.trim() || knowledge.kb.topics.some((t) => t.id === args.trim().toLowerCase()),
    run: async (request) => randomConcept(knowledge, random, request.args),
  };
}

/** "Not what I meant": the next candidates for the question, without the card that was shown. */
async function notMeant(knowledge: Knowledge, misses: MissLog, platform: string, argument: string): Promise<Reply> {
  const [conceptId = '', ...rest] = argument.split(':');
  const query = rest.join(':');
  const concept = knowledge.kb.byId.get(conceptId);
  await misses.record({ query, reason: 'not-meant', conceptId: concept ? conceptId : null, topic: concept?.topic ?? null, platform });
  const result = knowledge.search.search(query, { exclude: new Set([conceptId]), maxSuggestions: 5 });
  const next = [...(result.match ? [result.match] : []), ...result.suggestions].slice(0, 5);
  if (!next.length) return notice(`Thanks, noted. I have no other card for “${quoteUserText(query)}”. Browse with \`/topics\`, or try other words.`);
  return reply([text(`Thanks, noted. Other cards for “${quoteUserText(query)}”:`), suggestionButtons(next), context('Still not it? Try other words, or browse with `/topics`.')], { ephemeral: true });
}

/** Buttons on cards: open a related card, share a card in the channel, a random card of a topic, not what I meant. */
export function knowledgeActions(knowledge: Knowledge, random: () => number, misses: MissLog = noMissLog): ActionHandler[] {
  const card = (id: string, shareable: boolean, sharedBy?: string): Reply => {
    const concept = knowledge.kb.byId.get(id);
    if (!concept) return notice('That concept is no longer in the knowledge base.');
    const r = conceptCard(knowledge.kb, concept, { shareable, heading: sharedBy ? `Shared by ${sharedBy}` : undefined });
    return r;
  };
  return [
    { prefix: EXPLAIN_ACTION, run: async (_req, id) => card(id, true) },
    { prefix: SHARE_ACTION, run: async (req, id) => card(id, false, req.user.name) },
    { prefix: 'random', run: async (_req, topic) => randomConcept(knowledge, random, topic) },
    { prefix: NOT_MEANT_ACTION, run: async (req, argument) => notMeant(knowledge, misses, platformOf(req.address), argument) },
  ];
}
