import { z } from 'zod';
import { envVars } from '@calos/kernel';

/** Everything identity reads from its environment; nothing else reads process.env. */
export const identityEnvSchema = z
  .object({
    NODE_ENV: envVars.nodeEnv,
    LOG_LEVEL: envVars.logLevel,
    PORT: envVars.port(4001),
    /** Unset: an embedded PGlite database under .data/identity (development only). */
    IDENTITY_DATABASE_URL: envVars.postgresUrl.optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    GATEWAY_SECRET: envVars.gatewaySecret,
    SERVICE_TOKEN_SECRET: envVars.serviceSecret,
    JWT_ISSUER: z.string().min(1).default('https://identity.calos.local'),
    JWT_AUDIENCE: z.string().min(1).default('calos-api'),
    /** JSON array of private JWKs (Ed25519 or P-256), each with a `kid`. Required in production. */
    JWT_PRIVATE_JWKS: z
      .string()
      .optional()
      .refine((v) => v === undefined || isJwkArray(v), 'must be a JSON array of private JWKs, each with a "kid"'),
    /** Which key signs new tokens; the others stay published until their tokens expire. */
    JWT_ACTIVE_KID: z.string().optional(),
    /** Unset: events travel in-process (development); set in production and CI. */
    REDIS_URL: envVars.redisUrl.optional(),
    /** Domains holding user data, each of which must confirm an account deletion. */
    ACCOUNT_DELETION_DOMAINS: z
      .string()
      .default('identity')
      .transform((v) => [...new Set(v.split(',').map((d) => d.trim()).filter(Boolean))])
      .pipe(z.array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a comma-separated list of domain names')).min(1)),
    /** How long to wait for a domain's purge report before announcing the deletion again. */
    DELETION_REANNOUNCE_MS: z.coerce.number().int().min(1000).default(60 * 60 * 1000),
    /** Credits granted once to every new account. */
    SIGNUP_CREDITS: z.coerce.number().int().min(0).default(100),
    /** How often expired HELD credit reservations (left by a crashed caller) are released. */
    CREDIT_RESERVATION_SWEEP_MS: z.coerce.number().int().min(100).default(15_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      if (!env.IDENTITY_DATABASE_URL) ctx.addIssue({ code: 'custom', path: ['IDENTITY_DATABASE_URL'], message: 'is required in production' });
      if (!env.JWT_PRIVATE_JWKS) ctx.addIssue({ code: 'custom', path: ['JWT_PRIVATE_JWKS'], message: 'is required in production' });
    }
  });

export type IdentityEnv = z.infer<typeof identityEnvSchema>;

function isJwkArray(value: string): boolean {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every((k) => typeof k === 'object' && k !== null && 'kid' in k && 'd' in k);
  } catch {
    return false;
  }
}
