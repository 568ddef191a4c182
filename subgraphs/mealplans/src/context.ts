import type { Viewer } from '@calos/auth';
import { unauthenticated } from '@calos/kernel';
import type { DomainServices, RequestInfo } from '@calos/service';
import type { PrismaClient } from './generated/prisma/client.js';
import { membershipsOf, type Memberships } from './access.js';
import { createLoaders, type Loaders } from './loaders.js';

export type MealplansServices = DomainServices<PrismaClient>;

export interface MealplansContext extends MealplansServices {
  requestId: string;
  viewer: Viewer | null;
  loaders: Loaders;
  requireViewer(): Viewer;
  /** The viewer's families (from the membership read model), loaded once per request. */
  memberships(): Promise<Memberships>;
}

export function createContext(services: MealplansServices, request: RequestInfo): MealplansContext {
  const { viewer } = request;
  let memberships: Promise<Memberships> | undefined;
  return {
    ...services,
    requestId: request.requestId,
    viewer,
    loaders: createLoaders(services.db),
    requireViewer() {
      if (!viewer) throw unauthenticated();
      return viewer;
    },
    memberships() {
      memberships ??= membershipsOf(services.db, viewer?.userId);
      return memberships;
    },
  };
}
