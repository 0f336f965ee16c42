import { z } from 'zod';
import { idPattern, LIMITS, slugPattern } from './limits.js';

export { idPattern, LIMITS, slugPattern };

/** "must be at most 280 characters; it has 312": the author sees how much to cut (or to add). */
const counted = (rule: string) => ({ error: (issue: { input?: unknown }) => `${rule}${typeof issue.input === 'string' ? `; it has ${issue.input.length}` : ''}` });
const atMost = (max: number) => counted(`must be at most ${max} characters`);
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, atMost(max));

const conceptId = z.string().regex(idPattern, { error: (issue) => `must look like topic/slug (lowercase, kebab-case)${typeof issue.input === 'string' ? `; it is “${issue.input}”` : ''}` });

/** A tool named in a topic's releases and a card's review ("kafka", "hbase"), and its version. */
const toolName = z.string().regex(/^[a-z0-9-]+$/, 'must name a tool in lowercase');
const version = z.string({ error: 'must be a version in quotes, like "4.1" (unquoted, 4.10 reads as the number 4.1)' }).regex(/^\d+(\.\d+)*$/, 'must be a version like 4.1 or 3.1.2');

/**
 * A part of a topic that commands can name on its own (`/quiz hive`, `/daily subscribe kafka
 * streams`): its concepts are named by slug, `hive*` matching every slug that starts with "hive".
 */
export const SubtopicSchema = z.strictObject({
  id: z.string().regex(slugPattern, 'must be lowercase kebab-case'),
  name: text(60),
  /** Words and phrases that name it in a command: "hive", "hiveql", "kafka streams". */
  names: z.array(z.string().regex(/^[a-z0-9]+( [a-z0-9]+){0,2}$/, 'must be one to three lowercase words')).min(1),
  concepts: z.array(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*(?:-?\*)?$/, 'must be a slug of the topic, or a slug prefix ending in *')).min(1),
});
export type Subtopic = z.infer<typeof SubtopicSchema>;

export const TopicSchema = z.strictObject({
  id: z.string().regex(slugPattern, 'must be lowercase kebab-case'),
  name: text(60),
  description: text(200),
  keywords: z.array(z.string().regex(/^[a-z0-9]+$/, 'must be one lowercase word')).min(1),
  hosts: z.array(z.string().regex(/^[a-z0-9.-]+$/, 'must be a host name')).min(1),
  /** The current release of each tool of the topic; a card reviewed against an older major release is stale. */
  releases: z.record(toolName, version).default({}),
  /** Parts of the topic that commands can name on their own. */
  subtopics: z.array(SubtopicSchema).default([]),
});
export const TopicsFileSchema = z.array(TopicSchema).min(1, 'must list at least one topic');
export type Topic = z.infer<typeof TopicSchema>;

export const SourceSchema = z.strictObject({
  title: text(120),
  url: z.url({ protocol: /^https$/, error: 'must be an https URL' }),
});
export type Source = z.infer<typeof SourceSchema>;

export const QuizItemSchema = z.strictObject({
  question: text(LIMITS.question),
  answer: text(LIMITS.option),
  wrong: z.array(text(LIMITS.option)).length(3, { error: (issue) => `must list exactly three wrong options (${Array.isArray(issue.input) ? issue.input.length : 'not'} here)` }),
  // Shown on one line under the reveal, on every platform.
  why: text(LIMITS.why).refine((why) => !why.includes('\n'), 'must be one line (a YAML block like `|` keeps line breaks: write it on one line)'),
});
export type QuizItem = z.infer<typeof QuizItemSchema>;

/** Today as YYYY-MM-DD, a day ahead of UTC: a review written in the evening east of Greenwich is not in the future. */
const latestReviewDate = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/** When a card was last checked against the official documentation, and for which releases. */
export const ReviewSchema = z.strictObject({
  // A date ahead (2027 typed for 2026) would keep the card out of `kb stale` for as long.
  date: z.iso
    .date({ error: 'must be a date like 2026-11-30' })
    .refine((date) => date <= latestReviewDate(), {
      error: (issue) => `${String(issue.input)} is in the future (today is ${new Date().toISOString().slice(0, 10)}): the day the card was last checked against the docs`,
      // Not said of what is no date at all (2026-13-45): one problem, the first.
      when: (payload) => payload.issues.length === 0,
    }),
  versions: z
    .record(toolName, version)
    .refine((v) => Object.keys(v).length > 0, 'must name at least one tool and its version'),
});
export type Review = z.infer<typeof ReviewSchema>;

/** The YAML front matter of a concept file. */
export const FrontMatterSchema = z.strictObject({
  id: conceptId,
  title: text(LIMITS.title),
  aliases: z.array(text(LIMITS.alias)).default([]),
  summary: text(LIMITS.summary),
  example: z.string().trim().min(1).max(LIMITS.example, atMost(LIMITS.example)).optional(),
  // Any text: a link that names no card ("join-strategies" without its topic) is checked with the
  // others (check.ts), so a start leaves out the link, not the card.
  related: z.array(z.string().trim().min(1, 'must not be empty')).default([]),
  prerequisites: z.array(z.string().trim().min(1, 'must not be empty')).default([]),
  sources: z.array(SourceSchema).min(1, 'must cite at least one official documentation page'),
  quiz: z.array(QuizItemSchema).default([]),
  /** How people ask for this concept in their own words; search reads them like names. */
  questions: z.array(text(LIMITS.askedAs)).max(LIMITS.askedAsCount, `must list at most ${LIMITS.askedAsCount} questions`).default([]),
  /** Error messages and symptoms that lead a person to this concept. */
  errors: z.array(text(LIMITS.error)).max(LIMITS.errorCount, `must list at most ${LIMITS.errorCount} errors or symptoms`).default([]),
  /**
   * Config keys, flags, commands and API names of the concept that its text does not explain, each
   * with what it means: a question that writes one finds the card, which then says what it means.
   */
  keys: z
    .array(
      z.strictObject({
        key: z
          .string()
          .trim()
          .min(1, 'must not be empty')
          .max(LIMITS.key, atMost(LIMITS.key))
          .regex(/^(?:\S+(?: \S+){0,3})?$/, 'must be a key, flag, command or name as the tool writes it (at most four words)')
          .refine((key) => !/^--?[a-z0-9]$/i.test(key), 'a one-letter flag is no name alone: write it with its command (hdfs dfs -count -q)'),
        means: text(LIMITS.keyMeans).refine((means) => !means.includes('\n'), 'must be one line'),
      }),
    )
    .max(LIMITS.keyCount, `must list at most ${LIMITS.keyCount} keys`)
    .refine((keys) => new Set(keys.map((k) => k.key.toLowerCase())).size === keys.length, 'must not list a key twice')
    .default([]),
  reviewed: ReviewSchema.optional(),
});

export const BodySchema = z
  .string()
  .trim()
  .min(LIMITS.bodyMin, counted(`must be at least ${LIMITS.bodyMin} characters`))
  .max(LIMITS.body, atMost(LIMITS.body));

export interface ConceptKey {
  key: string;
  means: string;
}

export interface Concept {
  id: string;
  topic: string;
  slug: string;
  title: string;
  aliases: string[];
  summary: string;
  body: string;
  example?: string;
  related: string[];
  prerequisites: string[];
  sources: Source[];
  quiz: QuizItem[];
  questions: string[];
  errors: string[];
  keys: ConceptKey[];
  reviewed?: Review;
  /** Path of the file it came from, relative to the knowledge directory. */
  file: string;
}

export interface KnowledgeBase {
  topics: Topic[];
  concepts: Concept[];
  byId: Map<string, Concept>;
}
