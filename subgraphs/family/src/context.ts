import { requestContext, type DomainServices, type RequestContext, type RequestInfo } from '@calos/service';
import type { PrismaClient } from './generated/prisma/client.js';
import { createLoaders, type Loaders } from './loaders.js';

export type FamilyServices = DomainServices<PrismaClient>;

export interface FamilyContext extends FamilyServices, RequestContext {
  loaders: Loaders;
}

export function createContext(services: FamilyServices, request: RequestInfo): FamilyContext {
  return {
    ...services,
    ...requestContext(request),
    loaders: createLoaders(services.db, request.viewer?.userId ?? null),
  };
}
