import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { repoRoot, TRANSACTION_OPTIONS } from '@calos/db';
import { UserDeleted } from '@calos/events';
import { createLogger } from '@calos/kernel';
import { internalClient, startDomainService, type DomainService, type DomainServices, type DomainStartOptions } from '@calos/service';
import { ApiKeys } from './api-keys.js';
import { createContext, type AiParts } from './context.js';
import { AiEngine } from './engine.js';
import type { AiEnv } from './env.js';
import { PrismaClient } from './generated/prisma/client.js';
import { IdentityCredits } from './identity.js';
import { aiInternalRoutes } from './internal-routes.js';
import { devKeyEncryptionKeys, parseKeyEncryptionKeys } from './keys/crypto.js';
import { OllamaPool } from './llm/ollama-pool.js';
import { DOMAIN, purgeUserData } from './purge.js';
import { UserRateLimits } from './rate-limits.js';
import { resolvers } from './resolvers/index.js';

export const typeDefs = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

export interface AiServiceOptions extends DomainStartOptions<AiEnv> {
  /** Where a development key-encryption key is kept when AI_KEY_ENCRYPTION_KEYS is unset. */
  devKeyFile?: string;
}

export interface AiService extends DomainService<PrismaClient> {
  parts: AiParts;
}

export const devKekFile = (dataRoot: string) => join(dataRoot, 'ai-dev-key-encryption-keys');

/**
 * The ai subgraph: the Ollama pool, BYOK keys, model preferences, per-user rate limits
 * (Redis), the metered-generation saga with identity's credits, the usage log, `chat`, and
 * the internal API the domains' AI features call.
 */
export async function startAiService(options: AiServiceOptions): Promise<AiService> {
  const { env } = options;
  const logger = options.logger ?? createLogger(DOMAIN, env.LOG_LEVEL);
  const ring = parseKeyEncryptionKeys(
    env.AI_KEY_ENCRYPTION_KEYS ?? devKeyEncryptionKeys(options.devKeyFile ?? devKekFile(join(repoRoot, '.data'))),
    env.AI_KEY_ENCRYPTION_ACTIVE_VERSION,
  );
  const pool = new OllamaPool({
    hosts: env.OLLAMA_HOSTS,
    requestTimeoutMs: env.OLLAMA_TIMEOUT_MS,
    healthIntervalMs: env.OLLAMA_HEALTH_INTERVAL_MS,
    cooldownMs: env.OLLAMA_COOLDOWN_MS,
    logger: logger.child({ component: 'ollama-pool' }),
  });
  const redis = env.REDIS_URL ? new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;
  redis?.on('error', () => {}); // commands fail (and the in-process limiter takes over) while Redis is down
  const limits = new UserRateLimits({ redis, keyPrefix: env.REDIS_KEY_PREFIX });
  const identity = new IdentityCredits(
    internalClient({ caller: DOMAIN, service: 'identity', baseUrl: env.IDENTITY_URL, secret: env.SERVICE_TOKEN_SECRET }),
    logger,
  );
  await pool.start();

  let parts: AiParts | undefined;
  const partsOf = (services: DomainServices<PrismaClient>): AiParts => {
    if (parts) return parts;
    const keys = new ApiKeys(services.db, ring);
    const engine = new AiEngine({
      db: services.db,
      pool,
      keys,
      identity,
      limits,
      logger,
      settings: {
        defaultModel: env.AI_DEFAULT_MODEL,
        pricing: env.AI_MODEL_CREDITS,
        maxOutputTokens: env.AI_MAX_OUTPUT_TOKENS,
        reservationTtlSeconds: env.CREDIT_RESERVATION_TTL_SECONDS,
        baseUrls: { openai: env.OPENAI_BASE_URL, anthropic: env.ANTHROPIC_BASE_URL, deepseek: env.DEEPSEEK_BASE_URL },
        byokTimeoutMs: env.BYOK_TIMEOUT_MS,
      },
    });
    parts = { pool, keys, engine, limits, identity, pricing: env.AI_MODEL_CREDITS, defaultModel: env.AI_DEFAULT_MODEL };
    return parts;
  };

  let service: DomainService<PrismaClient>;
  try {
    service = await startDomainService<PrismaClient, ReturnType<typeof createContext>>({
      domain: DOMAIN,
      typeDefs,
      resolvers: resolvers as never,
      createClient: (adapter) => new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS }),
      context: (services, request) => createContext({ ...services, ...partsOf(services) }, request),
      subscriptions: () => [{ domain: 'identity', handlers: { [UserDeleted.type]: purgeUserData } }],
      internalRoutes: (services) => aiInternalRoutes(partsOf(services).engine),
      readiness: [
        {
          name: 'llm-pool',
          // Informational: the service is ready without models (requests answer AI_UNAVAILABLE).
          check: async () => ({ hosts: pool.status().map((h) => ({ host: h.host, healthy: h.healthy, models: h.models.length })) }),
        },
      ],
      ...options,
      env,
      logger,
    });
  } catch (error) {
    await pool.stop();
    redis?.disconnect();
    throw error;
  }
  const aiParts = partsOf(service.services);
  const sweeper = setInterval(() => {
    aiParts.engine.sweep().catch((error: unknown) => logger.warn({ err: error }, 'generation sweep failed'));
  }, env.GENERATION_SWEEP_MS);
  sweeper.unref();
  return {
    ...service,
    parts: aiParts,
    async close() {
      clearInterval(sweeper);
      await service.close();
      await pool.stop();
      redis?.disconnect();
    },
  };
}
