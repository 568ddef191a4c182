import type { KeyRing, TokenSettings, Viewer } from '@calos/auth';
import { unauthenticated, type Logger } from '@calos/kernel';
import type { RequestInfo } from '@calos/service';
import type { PrismaClient } from './generated/prisma/client.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What lives as long as the service: shared by every request. */
export interface IdentityServices {
  db: PrismaClient;
  keys: KeyRing;
  tokens: TokenSettings;
  logger: Logger;
  signupCredits: number;
}

export interface IdentityContext extends IdentityServices {
  requestId: string;
  viewer: Viewer | null;
  userAgent: string | undefined;
  loaders: Loaders;
  /** The signed-in viewer whose session is still active; UNAUTHENTICATED otherwise. */
  requireViewer(): Promise<Viewer>;
}

export function createContext(services: IdentityServices, request: RequestInfo): IdentityContext {
  const loaders = createLoaders(services.db);
  const { viewer } = request;
  return {
    ...services,
    requestId: request.requestId,
    viewer,
    userAgent: request.userAgent,
    loaders,
    async requireViewer() {
      if (!viewer) throw unauthenticated();
      // Access tokens are stateless, but identity itself honours a logout or a revoked
      // device at once: the session behind the token must still be live.
      const [session, user] = await Promise.all([loaders.session.load(viewer.sessionId), loaders.user.load(viewer.userId)]);
      if (!session || session.revokedAt || session.userId !== viewer.userId || !user) {
        throw unauthenticated('Your session has ended. Sign in again.');
      }
      return viewer;
    },
  };
}
