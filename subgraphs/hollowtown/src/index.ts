import { runDomainMain } from '@calos/service';
import { hollowtownEnvSchema } from './env.js';
import { startHollowtownService } from './server.js';

await runDomainMain('hollowtown', hollowtownEnvSchema, (args) => startHollowtownService(args));
