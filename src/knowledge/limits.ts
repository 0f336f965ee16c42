/**
 * Limits a card must respect so that every platform can show it whole, and the shape of its ids:
 * zod-free, for code on the start path (the question bank) that needs the numbers and not the schemas.
 */
export const LIMITS = {
  title: 80,
  alias: 80,
  summary: 280,
  bodyMin: 150,
  body: 1500,
  example: 700,
  question: 250,
  option: 70,
  why: 200,
  askedAs: 120,
  askedAsCount: 8,
  error: 160,
  errorCount: 6,
  key: 80,
  keyMeans: 160,
  keyCount: 8,
} as const;

export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const idPattern = /^[a-z0-9]+\/[a-z0-9]+(?:-[a-z0-9]+)*$/;
