import { z } from 'zod';
import { envVars } from '@calos/kernel';

export const gatewayEnvSchema = z.object({
  NODE_ENV: envVars.nodeEnv,
  LOG_LEVEL: envVars.logLevel,
  PORT: envVars.port(4000),
  GATEWAY_SECRET: envVars.gatewaySecret,
  /** Where identity publishes the access-token verification keys. */
  IDENTITY_JWKS_URL: envVars.url.default('http://localhost:4001/.well-known/jwks.json'),
  JWT_ISSUER: z.string().min(1).default('https://identity.calos.local'),
  JWT_AUDIENCE: z.string().min(1).default('calos-api'),
  /** Comma-separated origins allowed to call from a browser; `*` for any. */
  CORS_ORIGINS: z.string().default('*'),
  /** Per-subgraph routing overrides, e.g. IDENTITY_SUBGRAPH_URL=http://identity:4001/graphql */
  IDENTITY_SUBGRAPH_URL: envVars.url.optional(),
  AI_SUBGRAPH_URL: envVars.url.optional(),
  RECIPES_SUBGRAPH_URL: envVars.url.optional(),
  MEALPLANS_SUBGRAPH_URL: envVars.url.optional(),
  HOLLOWTOWN_SUBGRAPH_URL: envVars.url.optional(),
  FAMILY_SUBGRAPH_URL: envVars.url.optional(),
  /** Query limits (graphql-armor). */
  MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(10),
  MAX_ALIASES: z.coerce.number().int().min(1).max(200).default(15),
  MAX_COST: z.coerce.number().int().min(100).default(5000),
  MAX_TOKENS: z.coerce.number().int().min(100).default(5000),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

export function subgraphUrlOverrides(env: GatewayEnv): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^([A-Z]+)_SUBGRAPH_URL$/.exec(key);
    if (match?.[1] && typeof value === 'string') overrides[match[1].toLowerCase()] = value;
  }
  return overrides;
}
