import { requestContext, type DomainServices, type RequestContext, type RequestInfo } from '@calos/service';
import type { ApiKeys } from './api-keys.js';
import type { Pricing } from './catalog.js';
import type { AiEngine } from './engine.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { IdentityCredits } from './identity.js';
import type { OllamaPool } from './llm/ollama-pool.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { UserRateLimits } from './rate-limits.js';

/** The ai service's long-lived parts, beside the shared domain ones. */
export interface AiParts {
  pool: OllamaPool;
  keys: ApiKeys;
  engine: AiEngine;
  limits: UserRateLimits;
  identity: IdentityCredits;
  pricing: Pricing;
  defaultModel: string;
}

export type AiServices = DomainServices<PrismaClient> & AiParts;

export interface AiContext extends AiServices, RequestContext {
  loaders: Loaders;
}

export function createContext(services: AiServices, request: RequestInfo): AiContext {
  return { ...services, ...requestContext(request), loaders: createLoaders(services.db) };
}
