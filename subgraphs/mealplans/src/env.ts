import { domainEnvSchema } from '@calos/service';

/** Everything mealplans reads from its environment (see domainEnvSchema for the shared part). */
export const mealplansEnvSchema = domainEnvSchema('mealplans', 4004);
