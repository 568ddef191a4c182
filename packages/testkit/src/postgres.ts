import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '@calos/db';

/** The PostgreSQL server tests use when it is reachable (CI sets it and requires it). */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const servicesRequired = () => process.env.REQUIRE_SERVICES === '1';

let reachable: Promise<boolean> | undefined;
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

/**
 * Which database engine tests run on: real PostgreSQL when reachable; otherwise PGlite,
 * unless REQUIRE_SERVICES=1 (CI), where a missing server is a failure, not a skip.
 */
export async function testDatabaseEngine(): Promise<'postgres' | 'pglite'> {
  if (await postgresReachable()) return 'postgres';
  if (servicesRequired()) {
    throw new Error(`REQUIRE_SERVICES=1 but PostgreSQL is not reachable at ${TEST_POSTGRES_URL}`);
  }
  return 'pglite';
}

export function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface ScratchDatabase {
  url: string;
  engine: 'postgres' | 'pglite';
  drop(): Promise<void>;
}

/** A fresh, empty database of its own (migration tests that must not disturb others). */
export async function scratchDatabase(prefix = 'scratch'): Promise<ScratchDatabase> {
  const engine = await testDatabaseEngine();
  if (engine === 'pglite') {
    const embedded = await startEmbeddedPostgres();
    return { url: embedded.url, engine, drop: () => embedded.stop() };
  }
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return {
    url: databaseUrl(name),
    engine,
    async drop() {
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Drops and recreates `<domain>_test`: every test run starts from freshly applied migrations. */
export async function recreateDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

export const uniqueSuffix = () => randomBytes(4).toString('hex');
