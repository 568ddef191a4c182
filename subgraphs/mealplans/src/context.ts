import { requestContext, type DomainServices, type RequestContext, type RequestInfo } from '@calos/service';
import type { PrismaClient } from './generated/prisma/client.js';
import { membershipsOf, type Memberships } from './access.js';
import { createLoaders, type Loaders } from './loaders.js';

export type MealplansServices = DomainServices<PrismaClient>;

export interface MealplansContext extends MealplansServices, RequestContext {
  loaders: Loaders;
  /** The viewer's families (from the membership read model), loaded once per request. */
  memberships(): Promise<Memberships>;
}

export function createContext(services: MealplansServices, request: RequestInfo): MealplansContext {
  let memberships: Promise<Memberships> | undefined;
  return {
    ...services,
    ...requestContext(request),
    loaders: createLoaders(services.db),
    memberships() {
      memberships ??= membershipsOf(services.db, request.viewer?.userId);
      return memberships;
    },
  };
}
