// After `npm install`/`npm ci`: generate the Prisma clients, supergraph and types, so a
// fresh clone is ready for `npm start` and `npm test` with no further step.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/.bin/tsx') || process.env.SKIP_GENERATE === '1') process.exit(0);
const result = spawnSync('npm', ['run', '--silent', 'generate'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
