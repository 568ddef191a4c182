import { createServer } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import express from 'express';
import { GraphQLError, parse } from 'graphql';
import {
  bearerToken,
  GATEWAY_SECRET_HEADER,
  InvalidTokenError,
  secretMatches,
  type TokenVerifier,
  type Viewer,
} from '@calos/auth';
import { ErrorCode, type Logger } from '@calos/kernel';
import { createErrorFormatter } from './format-error.js';
import { createServiceApp, currentRequestId, listen, requestIdMiddleware, requestIdOf, type Listening, type ReadinessCheck } from './http.js';

export interface RequestInfo {
  requestId: string;
  viewer: Viewer | null;
  /** The raw access token, for calls this subgraph makes on the user's behalf. */
  accessToken: string | null;
  userAgent: string | undefined;
}

export interface SubgraphOptions<TContext extends BaseContext> {
  name: string;
  typeDefs: string;
  resolvers: GraphQLResolverMap<TContext>;
  gatewaySecret: string;
  verifyToken: TokenVerifier;
  logger: Logger;
  readiness: ReadinessCheck[];
  /** Builds the per-request context (loaders, db) from what the request proved. */
  context(request: RequestInfo): Promise<TContext> | TContext;
  /** Extra routes on the same HTTP server (e.g. identity's JWKS). */
  routes?(app: express.Express): void;
  bodyLimit?: string;
}

export interface RunningSubgraph extends Listening {
  name: string;
  apollo: ApolloServer<BaseContext>;
}

function graphqlErrorResponse(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/**
 * A subgraph HTTP service: `POST /graphql` accepts only requests carrying the gateway
 * secret and verifies the forwarded access token itself (defence in depth), plus
 * `/health` and `/ready`.
 */
export async function startSubgraph<TContext extends BaseContext>(
  options: SubgraphOptions<TContext>,
  port: number,
  host?: string,
): Promise<RunningSubgraph> {
  const { name, logger } = options;
  const app = createServiceApp(name, options.readiness);
  options.routes?.(app);
  const httpServer = createServer(app);
  const apollo = new ApolloServer<TContext>({
    // The process entry point owns SIGINT/SIGTERM (see stopOnSignals), not Apollo.
    stopOnTerminationSignals: false,
    schema: buildSubgraphSchema([{ typeDefs: parse(options.typeDefs), resolvers: options.resolvers }]),
    // Only the gateway talks to a subgraph, from the composed supergraph: no Sandbox here.
    introspection: false,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No Apollo usage reporting: traces would only cost time on every request.
      ApolloServerPluginInlineTraceDisabled(),
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    requestIdMiddleware(requestIdOf),
    (req, res, next) => {
      if (!secretMatches(req.header(GATEWAY_SECRET_HEADER), options.gatewaySecret)) {
        logger.warn({ ip: req.ip, requestId: currentRequestId() }, 'rejected request without the gateway secret');
        res.status(401).json(graphqlErrorResponse('This service only accepts requests from the gateway.', ErrorCode.UNAUTHENTICATED));
        return;
      }
      next();
    },
    express.json({ limit: options.bodyLimit ?? '2mb' }),
    expressMiddleware(apollo as unknown as ApolloServer<BaseContext>, {
      context: async ({ req }) => {
        const requestId = currentRequestId() ?? requestIdOf(req);
        let viewer: Viewer | null;
        let accessToken: string | null;
        try {
          accessToken = bearerToken(req.header('authorization'));
          viewer = accessToken ? await options.verifyToken(accessToken) : null;
        } catch (error) {
          if (error instanceof InvalidTokenError) {
            throw new GraphQLError(error.message, {
              extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
            });
          }
          throw error;
        }
        return options.context({ requestId, viewer, accessToken, userAgent: req.header('user-agent') });
      },
    }),
  );

  const listening = await listen(httpServer, port, host);
  logger.info({ port: listening.port }, `${name} subgraph ready at ${listening.url}/graphql`);
  return {
    ...listening,
    name,
    apollo: apollo as unknown as ApolloServer<BaseContext>,
    async close() {
      await apollo.stop();
      await listening.close().catch(() => {});
    },
  };
}
