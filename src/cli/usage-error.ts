/**
 * Bad usage: exit code 2 with the message (see reportError in errors.ts). Its own module, so that
 * a command that only checks its arguments loads nothing else (errors.ts loads the configuration
 * and knowledge modules, to recognise their errors).
 */
export class UsageError extends Error {}
