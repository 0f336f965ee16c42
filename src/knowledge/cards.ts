import { buttons, context, fields, links, text, truncate, type Block, type Button, type Reply } from '../core/reply.js';
import { againButton, explainButton, knewButton, notMeantButton, reportButton, shareButton } from './buttons.js';
import { catalogOf } from './catalog.js';
import type { Concept, ConceptKey, KnowledgeBase } from './schema.js';

export { quoteUserText } from '../core/text.js';

/** The name of a topic or subtopic id ("Apache Kafka", "Hive"). */
export function topicName(kb: KnowledgeBase, topicId: string): string {
  return catalogOf(kb).get(topicId)?.name ?? kb.topics.find((t) => t.id === topicId)?.name ?? topicId;
}

function titles(kb: KnowledgeBase, ids: string[]): string {
  return ids.map((id) => kb.byId.get(id)?.title ?? id).join(', ');
}

export interface CardOptions {
  /** Private card with a button that posts it to the channel. */
  shareable?: boolean;
  /** A line above the card, such as "Concept of the day". */
  heading?: string;
  /** The question that found this card: adds "Not what I meant", which shows the next candidates. */
  askedAs?: string;
  /** "I knew this" and "Show me again", which feed the reader's review schedule (default: shown). */
  review?: boolean;
  /** The key of the card's `keys` the question wrote: what it means comes first. */
  key?: ConceptKey;
}

/** The row under every card: the reader's own schedule, and a problem for the authors. */
export function cardFeedback(conceptId: string, review = true): Button[] {
  return [
    ...(review
      ? [
          { action: knewButton.action(conceptId), label: 'I knew this' },
          { action: againButton.action(conceptId), label: 'Show me again' },
        ]
      : []),
    { action: reportButton.action(conceptId), label: 'Report a problem' },
  ];
}

/** The action of "Not what I meant": the card and (as much as fits of) the question. */
export function notMeantAction(conceptId: string, query: string): string {
  return notMeantButton.action({ conceptId, query });
}

/** The concept card: the same reply on every platform. */
export function conceptCard(kb: KnowledgeBase, concept: Concept, options: CardOptions = {}): Reply {
  const blocks: Block[] = [];
  if (options.heading) blocks.push(context(options.heading));
  blocks.push(context(`${topicName(kb, concept.topic)} · ${concept.id}`));
  if (options.key) blocks.push(text(`\`${options.key.key}\`: ${options.key.means}`));
  blocks.push(text(`**${concept.summary}**`));
  blocks.push(text(concept.body));
  if (concept.example) blocks.push(text(`**Example**\n${concept.example}`));
  const info = [];
  if (concept.prerequisites.length) info.push({ label: 'Builds on', value: titles(kb, concept.prerequisites) });
  // A card it builds on is said there once, even when the author listed it as related too.
  const related = concept.related.filter((id) => !concept.prerequisites.includes(id));
  if (related.length) info.push({ label: 'Related', value: titles(kb, related) });
  if (info.length) blocks.push(fields(info));
  blocks.push(links(concept.sources.map((s) => ({ label: s.title, url: s.url }))));
  const actions: Button[] = concept.related.slice(0, 3).map((id) => ({
    action: explainButton.action(id),
    label: truncate(kb.byId.get(id)?.title ?? id, 60),
  }));
  if (options.shareable) actions.push({ action: shareButton.action(concept.id), label: 'Share in channel', style: 'primary' });
  if (options.askedAs !== undefined) actions.push({ action: notMeantAction(concept.id, options.askedAs), label: 'Not what I meant' });
  if (actions.length) blocks.push(buttons(actions));
  blocks.push(buttons(cardFeedback(concept.id, options.review ?? true)));
  return { title: concept.title, blocks, ephemeral: options.shareable ?? false };
}
