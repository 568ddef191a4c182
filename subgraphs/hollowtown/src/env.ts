import { domainEnvSchema } from '@calos/service';

/** Everything hollowtown reads from its environment (see domainEnvSchema for the shared part). */
export const hollowtownEnvSchema = domainEnvSchema('hollowtown', 4005);
