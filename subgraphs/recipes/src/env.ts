import { domainEnvSchema } from '@calos/service';

/** Everything recipes reads from its environment (see domainEnvSchema for the shared part). */
export const recipesEnvSchema = domainEnvSchema('recipes', 4003);
