import { runDomainMain } from '@calos/service';
import { aiEnvSchema } from './env.js';
import { startAiService } from './server.js';

await runDomainMain('ai', aiEnvSchema, (args) => startAiService(args));
