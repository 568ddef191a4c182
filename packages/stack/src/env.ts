import { z } from 'zod';
import { envVars } from '@calos/kernel';

/** `npm start`: the whole supergraph in one process. Every variable is optional. */
export const stackEnvSchema = z.object({
  NODE_ENV: envVars.nodeEnv,
  LOG_LEVEL: envVars.logLevel.default('warn'),
  PORT: envVars.port(4000),
  /** Where the embedded databases live. */
  DATA_DIR: z.string().min(1).optional(),
  /** `fixed`: identity 4001, … (the documented ports); `random`: any free ports. */
  SUBGRAPH_PORTS: z.enum(['fixed', 'random']).default('fixed'),
  IDENTITY_DATABASE_URL: envVars.postgresUrl.optional(),
  AI_DATABASE_URL: envVars.postgresUrl.optional(),
  RECIPES_DATABASE_URL: envVars.postgresUrl.optional(),
  MEALPLANS_DATABASE_URL: envVars.postgresUrl.optional(),
  HOLLOWTOWN_DATABASE_URL: envVars.postgresUrl.optional(),
  FAMILY_DATABASE_URL: envVars.postgresUrl.optional(),
  /** Events over Redis Streams; unset: an in-process bus. */
  REDIS_URL: envVars.redisUrl.optional(),
  /** The free LLM pool: Ollama servers, comma-separated (unset: AI features answer AI_UNAVAILABLE). */
  OLLAMA_HOSTS: z.string().optional(),
  /** Skip loading the demo account and data. */
  NO_DEMO: envVars.bool.default(false),
});
export type StackEnv = z.infer<typeof stackEnvSchema>;
