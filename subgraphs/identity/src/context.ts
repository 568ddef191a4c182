import type { KeyRing, TokenSettings, Viewer } from '@calos/auth';
import { forbidden, unauthenticated, type Logger } from '@calos/kernel';
import type { RequestInfo } from '@calos/service';
import type { ServiceBus } from '@calos/events';
import type { Prisma, PrismaClient } from './generated/prisma/client.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What lives as long as the service: shared by every request. */
export interface IdentityServices {
  db: PrismaClient;
  keys: KeyRing;
  tokens: TokenSettings;
  logger: Logger;
  signupCredits: number;
  /** Domains that must report UserDataPurged before an account deletion is complete. */
  deletionDomains: string[];
  /** The outbox relay and consumers (absent in unit tests that run no bus). */
  events?: ServiceBus<Prisma.TransactionClient>;
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
  /** Like requireViewer, and the account currently holds the ADMIN role; FORBIDDEN otherwise. */
  requireAdmin(): Promise<Viewer>;
  isAdmin(): Promise<boolean>;
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
    async requireAdmin() {
      const v = await this.requireViewer();
      if (!(await this.isAdmin())) throw forbidden('Only administrators can do that.');
      return v;
    },
    async isAdmin() {
      // Roles are read from the account, not the token, so a revoked role takes effect at once.
      if (!viewer) return false;
      const user = await loaders.user.load(viewer.userId);
      return user?.roles.includes('ADMIN') ?? false;
    },
  };
}
