import { describe, expect, it } from 'vitest';
import { seconds } from '../../src/quiz/messages.js';

describe('an answer time in words', () => {
  it('is said the same way wherever a quiz mentions it, without rounding it', () => {
    expect(seconds(20)).toBe('20 seconds');
    expect(seconds(119)).toBe('119 seconds');
    expect(seconds(120)).toBe('2 minutes');
    expect(seconds(150)).toBe('2m30s');
    expect(seconds(600)).toBe('10 minutes');
    // A quiz of the day stays open for hours.
    expect(seconds(3 * 3600)).toBe('3 hours');
    expect(seconds(4.5 * 3600)).toBe('4.5 hours');
  });
});
