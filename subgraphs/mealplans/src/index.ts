import { runDomainMain } from '@calos/service';
import { mealplansEnvSchema } from './env.js';
import { startMealplansService } from './server.js';

await runDomainMain('mealplans', mealplansEnvSchema, (args) => startMealplansService(args));
