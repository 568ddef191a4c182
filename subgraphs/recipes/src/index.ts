import { runDomainMain } from '@calos/service';
import { recipesEnvSchema } from './env.js';
import { startRecipesService } from './server.js';

await runDomainMain('recipes', recipesEnvSchema, (args) => startRecipesService(args));
