import type { Viewer } from '@calos/auth';
import { unauthenticated } from '@calos/kernel';
import type { RequestInfo } from './subgraph.js';

/** What every domain subgraph's per-request context starts with. */
export interface RequestContext {
  requestId: string;
  viewer: Viewer | null;
  /** The signed-in viewer; UNAUTHENTICATED for an anonymous request. */
  requireViewer(): Viewer;
}

export function requestContext(request: RequestInfo): RequestContext {
  const { viewer } = request;
  return {
    requestId: request.requestId,
    viewer,
    requireViewer() {
      if (!viewer) throw unauthenticated();
      return viewer;
    },
  };
}
