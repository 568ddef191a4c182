import { envVars } from '@calos/kernel';
import { domainEnvSchema } from '@calos/service';
import { z } from 'zod';

/** `{"llama3.1:70b": 5}` or `{"llama3.1:70b": {"perRequest": 2, "per1kTokens": 1}}`: credits per metered model. */
const modelCredits = z
  .string()
  .default('{}')
  .transform((value, ctx) => {
    try {
      return JSON.parse(value.trim() || '{}') as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object of model → credits' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z.string().min(1),
      z.union([
        z.number().int().min(0).transform((perRequest) => ({ perRequest, per1kTokens: 0 })),
        z.object({ perRequest: z.number().int().min(0).default(0), per1kTokens: z.number().min(0).default(0) }),
      ]),
    ),
  );

const hostList = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((h) => h.trim()).filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be a comma-separated list of http(s) URLs' })));

/** Everything ai reads from its environment (domainEnvSchema holds the shared part). */
export const aiEnvSchema = domainEnvSchema('ai', 4002, {
  /** The free pool: Ollama servers, comma-separated. Unset: no free models (AI_UNAVAILABLE). */
  OLLAMA_HOSTS: hostList,
  OLLAMA_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  OLLAMA_HEALTH_INTERVAL_MS: z.coerce.number().int().min(100).default(15_000),
  OLLAMA_COOLDOWN_MS: z.coerce.number().int().min(0).default(30_000),
  /** The model used when a user has set no preference. */
  AI_DEFAULT_MODEL: z.string().min(1).default('llama3.2'),
  AI_MODEL_CREDITS: modelCredits,
  /** Output budget per call (also bounds what a reservation holds). */
  AI_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(16).max(32_000).default(1024),
  /** `1:<base64 32 bytes>,2:<…>`: key-encryption keys for BYOK keys; the highest (or _ACTIVE_VERSION) encrypts. */
  AI_KEY_ENCRYPTION_KEYS: z.string().optional(),
  AI_KEY_ENCRYPTION_ACTIVE_VERSION: z.coerce.number().int().min(1).optional(),
  OPENAI_BASE_URL: envVars.url.default('https://api.openai.com/v1'),
  ANTHROPIC_BASE_URL: envVars.url.default('https://api.anthropic.com/v1/'),
  DEEPSEEK_BASE_URL: envVars.url.default('https://api.deepseek.com/v1'),
  BYOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  /** identity's base URL, for credits and plans (service-to-service). */
  IDENTITY_URL: envVars.url.default('http://localhost:4001'),
  /** How long a reservation may wait for its settlement before it is released. */
  CREDIT_RESERVATION_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  /** How often abandoned generations are released. */
  GENERATION_SWEEP_MS: z.coerce.number().int().min(100).default(15_000),
  /** Namespaces the rate-limit keys in a shared Redis (like the event streams). */
  REDIS_KEY_PREFIX: z.string().default(''),
}).superRefine((env, ctx) => {
  if (env.NODE_ENV === 'production' && !env.AI_KEY_ENCRYPTION_KEYS) {
    ctx.addIssue({ code: 'custom', path: ['AI_KEY_ENCRYPTION_KEYS'], message: 'is required in production' });
  }
});

export type AiEnv = z.infer<typeof aiEnvSchema>;
