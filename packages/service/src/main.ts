import { join } from 'node:path';
import { provisionDomainDatabase, repoRoot, type Domain } from '@calos/db';
import { createLogger, loadEnv, type Logger } from '@calos/kernel';
import type { z } from 'zod';
import { databaseUrlOf, type DomainEnv } from './domain-service.js';

/** Stops cleanly on SIGINT/SIGTERM: the service, then whatever else it holds. */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info(`${signal}: shutting down`);
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

/**
 * The process entry point of a domain subgraph (src/index.ts): validated env, its
 * database (with a real URL, migrations are a deploy step; the embedded development
 * database is migrated on start), the service, and a clean stop.
 */
export async function runDomainMain<E extends { LOG_LEVEL: string }>(
  domain: Domain,
  schema: z.ZodType<E>,
  start: (args: { env: E; databaseUrl: string; logger: Logger }) => Promise<{ close(): Promise<void> }>,
): Promise<void> {
  const env = loadEnv(domain, schema);
  const logger = createLogger(domain, env.LOG_LEVEL);
  const url = databaseUrlOf(env as unknown as DomainEnv, domain);
  const database = await provisionDomainDatabase(domain, { url, dataRoot: join(repoRoot, '.data'), migrate: !url, log: (l) => logger.info(l) });
  const service = await start({ env, databaseUrl: database.url, logger });
  stopOnSignals(logger, async () => {
    await service.close();
    await database.stop();
  });
}
