import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { configProblems } from '../helpers/config.js';

const problems = configProblems;

describe('the environment, checked with zod', () => {
  it('gives defaults and reads numbers, levels and zones with the spaces around them trimmed', () => {
    const c = loadConfig({ QUIZ_ANSWER_SECONDS: ' 30 ', DEFAULT_TIMEZONE: ' Europe/Berlin ', HEALTH_PORT: ' 9000 ', LOG_LEVEL: 'warn', DATABASE_URL: '  ' });
    expect(c).toMatchObject({ QUIZ_ANSWER_SECONDS: 30, DEFAULT_TIMEZONE: 'Europe/Berlin', HEALTH_PORT: 9000, LOG_LEVEL: 'warn', DATABASE_URL: undefined, PORT: 3000, DAILY_QUIZ_REVEAL_MINUTES: 240 });
    expect(loadConfig({}).DEFAULT_TIMEZONE).toBe('UTC');
  });

  it('says one line per bad variable, what was expected, and the value unless it is a secret', () => {
    expect(problems({ QUIZ_ANSWER_SECONDS: 'abc' })).toEqual(['QUIZ_ANSWER_SECONDS: expected a number of seconds from 5 to 600 (got "abc")']);
    expect(problems({ QUIZ_ANSWER_SECONDS: '601' })).toEqual(['QUIZ_ANSWER_SECONDS: expected a number of seconds from 5 to 600 (got "601")']);
    // A fraction that is also out of range: one line, the first thing wrong.
    expect(problems({ QUIZ_ANSWER_SECONDS: '0.5' })).toEqual(['QUIZ_ANSWER_SECONDS: expected a whole number of seconds from 5 to 600 (got "0.5")']);
    expect(problems({ QUIZ_ANSWER_SECONDS: 'Infinity' })).toEqual(['QUIZ_ANSWER_SECONDS: expected a number of seconds from 5 to 600 (got "Infinity")']);
    expect(problems({ DAILY_QUIZ_REVEAL_MINUTES: '7.5' })).toEqual(['DAILY_QUIZ_REVEAL_MINUTES: expected a whole number of minutes (got "7.5")']);
    expect(problems({ DAILY_QUIZ_REVEAL_MINUTES: '1381' })).toEqual(['DAILY_QUIZ_REVEAL_MINUTES: expected a number of minutes from 5 to 1380 (got "1381")']);
    expect(problems({ LOG_LEVEL: 'DEBUG' })).toEqual(['LOG_LEVEL: expected one of debug, info, warn, error, silent (got "DEBUG")']);
    expect(problems({ DEFAULT_TIMEZONE: 'Mars/Olympus' })).toEqual(['DEFAULT_TIMEZONE: expected an IANA time zone such as Europe/Berlin or America/New_York (got "Mars/Olympus")']);
    expect(problems({ PORT: '' })).toEqual(['PORT: expected a port number from 1 to 65535 (got "")']);
    expect(problems({ PORT: '1.5' })).toEqual(['PORT: expected a port number from 1 to 65535 (got "1.5")']);
    expect(problems({ SLACK_API_URL: 'ftp://x' })).toEqual(['SLACK_API_URL: expected an http(s) URL (got "ftp://x")']);
    expect(problems({ DATABASE_URL: 'mysql://user:pw@db' })).toEqual(['DATABASE_URL: expected a postgres:// URL']);
    expect(problems({ SLACK_BOT_TOKEN: 'secret-abc' })).toEqual(['SLACK_BOT_TOKEN: expected a bot token starting with "xoxb-"']);
  });

  it('lists every bad variable, in the order of the schema', () => {
    expect(problems({ QUIZ_ANSWER_SECONDS: 'x', PORT: 'y', SLACK_BOT_TOKEN: 'nope', LOG_LEVEL: 'z' })).toEqual([
      'QUIZ_ANSWER_SECONDS: expected a number of seconds from 5 to 600 (got "x")',
      'LOG_LEVEL: expected one of debug, info, warn, error, silent (got "z")',
      'SLACK_BOT_TOKEN: expected a bot token starting with "xoxb-"',
      'PORT: expected a port number from 1 to 65535 (got "y")',
    ]);
  });
});
