import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { provisionDomainDatabase, repoRoot, type Domain, type DomainDatabase } from '@calos/db';
import { gatewayEnvSchema, startGateway, type RunningGateway } from '@calos/gateway';
import { createTransport, type Transport } from '@calos/events';
import { createLogger, parseEnv, type Logger } from '@calos/kernel';
import { SUBGRAPHS, type StartedSubgraph } from './subgraphs.js';

export type DatabaseMode =
  /** PGlite per domain under `dataRoot` (what `npm start` uses). */
  | { kind: 'embedded'; dataRoot?: string }
  /** PGlite per domain in memory (tests without PostgreSQL). */
  | { kind: 'in-memory' }
  /** Real servers: a URL per domain (`inMemoryOthers`: PGlite in memory for domains without one). */
  | { kind: 'urls'; urls: Partial<Record<Domain, string>>; inMemoryOthers?: boolean };

export interface SupergraphOptions {
  database: DatabaseMode;
  /** 0 for any free port. */
  gatewayPort?: number;
  subgraphPorts?: 'default' | 'random';
  nodeEnv?: 'development' | 'test' | 'production';
  logger?: Logger;
  gatewaySecret?: string;
  /** Per-subgraph extra environment. */
  env?: Record<string, Record<string, string | undefined>>;
  gatewayEnv?: Record<string, string | undefined>;
  /** Subgraph names to run (default: all). */
  only?: string[];
  /** Redis for events; unset: an in-process bus shared by this process's services. */
  redisUrl?: string;
  /** Namespaces this supergraph's streams in a shared Redis (tests). */
  redisKeyPrefix?: string;
}

export interface Supergraph {
  gateway: RunningGateway;
  gatewayUrl: string;
  subgraphs: Record<string, StartedSubgraph>;
  databases: Record<string, DomainDatabase>;
  gatewaySecret: string;
  /** The secret this supergraph's services sign their calls to each other with (tests call `/internal`). */
  serviceSecret: string;
  transport: Transport;
  close(): Promise<void>;
}

/**
 * The whole supergraph in one process: a database per domain (migrated), every subgraph
 * on its own port, and the gateway in front. `npm start` and the test kit both use it;
 * production runs each piece as its own process instead (docker-compose.yml).
 */
export async function startSupergraph(options: SupergraphOptions): Promise<Supergraph> {
  const logger = options.logger ?? createLogger('supergraph', 'info');
  const nodeEnv = options.nodeEnv ?? 'development';
  const gatewaySecret = options.gatewaySecret ?? randomBytes(32).toString('base64url');
  const serviceSecret = randomBytes(32).toString('base64url');
  const dataRoot = options.database.kind === 'embedded' ? (options.database.dataRoot ?? join(repoRoot, '.data')) : join(repoRoot, '.data', 'test');
  const entries = SUBGRAPHS.filter((s) => !options.only || options.only.includes(s.name));

  const databases: Record<string, DomainDatabase> = {};
  const subgraphs: Record<string, StartedSubgraph> = {};
  const transport = createTransport(options.redisUrl, { keyPrefix: options.redisKeyPrefix ?? '' });
  const closeAll = async () => {
    for (const s of Object.values(subgraphs).reverse()) await s.close().catch((e: unknown) => logger.error({ err: e }, 'close failed'));
    await transport.close();
    for (const d of Object.values(databases)) await d.stop().catch((e: unknown) => logger.error({ err: e }, 'stop failed'));
  };
  try {
    // Every database is provisioned at once (new embedded ones are created one after another
    // inside packages/db); each subgraph starts as soon as its own database is ready, identity
    // first because the others verify tokens against its JWKS.
    const mode = options.database;
    const provisioned = new Map(
      entries.map((entry) => [
        entry.name,
        provisionDomainDatabase(entry.domain, {
          url: mode.kind === 'urls' ? mode.urls[entry.domain] : undefined,
          inMemory: mode.kind === 'in-memory' || (mode.kind === 'urls' && Boolean(mode.inMemoryOthers) && !mode.urls[entry.domain]),
          dataRoot,
          migrate: true,
          createIfMissing: mode.kind === 'urls' && Boolean(mode.urls[entry.domain]),
          log: (line) => logger.info(line),
        }).then((database) => (databases[entry.domain] = database)),
      ]),
    );
    const starting = new Map<string, Promise<void>>();
    const fixedPorts = options.subgraphPorts === 'default';
    const urlOf = (name: string) => {
      const fixed = fixedPorts ? entries.find((e) => e.name === name)?.defaultPort : undefined;
      return subgraphs[name]?.url ?? (fixed ? `http://127.0.0.1:${fixed}` : undefined);
    };
    const startOne = async (entry: (typeof entries)[number]) => {
      // A subgraph needs the URLs of those it calls (identity's JWKS, the ai service): on the
      // fixed ports they are known before those start (all start at once); on random ports, wait.
      if (!fixedPorts) await Promise.all((entry.after ?? []).flatMap((name) => starting.get(name) ?? []));
      const database = await provisioned.get(entry.name)!;
      subgraphs[entry.name] = await entry.start({
        databaseUrl: database.url,
        port: options.subgraphPorts === 'default' ? entry.defaultPort : 0,
        gatewaySecret,
        serviceSecret,
        dataRoot,
        nodeEnv,
        logger,
        env: options.env?.[entry.name] ?? {},
        domains: entries.map((e) => e.domain),
        transport,
        redisUrl: options.redisUrl,
        redisKeyPrefix: options.redisKeyPrefix ?? '',
        started: { ...subgraphs },
        urlOf,
      });
    };
    try {
      for (const entry of entries) starting.set(entry.name, startOne(entry));
      await Promise.all(starting.values());
    } finally {
      // Whatever was provisioned is closed on failure too.
      await Promise.allSettled(provisioned.values());
    }
    const gatewayEnv = parseEnv('gateway', gatewayEnvSchema, {
      NODE_ENV: nodeEnv,
      PORT: String(options.gatewayPort ?? 0),
      GATEWAY_SECRET: gatewaySecret,
      IDENTITY_JWKS_URL: subgraphs.identity?.jwksUrl,
      ...options.gatewayEnv,
    });
    const gateway = await startGateway({
      env: gatewayEnv,
      logger: logger.child({ service: 'gateway' }),
      subgraphUrls: Object.fromEntries(Object.values(subgraphs).map((s) => [s.name, s.graphqlUrl])),
      host: options.gatewayPort === undefined || options.gatewayPort === 0 ? '127.0.0.1' : undefined,
    });
    return {
      gateway,
      gatewayUrl: gateway.graphqlUrl,
      subgraphs,
      databases,
      gatewaySecret,
      serviceSecret,
      transport,
      async close() {
        await gateway.close().catch(() => {});
        await closeAll();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
