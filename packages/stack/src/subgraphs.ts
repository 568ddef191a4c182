import { join } from 'node:path';
import type { Domain } from '@calos/db';
import { parseEnv, type Logger } from '@calos/kernel';
import type { DomainEnv } from '@calos/service';
import type { z } from 'zod';
import type { Transport } from '@calos/events';
import { aiEnvSchema, devKekFile, startAiService, type AiService } from '@calos/ai';
import { devKeyFile, identityEnvSchema, startIdentityService, type IdentityService } from '@calos/identity';
import { familyEnvSchema, startFamilyService } from '@calos/family';
import { hollowtownEnvSchema, startHollowtownService } from '@calos/hollowtown';
import { mealplansEnvSchema, startMealplansService } from '@calos/mealplans';
import { recipesEnvSchema, startRecipesService } from '@calos/recipes';

export interface SubgraphStartOptions {
  databaseUrl: string;
  port: number;
  gatewaySecret: string;
  /** Signs and verifies service-to-service calls (ai ↔ identity, domains → ai). */
  serviceSecret: string;
  dataRoot: string;
  nodeEnv: 'development' | 'test' | 'production';
  logger: Logger;
  /** Extra environment for this subgraph (tests override limits, keys, ...). */
  env: Record<string, string | undefined>;
  /** The domains this supergraph runs. */
  domains: string[];
  /** The event bus every service of this process shares. */
  transport: Transport;
  /** Redis (rate limits of the ai service), with this supergraph's key namespace. */
  redisUrl?: string;
  redisKeyPrefix: string;
  /** URLs of subgraphs started before this one (identity's JWKS for the others). */
  started: Record<string, StartedSubgraph>;
  /** Where another subgraph of this supergraph listens (known up front on the fixed ports). */
  urlOf(name: string): string | undefined;
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
  /** The ai service itself (tests reach its saga sweeper). */
  ai?: AiService;
}

export interface SubgraphEntry {
  name: string;
  domain: Domain;
  defaultPort: number;
  /** Subgraphs that must be up first (this one is given their URLs). */
  after?: string[];
  start(options: SubgraphStartOptions): Promise<StartedSubgraph>;
}

/**
 * Every subgraph the supergraph runs, in start order (identity first: the others verify
 * tokens against its JWKS). Adding a subgraph is one entry here plus its line in
 * gateway/supergraph.yaml.
 */
/** The settings a domain subgraph of this process gets (its own database, the shared secret, identity's JWKS). */
function domainEnv(o: SubgraphStartOptions, domain: string): Record<string, string | undefined> {
  return {
    NODE_ENV: o.nodeEnv,
    PORT: String(o.port),
    GATEWAY_SECRET: o.gatewaySecret,
    SERVICE_TOKEN_SECRET: o.serviceSecret,
    IDENTITY_JWKS_URL: jwksUrlOf(o.urlOf('identity')),
    AI_URL: o.urlOf('ai'),
    [`${domain.toUpperCase()}_DATABASE_URL`]: o.databaseUrl,
    ...o.env,
  };
}

const jwksUrlOf = (identityUrl: string | undefined) => (identityUrl ? `${identityUrl}/.well-known/jwks.json` : undefined);

interface DomainServiceStart {
  (options: { env: DomainEnv; databaseUrl: string; transport: Transport; logger: Logger; host: string }): Promise<{
    url: string;
    statements: StartedSubgraph['statements'];
    close(): Promise<void>;
  }>;
}

/** A domain subgraph built on the shared domain service: the same wiring for each. */
function domainSubgraph(domain: Domain, defaultPort: number, schema: z.ZodType<DomainEnv>, start: DomainServiceStart, after = ['identity', 'ai']): SubgraphEntry {
  return {
    name: domain,
    domain,
    defaultPort,
    after,
    async start(o) {
      const env = parseEnv(domain, schema, domainEnv(o, domain));
      const service = await start({ env, databaseUrl: o.databaseUrl, transport: o.transport, logger: o.logger.child({ subgraph: domain }), host: '127.0.0.1' });
      return started(domain, service);
    },
  };
}

function started(name: string, service: { url: string; statements: StartedSubgraph['statements']; close(): Promise<void> }): StartedSubgraph {
  return { name, url: service.url, graphqlUrl: `${service.url}/graphql`, statements: service.statements, close: () => service.close() };
}

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
        SERVICE_TOKEN_SECRET: o.serviceSecret,
        IDENTITY_DATABASE_URL: o.databaseUrl,
        // Every domain of this supergraph holds user data and must confirm an account deletion.
        ACCOUNT_DELETION_DOMAINS: o.domains.join(','),
        ...o.env,
      });
      const service = await startIdentityService({
        env,
        transport: o.transport,
        databaseUrl: o.databaseUrl,
        devKeyFile: devKeyFile(o.dataRoot),
        logger: o.logger.child({ subgraph: 'identity' }),
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
  {
    name: 'ai',
    domain: 'ai',
    defaultPort: 4002,
    after: ['identity'],
    async start(o) {
      const env = parseEnv('ai', aiEnvSchema, {
        ...domainEnv(o, 'ai'),
        IDENTITY_URL: o.urlOf('identity'),
        REDIS_URL: o.redisUrl,
        REDIS_KEY_PREFIX: o.redisKeyPrefix,
        ...o.env,
      });
      const service = await startAiService({
        env,
        databaseUrl: o.databaseUrl,
        transport: o.transport,
        logger: o.logger.child({ subgraph: 'ai' }),
        host: '127.0.0.1',
        devKeyFile: devKekFile(o.dataRoot),
      });
      return { ...started('ai', service), ai: service };
    },
  },
  domainSubgraph('recipes', 4003, recipesEnvSchema, startRecipesService),
  domainSubgraph('mealplans', 4004, mealplansEnvSchema, startMealplansService),
  domainSubgraph('hollowtown', 4005, hollowtownEnvSchema, startHollowtownService),
  domainSubgraph('family', 4006, familyEnvSchema, startFamilyService),
];

export const dataRootDefault = (repoRoot: string) => join(repoRoot, '.data');
