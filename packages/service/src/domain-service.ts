import { createTokenVerifier, remoteKeys, type TokenVerifier } from '@calos/auth';
import { migrationsCurrent, migrationsDir, openDatabase, type DatabaseHandle, type Domain } from '@calos/db';
import { createTransport, prismaUnitOfWork, ServiceBus, type Subscription, type Transport } from '@calos/events';
import { createLogger, envVars, type Logger } from '@calos/kernel';
import type { BaseContext } from '@apollo/server';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { z } from 'zod';
import type { ReadinessCheck } from './http.js';
import { aiFeatures, type AiFeatures } from './ai-features.js';
import { internalRouter, type InternalRoute } from './internal.js';
import { startSubgraph, type RequestInfo, type RunningSubgraph } from './subgraph.js';

const commonDomainEnv = {
  NODE_ENV: envVars.nodeEnv,
  LOG_LEVEL: envVars.logLevel,
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  GATEWAY_SECRET: envVars.gatewaySecret,
  SERVICE_TOKEN_SECRET: envVars.serviceSecret,
  /** The ai service (domain AI features call it); unreachable → AI_UNAVAILABLE. */
  AI_URL: envVars.url.default('http://localhost:4002'),
  IDENTITY_JWKS_URL: envVars.url.default('http://localhost:4001/.well-known/jwks.json'),
  JWT_ISSUER: z.string().min(1).default('https://identity.calos.local'),
  JWT_AUDIENCE: z.string().min(1).default('calos-api'),
  REDIS_URL: envVars.redisUrl.optional(),
};

export type DomainEnv = z.infer<z.ZodObject<typeof commonDomainEnv & { PORT: ReturnType<typeof envVars.port> }>> & Record<string, unknown>;

/**
 * The variables every domain subgraph reads; its database URL is `<DOMAIN>_DATABASE_URL`
 * (unset: embedded PGlite in development, required in production).
 */
export function domainEnvSchema<X extends z.ZodRawShape = Record<never, never>>(domain: string, defaultPort: number, extra?: X) {
  const dbVar = `${domain.toUpperCase()}_DATABASE_URL`;
  return z
    .object({ ...commonDomainEnv, PORT: envVars.port(defaultPort), [dbVar]: envVars.postgresUrl.optional(), ...(extra ?? ({} as X)) })
    .superRefine((env, ctx) => {
      const vars = env as Record<string, unknown>;
      if (vars.NODE_ENV === 'production' && !vars[dbVar]) ctx.addIssue({ code: 'custom', path: [dbVar], message: 'is required in production' });
    });
}

export const databaseUrlOf = (env: DomainEnv, domain: string) => env[`${domain.toUpperCase()}_DATABASE_URL`] as string | undefined;

type PrismaLike = { $disconnect(): Promise<void> };

/** Long-lived pieces of a domain service, shared by every request. */
export interface DomainServices<TDb> {
  db: TDb;
  logger: Logger;
  database: DatabaseHandle;
  events: ServiceBus<TransactionOf<TDb>>;
  /** The ai service, for this domain's AI features (structured generation, metered). */
  ai: AiFeatures;
}

export type TransactionOf<TDb> = TDb extends { $transaction<T>(fn: (tx: infer Tx) => Promise<T>, ...rest: never[]): Promise<T> } ? Tx : never;

/** What a process entry point, the stack or a test gives a domain service to start it. */
export interface DomainStartOptions<TEnv extends DomainEnv = DomainEnv> {
  env: TEnv;
  databaseUrl: string;
  /** The event transport; by default Redis at REDIS_URL, or in-process without it. */
  transport?: Transport;
  /** Defaults to verifying against identity's JWKS (tests may pass their own). */
  verifyToken?: TokenVerifier;
  logger?: Logger;
  host?: string;
}

export interface DomainServiceOptions<TDb extends PrismaLike, TContext extends BaseContext> extends DomainStartOptions {
  domain: Domain;
  typeDefs: string;
  resolvers: GraphQLResolverMap<TContext>;
  createClient(adapter: DatabaseHandle['adapter']): TDb;
  context(services: DomainServices<TDb>, request: RequestInfo): TContext | Promise<TContext>;
  subscriptions?(services: DomainServices<TDb>): Subscription<TransactionOf<TDb>>[];
  readiness?: ReadinessCheck[];
  /** Service-to-service endpoints under `/internal` (see internal.ts). */
  internalRoutes?(services: DomainServices<TDb>): InternalRoute[];
}

export interface DomainService<TDb> extends RunningSubgraph {
  services: DomainServices<TDb>;
  statements: DatabaseHandle['counter'];
}

/**
 * Starts a domain subgraph: its own database pool and Prisma client, its outbox relay and
 * event consumers, token verification against identity's JWKS, and `/health` + `/ready`
 * (database, migrations, event bus).
 */
export async function startDomainService<TDb extends PrismaLike, TContext extends BaseContext>(
  options: DomainServiceOptions<TDb, TContext>,
): Promise<DomainService<TDb>> {
  const { env, domain } = options;
  const logger = options.logger ?? createLogger(domain, env.LOG_LEVEL);
  const database = openDatabase({ connectionString: options.databaseUrl, max: env.DATABASE_POOL_MAX });
  const db = options.createClient(database.adapter);
  const ownTransport = options.transport ? null : createTransport(env.REDIS_URL);
  const transport = options.transport ?? ownTransport!;
  const ai = aiFeatures({ domain, baseUrl: env.AI_URL, secret: env.SERVICE_TOKEN_SECRET, logger });
  const services = { db, logger, database, ai } as DomainServices<TDb>;
  services.events = new ServiceBus<TransactionOf<TDb>>({
    domain,
    pool: database.pool,
    transport,
    logger,
    unitOfWork: prismaUnitOfWork(db as never) as never,
    subscriptions: options.subscriptions?.(services) ?? [],
  });
  const verifyToken =
    options.verifyToken ?? createTokenVerifier(remoteKeys(env.IDENTITY_JWKS_URL), { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE });

  const running = await startSubgraph<TContext>(
    {
      name: domain,
      typeDefs: options.typeDefs,
      resolvers: options.resolvers,
      gatewaySecret: env.GATEWAY_SECRET,
      verifyToken,
      logger,
      context: (request) => options.context(services, request),
      readiness: [
        { name: 'database', check: async () => void (await database.pool.query('SELECT 1')) },
        {
          name: 'migrations',
          check: async () => {
            if (!(await migrationsCurrent({ db: database.pool, dir: migrationsDir(domain) }))) {
              throw new Error(`pending or modified migrations: run \`npm run migrate:${domain}\``);
            }
          },
        },
        services.events.readiness(),
        ...(options.readiness ?? []),
      ],
      routes: options.internalRoutes
        ? (app) => app.use('/internal', internalRouter({ service: domain, secret: env.SERVICE_TOKEN_SECRET, logger, routes: options.internalRoutes!(services) }))
        : undefined,
    },
    env.PORT,
    options.host,
  );
  services.events.start();
  return {
    ...running,
    services,
    statements: database.counter,
    async close() {
      await running.close();
      await services.events.stop();
      await ownTransport?.close();
      await db.$disconnect();
      await database.close();
    },
  };
}
