import { join } from 'node:path';
import type { Domain } from '@calos/db';
import { parseEnv, type Logger } from '@calos/kernel';
import type { Transport } from '@calos/events';
import { devKeyFile, identityEnvSchema, startIdentityService, type IdentityService } from '@calos/identity';

export interface SubgraphStartOptions {
  databaseUrl: string;
  port: number;
  gatewaySecret: string;
  dataRoot: string;
  nodeEnv: 'development' | 'test' | 'production';
  logger: Logger;
  /** Extra environment for this subgraph (tests override limits, keys, ...). */
  env: Record<string, string | undefined>;
  /** The event bus every service of this process shares. */
  transport: Transport;
  /** URLs of subgraphs started before this one (identity's JWKS for the others). */
  started: Record<string, StartedSubgraph>;
}

export interface StartedSubgraph {
  name: string;
  url: string;
  graphqlUrl: string;
  /** SQL statements this subgraph has sent (for N+1 checks). */
  statements: { count: number; reset(): void };
  close(): Promise<void>;
  jwksUrl?: string;
  /** The identity service itself (tests reach its sagas and bus). */
  identity?: IdentityService;
}

export interface SubgraphEntry {
  name: string;
  domain: Domain;
  defaultPort: number;
  start(options: SubgraphStartOptions): Promise<StartedSubgraph>;
}

/**
 * Every subgraph the supergraph runs, in start order (identity first: the others verify
 * tokens against its JWKS). Adding a subgraph is one entry here plus its line in
 * gateway/supergraph.yaml.
 */
export const SUBGRAPHS: SubgraphEntry[] = [
  {
    name: 'identity',
    domain: 'identity',
    defaultPort: 4001,
    async start(o) {
      const env = parseEnv('identity', identityEnvSchema, {
        NODE_ENV: o.nodeEnv,
        PORT: String(o.port),
        GATEWAY_SECRET: o.gatewaySecret,
        IDENTITY_DATABASE_URL: o.databaseUrl,
        ...o.env,
      });
      const service = await startIdentityService({
        env,
        transport: o.transport,
        databaseUrl: o.databaseUrl,
        devKeyFile: devKeyFile(o.dataRoot),
        logger: o.logger.child({ service: 'identity' }),
        host: '127.0.0.1',
      });
      return {
        name: 'identity',
        url: service.url,
        graphqlUrl: `${service.url}/graphql`,
        statements: service.statements,
        jwksUrl: service.jwksUrl,
        identity: service,
        close: () => service.close(),
      };
    },
  },
];

export const dataRootDefault = (repoRoot: string) => join(repoRoot, '.data');
