import type { Viewer } from '@calos/auth';
import { unauthenticated } from '@calos/kernel';
import type { RequestInfo } from '@calos/service';
import type { RecipesServices } from './catalog.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface RecipesContext extends RecipesServices {
  requestId: string;
  viewer: Viewer | null;
  loaders: Loaders;
  requireViewer(): Viewer;
}

export function createContext(services: RecipesServices, request: RequestInfo): RecipesContext {
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
