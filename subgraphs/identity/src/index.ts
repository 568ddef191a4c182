import { join } from 'node:path';
import { repoRoot } from '@calos/db';
import { runDomainMain } from '@calos/service';
import { identityEnvSchema } from './env.js';
import { devKeyFile, startIdentityService } from './server.js';

await runDomainMain('identity', identityEnvSchema, (args) => startIdentityService({ ...args, devKeyFile: devKeyFile(join(repoRoot, '.data')) }));
