import { ALL_DOMAINS, implementedDomains, migrateUp, migrationsDir } from '@calos/db';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { databaseUrl, recreateDatabase, servicesRequired, testDatabaseEngine } from './postgres.js';
import { redisReachable } from './redis.js';
import { testDatabaseName } from './supergraph.js';

/**
 * Vitest global setup: with REQUIRE_SERVICES=1 a missing PostgreSQL or Redis fails the
 * run; on PostgreSQL, `<domain>_test` databases are recreated and migrated once.
 */
export default async function setup({ provide }: TestProject): Promise<void> {
  // Test files share the `<database>_test` databases, so they must share one event namespace
  // too: any file's relay may publish any file's outbox rows.
  provide('redisKeyPrefix', `test:${randomUUID()}:`);
  const engine = await testDatabaseEngine();
  if (servicesRequired()) await requireRedis();
  if (engine !== 'postgres') return;
  for (const domain of ALL_DOMAINS) {
    const name = testDatabaseName(domain);
    await recreateDatabase(name);
    if (implementedDomains().includes(domain)) {
      await migrateUp({ connectionString: databaseUrl(name), dir: migrationsDir(domain), label: domain });
    }
  }
  // Fail fast with a clear message instead of 50 confusing ones.
  const client = new pg.Client({ connectionString: databaseUrl(testDatabaseName('identity')) });
  await client.connect();
  await client.end();
}

async function requireRedis(): Promise<void> {
  await redisReachable();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisKeyPrefix: string;
  }
}
