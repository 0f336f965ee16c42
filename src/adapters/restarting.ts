/** What a stopping process tells a request it no longer takes, on every platform. */
export const RESTARTING = 'Backfill is restarting; try again in a few seconds.';
