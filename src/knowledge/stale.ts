import type { KnowledgeBase, Review, Topic } from './schema.js';
import type { Problem } from './load.js';

/**
 * Keeping cards current: each card records the day it was last checked against the official
 * documentation and the release of each tool it was checked against (`reviewed:`); topics.yaml
 * records each tool's current release (`releases:`). A card needs another review when it has
 * none, when its review is more than a year old, or when a tool it covers has had a new major
 * release since (for 0.x tools, a new minor release: Pig 0.18 to 0.19 is a major step).
 */

/** One reason a card needs a review; `message` says it in words. */
export type StaleReason =
  | { kind: 'unreviewed'; message: string }
  | { kind: 'age'; message: string; reviewed: string }
  | { kind: 'release'; message: string; tool: string; reviewed: string; current: string };

export interface StaleCard {
  id: string;
  file: string;
  title: string;
  reviewed: Review | null;
  reasons: StaleReason[];
}

export interface StaleReport {
  /** The day the ages were measured from, YYYY-MM-DD. */
  today: string;
  /** How many cards were looked at. */
  checked: number;
  stale: StaleCard[];
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a string is a real calendar day written YYYY-MM-DD. */
export function isIsoDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** A local calendar day as YYYY-MM-DD. */
export function localDay(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The same day one year earlier (29 February becomes 28 February). */
export function oneYearBefore(day: string): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastOfMonth = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${String(y - 1).padStart(4, '0')}-${pad(m)}-${pad(Math.min(d, lastOfMonth))}`;
}

function parts(v: string): number[] {
  return v.split('.').map(Number);
}

/** Compares two versions part by part (4.10 is newer than 4.9; 4 equals 4.0). */
export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** The part of a version that counts as major: the major number, or major.minor for 0.x. */
export function majorOf(v: string): string {
  const [major = 0, minor = 0] = parts(v);
  return major === 0 ? `0.${minor}` : String(major);
}

/** Whether `current` is a new major release compared with `reviewed` (for 0.x: a new minor). */
export function isNewMajor(reviewed: string, current: string): boolean {
  return compareVersions(majorOf(current), majorOf(reviewed)) > 0;
}

/** Why a card needs a review as of `today` (YYYY-MM-DD); empty when it does not. */
export function staleReasons(reviewed: Review | undefined, topic: Topic | undefined, today: string): StaleReason[] {
  if (!reviewed) return [{ kind: 'unreviewed', message: 'never reviewed' }];
  const reasons: StaleReason[] = [];
  if (reviewed.date < oneYearBefore(today)) {
    reasons.push({ kind: 'age', message: `reviewed ${reviewed.date}, more than a year ago`, reviewed: reviewed.date });
  }
  for (const [tool, version] of Object.entries(reviewed.versions)) {
    const current = topic?.releases[tool];
    if (current && isNewMajor(version, current)) {
      reasons.push({ kind: 'release', message: `reviewed against ${tool} ${version}; ${tool} ${current} is out`, tool, reviewed: version, current });
    }
  }
  return reasons;
}

/** Every card that needs a review as of `today` (YYYY-MM-DD), in the knowledge base's order. */
export function staleCards(kb: KnowledgeBase, today: string): StaleReport {
  const topics = new Map(kb.topics.map((t) => [t.id, t]));
  const stale: StaleCard[] = [];
  for (const c of kb.concepts) {
    const reasons = staleReasons(c.reviewed, topics.get(c.topic), today);
    if (reasons.length > 0) stale.push({ id: c.id, file: c.file, title: c.title, reviewed: c.reviewed ?? null, reasons });
  }
  return { today, checked: kb.concepts.length, stale };
}

/** The report in lines for a terminal. */
export function formatStale(report: StaleReport): string {
  if (report.stale.length === 0) {
    return `Nothing to review: all ${report.checked} cards were reviewed within a year and against the current major releases (as of ${report.today}).`;
  }
  const width = Math.max(...report.stale.map((s) => s.id.length)) + 2;
  const lines = report.stale.map((s) => `${s.id.padEnd(width)}${s.reasons.map((r) => r.message).join('; ')}`);
  const n = report.stale.length;
  return `${lines.join('\n')}\n\n${n} of ${report.checked} card${report.checked === 1 ? '' : 's'} need${n === 1 ? 's' : ''} a review (as of ${report.today}).`;
}

/**
 * A card's review must name tools of its own topic, at releases that exist: topics.yaml lists the
 * current release of each, so a typo ("kafak", "44") or a tool of another topic is caught here.
 */
export function checkReview(c: { file: string; topic: string; reviewed?: Review }, topic: Topic | undefined): Problem[] {
  if (!c.reviewed || !topic) return [];
  const problems: Problem[] = [];
  const known = Object.keys(topic.releases);
  for (const [tool, version] of Object.entries(c.reviewed.versions)) {
    const field = `reviewed.versions.${tool}`;
    const current = topic.releases[tool];
    if (current === undefined) {
      const listed = known.length ? `it lists ${known.join(', ')}` : 'it lists none';
      problems.push({ file: c.file, field, message: `"${tool}" has no release under ${topic.id} in topics.yaml (${listed}); name a tool listed there, or add the tool's current release to topics.yaml` });
    } else if (compareVersions(version, current) > 0) {
      problems.push({ file: c.file, field, message: `${tool} ${version} is newer than its current release in topics.yaml (${current}); update topics.yaml or fix the version` });
    }
  }
  return problems;
}
