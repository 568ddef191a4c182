import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTokenVerifier, localKeys } from '@calos/auth';
import { migrationsCurrent, migrationsDir, openDatabase, TRANSACTION_OPTIONS } from '@calos/db';
import {
  createTransport,
  prismaUnitOfWork,
  SagaOrchestrator,
  ServiceBus,
  UserDataPurged,
  UserDeleted,
  type Transport,
} from '@calos/events';
import { createLogger, type Logger } from '@calos/kernel';
import { internalRouter, startSubgraph, type RunningSubgraph } from '@calos/service';
import { createContext, type IdentityContext, type IdentityServices } from './context.js';
import type { IdentityEnv } from './env.js';
import { createCreditService, creditRoutes, type CreditService } from './credits.js';
import { accountDeletionSaga, ACCOUNT_DELETION_SAGA, DOMAIN, purgeIdentityData, recordPurge } from './deletion.js';
import { PrismaClient, type Prisma } from './generated/prisma/client.js';
import { identityKeyRing } from './keys.js';
import { resolvers } from './resolvers/index.js';

export const typeDefs = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

export interface IdentityServiceOptions {
  env: IdentityEnv;
  /** The event transport; by default Redis at REDIS_URL, or in-process without it. */
  transport?: Transport;
  /** The connection URL (env's, or the embedded database's). */
  databaseUrl: string;
  /** Where a development signing key is kept when JWT_PRIVATE_JWKS is unset. */
  devKeyFile: string;
  logger?: Logger;
  host?: string;
}

export interface IdentityService extends RunningSubgraph {
  services: IdentityServices;
  sagas: SagaOrchestrator;
  /** Credit reservations' expiry sweeper (tests run `releaseExpired()` directly). */
  credits: CreditService;
  /** Counts SQL statements sent by this service (tests prove no N+1 with it). */
  statements: ReturnType<typeof openDatabase>['counter'];
  jwksUrl: string;
}

export async function startIdentityService(options: IdentityServiceOptions): Promise<IdentityService> {
  const { env } = options;
  const logger = options.logger ?? createLogger('identity', env.LOG_LEVEL);
  const database = openDatabase({ connectionString: options.databaseUrl, max: env.DATABASE_POOL_MAX });
  const db = new PrismaClient({ adapter: database.adapter, transactionOptions: TRANSACTION_OPTIONS });
  const keys = await identityKeyRing({ privateJwks: env.JWT_PRIVATE_JWKS, activeKid: env.JWT_ACTIVE_KID, devKeyFile: options.devKeyFile });
  const tokens = { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE };
  const services: IdentityServices = {
    db,
    keys,
    tokens,
    logger,
    signupCredits: env.SIGNUP_CREDITS,
    deletionDomains: env.ACCOUNT_DELETION_DOMAINS,
  };
  const ownTransport = options.transport ? null : createTransport(env.REDIS_URL);
  const transport = options.transport ?? ownTransport!;
  const sagas = new SagaOrchestrator({ pool: database.pool, logger, sagas: [accountDeletionSaga(services, env.DELETION_REANNOUNCE_MS)] });
  const signalDeletion = (userId: string) => sagas.signal(`${ACCOUNT_DELETION_SAGA}:${userId}`);
  services.events = new ServiceBus<Prisma.TransactionClient>({
    domain: DOMAIN,
    pool: database.pool,
    transport,
    logger,
    unitOfWork: prismaUnitOfWork(db),
    subscriptions: [
      { domain: DOMAIN, handlers: { [UserDeleted.type]: purgeIdentityData } },
      ...env.ACCOUNT_DELETION_DOMAINS.map((domain) => ({ domain, handlers: { [UserDataPurged.type]: recordPurge(signalDeletion) } })),
    ],
  });

  const credits = createCreditService(services, { sweepMs: env.CREDIT_RESERVATION_SWEEP_MS });

  const running = await startSubgraph<IdentityContext>(
    {
      name: 'identity',
      typeDefs,
      resolvers: resolvers as never,
      gatewaySecret: env.GATEWAY_SECRET,
      verifyToken: createTokenVerifier(localKeys(keys), tokens),
      logger,
      context: (request) => createContext(services, request),
      readiness: [
        { name: 'database', check: async () => void (await database.pool.query('SELECT 1')) },
        {
          name: 'migrations',
          check: async () => {
            if (!(await migrationsCurrent({ db: database.pool, dir: migrationsDir('identity') }))) {
              throw new Error('pending or modified migrations: run `npm run migrate:identity`');
            }
          },
        },
        services.events.readiness(),
      ],
      routes(app) {
        // Public keys for everyone who verifies access tokens (gateway, subgraphs, apps).
        app.get('/.well-known/jwks.json', (_req, res) => {
          res.set('cache-control', 'public, max-age=300').json(keys.jwks());
        });
        // Service-to-service calls (the ai service's credit reservations and entitlements).
        app.use('/internal', internalRouter({ service: 'identity', secret: env.SERVICE_TOKEN_SECRET, logger, routes: creditRoutes(services) }));
      },
    },
    env.PORT,
    options.host,
  );
  services.events.start();
  sagas.startPolling();
  credits.start();
  return {
    ...running,
    services,
    sagas,
    credits,
    statements: database.counter,
    jwksUrl: `${running.url}/.well-known/jwks.json`,
    async close() {
      await running.close();
      await credits.stop();
      await sagas.stop();
      await services.events?.stop();
      await ownTransport?.close();
      await db.$disconnect();
      await database.close();
    },
  };
}

export const devKeyFile = (dataRoot: string) => join(dataRoot, 'identity', 'jwt-keys.json');
