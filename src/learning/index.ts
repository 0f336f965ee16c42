export { learnerOf, platformOfLearner, reminderPostKey, type Learner } from './learner.js';
export { bar, dayStreak, type Counts, type DayStreak } from './progress.js';
export { FAST_SHARE, gradeAnswer, LONG_WINDOW_SECONDS, MASTERED_STABILITY_DAYS, PRACTICE_WINDOW_SECONDS, SCHEDULER_PARAMETERS, type Mastery, type RatingName } from './schedule.js';
export * from './service.js';
