import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Backfill } from '../app.js';
import type { Concept } from '../knowledge/schema.js';

/** How long the searches and cards of a warm-up may take (at least one round), whatever the size of the knowledge base. */
const BUDGET_MS = 200;
const SAMPLE = 24;
const FETCH_ROUNDS = 4;
const FETCH_IN_FLIGHT = 25;

export interface WarmUp {
  searches: number;
  /** Cards rendered through the explain command. */
  cards: number;
  /** Quiz questions in the bank, built now rather than on the first quiz. */
  questions: number;
  requests: number;
  ms: number;
}

/**
 * Runs the lazy paths before a platform takes requests, so that the first burst after a start is
 * not slower than the tenth: the search code (tokenizer, postings scan, scoring, confidence, typo
 * correction and its buckets, autocompletion) over questions asked the ways the cards say people
 * ask them, cards through the explain command (by id: nothing is recorded), the quiz question
 * bank (built on the first quiz otherwise, a stall of seconds at 30,000 cards), and Node's HTTP
 * client (fetch: undici and its WebAssembly parser), which posts the answers to Slack and Discord,
 * with bodies the size of a card, and the first date format. Questions come from the cards
 * themselves, so it fits any knowledge base. Returns what it did.
 *
 * What this cannot warm: V8 optimizes a function only after many calls, and a burst runs mostly
 * the platform's own code (Bolt's receiver and middleware, the adapter, fetch to response_url):
 * with V8's optimizing compiler off, every burst of the Slack benchmark costs what the first one
 * does, and it takes some 2,000 requests through that path before a burst costs its least.
 */
export async function warmUp(app: Pick<Backfill, 'knowledge' | 'bot'> & Partial<Pick<Backfill, 'quizzes'>>): Promise<WarmUp> {
  const started = performance.now();
  // The first date format loads ICU's time-zone data (20 to 35 ms): the daily schedule, set up a
  // second after a start, would otherwise pay it in the middle of the first burst.
  new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date());
  const { kb, search } = app.knowledge;
  const step = Math.max(1, Math.floor(kb.concepts.length / SAMPLE));
  const sample = kb.concepts.filter((_, i) => i % step === 0).slice(0, SAMPLE);
  const user = { id: 'warm-up', name: 'warm-up', isManager: false };
  let searches = 0;
  let cards = 0;
  let round = 0;
  let body = '';
  do {
    for (const concept of sample) {
      for (const q of questionsAbout(concept, round)) search.search(q);
      search.complete(concept.title.slice(0, Math.max(3, concept.title.length - 2)));
      searches += 5;
      // An exact id always finds its card: nothing is recorded as a miss.
      const reply = await app.bot.handle({ kind: 'command', address: 'console:warm-up', user, command: 'explain', args: concept.id });
      if (!body) body = JSON.stringify(reply);
      cards++;
    }
    round++;
  } while (performance.now() - started < BUDGET_MS);
  const questions = app.quizzes?.questionCount ?? 0;
  const requests = await warmFetch(body);
  return { searches, cards, questions, requests, ms: performance.now() - started };
}

/** Four questions about a card as people ask them: its title, one of its own phrasings, a misspelling, a longer question. */
function questionsAbout(concept: Concept, round: number): string[] {
  const asked = concept.questions.length ? concept.questions[round % concept.questions.length]! : `what is ${concept.title}`;
  return [concept.title, asked, misspelt(`${concept.topic} ${concept.title}`), `how does ${concept.title} work ${concept.summary.split(/\s+/).slice(0, 6).join(' ')}`];
}

/** fetch() to a server on loopback that answers at once, in rounds of a burst's size, each POST the size of `body`. */
async function warmFetch(body: string): Promise<number> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{"ok":true}'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let requests = 0;
  try {
    for (let round = 0; round < FETCH_ROUNDS; round++) {
      await Promise.all(
        Array.from({ length: FETCH_IN_FLIGHT }, async () => {
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body || '{"text":"warm-up"}' });
          await res.text();
          requests++;
        }),
      );
    }
  } catch {
    // Warming is best effort: a start never fails for it.
  } finally {
    server.closeAllConnections();
    server.close();
  }
  return requests;
}

/** The text with two letters of its longest word swapped: a typo to correct. */
function misspelt(text: string): string {
  const words = text.split(/\s+/);
  let at = 0;
  words.forEach((w, i) => {
    if (w.length > words[at]!.length) at = i;
  });
  const w = words[at]!;
  if (w.length >= 5) words[at] = `${w.slice(0, 2)}${w[3]}${w[2]}${w.slice(4)}`;
  return words.join(' ');
}
