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
  /**
   * Who the request is about: the token's viewer, or the account this very request just
   * signed in (register, login, refresh, pairing), so its AuthPayload shows the user's own profile.
   */
  subject(): Pick<Viewer, 'userId' | 'deviceId' | 'sessionId'> | null;
  signedIn(user: { userId: string; deviceId: string; sessionId: string }): void;
  /** The signed-in viewer whose session is still active; UNAUTHENTICATED otherwise. */
  requireViewer(): Promise<Viewer>;
}

export function createContext(services: IdentityServices, request: RequestInfo): IdentityContext {
  const loaders = createLoaders(services.db);
  const { viewer } = request;
  let signedIn: Pick<Viewer, 'userId' | 'deviceId' | 'sessionId'> | null = null;
  return {
    ...services,
    requestId: request.requestId,
    viewer,
    userAgent: request.userAgent,
    loaders,
    subject: () => signedIn ?? viewer,
    signedIn(user) {
      signedIn = user;
    },
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
