import { runDomainMain } from '@calos/service';
import { familyEnvSchema } from './env.js';
import { startFamilyService } from './server.js';

await runDomainMain('family', familyEnvSchema, (args) => startFamilyService(args));
