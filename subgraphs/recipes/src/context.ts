import { requestContext, type RequestContext, type RequestInfo } from '@calos/service';
import type { RecipesServices } from './catalog.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface RecipesContext extends RecipesServices, RequestContext {
  loaders: Loaders;
}

export function createContext(services: RecipesServices, request: RequestInfo): RecipesContext {
  return {
    ...services,
    ...requestContext(request),
    loaders: createLoaders(services.db, request.viewer?.userId ?? null),
  };
}
