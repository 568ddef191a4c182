import { domainEnvSchema } from '@calos/service';

/** Everything family reads from its environment (see domainEnvSchema for the shared part). */
export const familyEnvSchema = domainEnvSchema('family', 4006);
