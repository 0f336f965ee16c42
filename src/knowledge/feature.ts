import type { Feature } from '../core/feature.js';
import { platformOf } from '../core/incoming.js';
import { context, notice, reply, text, type Reply } from '../core/reply.js';
import { quoteUserText } from '../core/text.js';
import { explainButton, notMeantButton, randomButton, shareButton } from './buttons.js';
import { conceptCard } from './cards.js';
import { explainCommand, suggestionButtons } from './commands/explain.js';
import { randomCommand, randomConcept } from './commands/random.js';
import { topicsCommand } from './commands/topics.js';
import type { Knowledge } from './knowledge.js';
import { noMissLog, type MissLog } from './misses.js';

export interface KnowledgeFeatureOptions {
  knowledge: Knowledge;
  random: () => number;
  misses?: MissLog;
}

/** "Not what I meant": the next candidates for the question, without the card that was shown. */
async function notMeant(knowledge: Knowledge, misses: MissLog, platform: string, conceptId: string, query: string): Promise<Reply> {
  const concept = knowledge.kb.byId.get(conceptId);
  await misses.record({ query, reason: 'not-meant', conceptId: concept ? conceptId : null, topic: concept?.topic ?? null, platform });
  const result = knowledge.search.search(query, { exclude: new Set([conceptId]), maxSuggestions: 5 });
  const next = [...(result.match ? [result.match] : []), ...result.suggestions].slice(0, 5);
  if (!next.length) return notice(`Thanks, noted. I have no other card for “${quoteUserText(query)}”. Browse with \`/topics\`, or try other words.`);
  return reply([text(`Thanks, noted. Other cards for “${quoteUserText(query)}”:`), suggestionButtons(next), context('Still not it? Try other words, or browse with `/topics`.')], { ephemeral: true });
}

/**
 * The knowledge base as people use it: `/explain`, `/topics`, `/random`, and the buttons on cards
 * (a related card, share in the channel, a random card of a topic, not what I meant).
 */
export function knowledgeFeature({ knowledge, random, misses = noMissLog }: KnowledgeFeatureOptions): Feature {
  const card = (id: string, shareable: boolean, sharedBy?: string): Reply => {
    const concept = knowledge.kb.byId.get(id);
    if (!concept) return notice('That concept is no longer in the knowledge base.');
    return conceptCard(knowledge.kb, concept, { shareable, heading: sharedBy ? `Shared by ${sharedBy}` : undefined });
  };
  return {
    name: 'knowledge',
    commands: [explainCommand(knowledge, misses), topicsCommand(knowledge), randomCommand(knowledge, random)],
    buttons: [
      explainButton.handledBy(async (_req, id) => card(id, true)),
      shareButton.handledBy(async (req, id) => card(id, false, req.user.name)),
      randomButton.handledBy(async (_req, topic) => randomConcept(knowledge, random, topic ? [topic] : [])),
      notMeantButton.handledBy(async (req, { conceptId, query }) => notMeant(knowledge, misses, platformOf(req.address), conceptId, query)),
    ],
  };
}
