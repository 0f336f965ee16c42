import { arg, defineCommand, type Command } from '../../core/command.js';
import { buttons, context, fields, reply, text, truncate, type Block, type Reply } from '../../core/reply.js';
import { explainButton, randomButton } from '../buttons.js';
import { catalogOf, type CatalogEntry } from '../catalog.js';
import type { Knowledge } from '../knowledge.js';
import { topicsArg } from './random.js';

const count = (n: number) => `${n} concept${n === 1 ? '' : 's'}`;

/** A subtopic's name, with the word that names it in a command when the name itself does not ("XComs, variables and connections (`xcom`)"). */
function subtopicLabel(knowledge: Knowledge, sub: CatalogEntry): string {
  const names = knowledge.kb.topics.find((t) => t.id === sub.topic)?.subtopics.find((s) => s.id === sub.id)?.names ?? [];
  return names.length === 0 || names.includes(sub.name.toLowerCase()) ? sub.name : `${sub.name} (\`${names[0]}\`)`;
}

/** Every topic, how many concepts each has, and its subtopics. */
function overview(knowledge: Knowledge): Reply {
  const catalog = catalogOf(knowledge.kb);
  return reply(
    [
      fields(
        knowledge.kb.topics.map((t) => {
          const subs = catalog.subtopicsOf(t.id);
          const entry = catalog.get(t.id)!;
          return { label: t.name, value: `${count(entry.concepts.length)} · ${t.description}${subs.length ? `\nSubtopics: ${subs.map((s) => subtopicLabel(knowledge, s)).join(', ')}` : ''}` };
        }),
      ),
      context('Try `/topics kafka`, `/random hive`, `/explain <concept>` or `/quiz spark sql`.'),
      buttons(knowledge.kb.topics.slice(0, 25).map((t) => ({ action: randomButton.action(t.id), label: truncate(`Random: ${t.name}`, 60) }))),
    ],
    { title: 'Topics', ephemeral: true },
  );
}

/** One topic or subtopic: its concepts, by subtopic for a topic. */
function detail(knowledge: Knowledge, entries: CatalogEntry[]): Reply {
  const catalog = catalogOf(knowledge.kb);
  const blocks: Block[] = [];
  const randoms: CatalogEntry[] = [];
  for (const entry of entries) {
    const subs = entry.kind === 'topic' ? catalog.subtopicsOf(entry.id) : [];
    const heading = entry.kind === 'topic' ? `**${entry.name}**: ${count(entry.concepts.length)}` : `**${entry.name}** (part of ${catalog.get(entry.topic)?.name ?? entry.topic}): ${count(entry.concepts.length)}`;
    blocks.push(text(heading));
    if (subs.length) {
      const grouped = new Set(subs.flatMap((s) => s.concepts));
      const rest = entry.concepts.filter((c) => !grouped.has(c));
      blocks.push(
        fields([
          ...subs.map((s) => ({ label: `${subtopicLabel(knowledge, s)} (${s.concepts.length})`, value: truncate(s.concepts.map((c) => c.title).join(', '), 900) })),
          ...(rest.length ? [{ label: 'Also', value: truncate(rest.map((c) => c.title).join(', '), 900) }] : []),
        ]),
      );
    } else {
      blocks.push(text(truncate(entry.concepts.map((c) => c.title).join(', '), 2500)));
    }
    randoms.push(entry, ...subs);
  }
  const singleSmall = entries.length === 1 && entries[0]!.kind === 'subtopic' && entries[0]!.concepts.length <= 10;
  blocks.push(context('`/explain <concept>` shows one; `/quiz <topic>` asks about them; `/daily subscribe <topic>` posts one a day.'));
  blocks.push(
    buttons(
      singleSmall
        ? entries[0]!.concepts.map((c) => ({ action: explainButton.action(c.id), label: truncate(c.title, 60) }))
        : randoms.slice(0, 25).map((e) => ({ action: randomButton.action(e.id), label: truncate(`Random: ${e.name}`, 60) })),
    ),
  );
  return reply(blocks, { title: entries.map((e) => e.name).join(', '), ephemeral: true });
}

export function topicsCommand(knowledge: Knowledge): Command {
  return defineCommand({
    name: 'topics',
    summary: 'List the topics, or the subtopics and concepts of one',
    details: 'Browse the knowledge base: every topic with its subtopics, or the concepts of the topics or subtopics named',
    args: { topics: arg(topicsArg(knowledge), { description: 'Show these topics or subtopics in full, e.g. kafka, hive', defaultText: 'every topic' }) },
    examples: ['', 'kafka', 'hive'],
    async run({ args }) {
      const catalog = catalogOf(knowledge.kb);
      const ids = args.topics ? catalog.normalize(args.topics) : [];
      if (!ids.length) return overview(knowledge);
      return detail(knowledge, ids.map((id) => catalog.get(id)).filter((e): e is CatalogEntry => e !== undefined));
    },
  });
}
