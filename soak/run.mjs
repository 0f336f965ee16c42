#!/usr/bin/env node
// `npm run soak [-- --minutes N]`: the soak under vitest (see soak/soak.soak.ts), never part of `npm test`.
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const env = { ...process.env };
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i].split('=', 2);
  const value = inline ?? args[++i];
  if (flag === '--minutes') env.SOAK_MINUTES = value;
  else if (flag === '--seed') env.SOAK_SEED = value;
  else {
    console.error(`soak: unknown option ${args[i]} (use --minutes N, --seed N)`);
    process.exit(2);
  }
}
if (env.SOAK_MINUTES !== undefined && !(Number(env.SOAK_MINUTES) > 0)) {
  console.error(`soak: --minutes / SOAK_MINUTES must be a positive number (got "${env.SOAK_MINUTES}")`);
  process.exit(2);
}
const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.soak.config.ts'], { env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
