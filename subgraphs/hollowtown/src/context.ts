import { requestContext, type DomainServices, type RequestContext, type RequestInfo } from '@calos/service';
import type { PrismaClient } from './generated/prisma/client.js';
import { createLoaders, type Loaders } from './loaders.js';

export type HollowtownServices = DomainServices<PrismaClient>;

export interface HollowtownContext extends HollowtownServices, RequestContext {
  loaders: Loaders;
}

export function createContext(services: HollowtownServices, request: RequestInfo): HollowtownContext {
  return {
    ...services,
    ...requestContext(request),
    loaders: createLoaders(services.db, request.viewer?.userId ?? null),
  };
}
