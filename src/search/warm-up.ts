import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Backfill } from '../app.js';

/** How long a warm-up may take at most, whatever the size of the knowledge base. */
const BUDGET_MS = 200;
const ROUNDS = 4;

/**
 * Runs the lazy paths once before a platform takes requests, so that the first burst after a start
 * is not slower than the tenth: the search code (tokenizer, postings scan, scoring, confidence,
 * typo correction, autocompletion) is compiled by the time the first person asks, one card goes
 * through the explain command, and Node's HTTP client (fetch: undici and its WebAssembly parser,
 * loaded on first use), which posts the answers to Slack and Discord, has run. Questions are made
 * from the cards themselves, so it fits any knowledge base; every one finds a card, so no miss is
 * recorded. Returns what it did.
 */
export async function warmUp(app: Pick<Backfill, 'knowledge' | 'bot'>): Promise<{ searches: number; requests: number; ms: number }> {
  const started = performance.now();
  const { kb, search } = app.knowledge;
  const step = Math.max(1, Math.floor(kb.concepts.length / 24));
  const sample = kb.concepts.filter((_, i) => i % step === 0).slice(0, 24);
  let searches = 0;
  for (let round = 0; round < ROUNDS && performance.now() - started < BUDGET_MS; round++) {
    for (const concept of sample) {
      search.search(concept.title);
      search.search(`how does ${concept.title} work ${concept.summary.split(/\s+/).slice(0, 6).join(' ')}`);
      search.search(misspelt(`${concept.topic} ${concept.title}`));
      search.complete(concept.title.slice(0, Math.max(3, concept.title.length - 2)));
      searches += 4;
    }
  }
  const first = sample[0];
  if (first) {
    // An exact id always finds its card: nothing is recorded as a miss.
    await app.bot.handle({ kind: 'command', address: 'console:warm-up', user: { id: 'warm-up', name: 'warm-up', isManager: false }, command: 'explain', args: first.id });
  }
  const requests = await warmFetch();
  return { searches, requests, ms: performance.now() - started };
}

const FETCH_ROUNDS = 3;
const FETCH_IN_FLIGHT = 25;

/** fetch() to a server on loopback that answers at once, as many times as a small burst. */
async function warmFetch(): Promise<number> {
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
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'warm-up', blocks: [] }) });
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
