import type { Viewer } from '@calos/auth';
import { unauthenticated } from '@calos/kernel';
import type { DomainServices, RequestInfo } from '@calos/service';
import type { PrismaClient } from './generated/prisma/client.js';
import { createLoaders, type Loaders } from './loaders.js';

export type FamilyServices = DomainServices<PrismaClient>;

export interface FamilyContext extends FamilyServices {
  requestId: string;
  viewer: Viewer | null;
  loaders: Loaders;
  requireViewer(): Viewer;
}

export function createContext(services: FamilyServices, request: RequestInfo): FamilyContext {
  const { viewer } = request;
  return {
    ...services,
    requestId: request.requestId,
    viewer,
    loaders: createLoaders(services.db, viewer?.userId ?? null),
    requireViewer() {
      if (!viewer) throw unauthenticated();
      return viewer;
    },
  };
}
