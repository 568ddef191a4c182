import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import cors from 'cors';
import express from 'express';
import { GraphQLError } from 'graphql';
import {
  bearerToken,
  createTokenVerifier,
  GATEWAY_SECRET_HEADER,
  InvalidTokenError,
  remoteKeys,
  REQUEST_ID_HEADER,
  type TokenVerifier,
  type Viewer,
} from '@calos/auth';
import { createLogger, ErrorCode, type Logger } from '@calos/kernel';
import { createErrorFormatter, currentRequestId, listen, requestIdMiddleware, runReadiness, type Listening } from '@calos/service';
import { SUPERGRAPH_SDL, readSupergraphConfig } from './composition.js';
import { subgraphUrlOverrides, type GatewayEnv } from './env.js';

const BODY_LIMIT = '1mb';

export interface GatewayContext {
  requestId: string;
  viewer: Viewer | null;
  accessToken: string | null;
}

/** Adds the gateway secret, the request id and the caller's token to every subgraph call. */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string, private readonly secret: string) {
    super({ url });
  }
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    headers.set(GATEWAY_SECRET_HEADER, this.secret);
    // The gateway's own calls (none today with a static supergraph) carry no request context.
    const { requestId, accessToken } = context as Partial<GatewayContext>;
    if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
    if (accessToken) headers.set('authorization', `Bearer ${accessToken}`);
  }
}

export interface GatewayOptions {
  env: GatewayEnv;
  logger?: Logger;
  supergraphSdl?: string;
  /** Subgraph name → GraphQL URL; wins over env overrides and supergraph.yaml. */
  subgraphUrls?: Record<string, string>;
  verifyToken?: TokenVerifier;
  host?: string;
}

export interface RunningGateway extends Listening {
  graphqlUrl: string;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { env } = options;
  const production = env.NODE_ENV === 'production';
  const logger = options.logger ?? createLogger('gateway', env.LOG_LEVEL);
  const supergraphSdl = options.supergraphSdl ?? readFileSync(SUPERGRAPH_SDL, 'utf8');
  const defaults = Object.fromEntries(readSupergraphConfig().map((s) => [s.name, s.url]));
  const urls: Record<string, string> = { ...defaults, ...subgraphUrlOverrides(env), ...options.subgraphUrls };
  const verifyToken =
    options.verifyToken ?? createTokenVerifier(remoteKeys(env.IDENTITY_JWKS_URL), { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE });

  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new SubgraphDataSource(urls[name] ?? url ?? '', env.GATEWAY_SECRET),
  });

  const armor = new ApolloArmor({
    maxDepth: { n: env.MAX_DEPTH },
    maxAliases: { n: env.MAX_ALIASES },
    costLimit: { maxCost: env.MAX_COST },
    maxTokens: { n: env.MAX_TOKENS },
    maxDirectives: { n: 50 },
    blockFieldSuggestion: { enabled: production },
  });
  const protection = armor.protect();

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const apollo = new ApolloServer<GatewayContext>({
    // The process entry point owns SIGINT/SIGTERM and stops everything in order; Apollo's own
    // handlers would stop this server a second time concurrently and hang the shutdown.
    stopOnTerminationSignals: false,
    gateway,
    introspection: !production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    validationRules: protection.validationRules,
    formatError: createErrorFormatter(logger),
    plugins: [
      // graphql-armor is typed against the CommonJS build of @apollo/server; same runtime shape.
      ...(protection.plugins as unknown as ApolloServerPlugin<GatewayContext>[]),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
    ],
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  app.get('/ready', async (_req, res) => {
    const report = await runReadiness(
      'gateway',
      Object.entries(urls).map(([name, url]) => ({
        name,
        check: async () => {
          const response = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(2500) });
          const body = (await response.json().catch(() => ({}))) as { status?: string; checks?: unknown };
          if (!response.ok) throw new Error(`${name} is not ready: ${JSON.stringify(body.checks ?? body)}`);
          return { url };
        },
      })),
    );
    res.status(report.status === 'ready' ? 200 : 503).json({ ...report, subgraphs: report.checks });
  });

  const origins = env.CORS_ORIGINS.split(',').map((o) => o.trim());
  app.use(
    ['/', '/graphql'],
    cors({ origin: origins.includes('*') ? true : origins, credentials: false, exposedHeaders: [REQUEST_ID_HEADER] }),
    requestIdMiddleware(() => randomUUID()),
    express.json({ limit: BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = currentRequestId() ?? randomUUID();
        try {
          const accessToken = bearerToken(req.header('authorization'));
          const viewer = accessToken ? await verifyToken(accessToken) : null;
          return { requestId, viewer, accessToken };
        } catch (error) {
          if (error instanceof InvalidTokenError) {
            throw new GraphQLError(error.message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
          }
          logger.error({ err: error, requestId }, 'token verification failed');
          throw new GraphQLError('Could not verify the access token right now.', {
            extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId, http: { status: 503 } },
          });
        }
      },
    }),
  );

  // A body the JSON parser refuses (too large, malformed) still gets a GraphQL-shaped answer.
  app.use((error: { type?: string; status?: number }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (error.type === 'entity.too.large') {
      res.status(413).json({
        errors: [{ message: `The request is too large (at most ${BODY_LIMIT}).`, extensions: { code: ErrorCode.BAD_USER_INPUT, requestId: currentRequestId() } }],
      });
      return;
    }
    if (error.type === 'entity.parse.failed') {
      res.status(400).json({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST', requestId: currentRequestId() } }] });
      return;
    }
    next(error);
  });

  const listening = await listen(httpServer, env.PORT, options.host);
  logger.info(`gateway ready at ${listening.url}/graphql`);
  return {
    ...listening,
    graphqlUrl: `${listening.url}/graphql`,
    async close() {
      await apollo.stop();
      await listening.close().catch(() => {});
    },
  };
}
