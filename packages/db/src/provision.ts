import pg from 'pg';
import { embeddedDataDir, migrationsDir, type Domain } from './domains.js';
import { runningEmbeddedUrl, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import { migrateUp } from './migrations.js';

/** Creates the database named in `url` if the server does not have it yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Refusing to create database with unusual name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}

export interface DomainDatabase {
  url: string;
  embedded: EmbeddedPostgres | null;
  stop(): Promise<void>;
}

export interface ProvisionOptions {
  /** `<DOMAIN>_DATABASE_URL`; when absent the domain gets an embedded PGlite database. */
  url?: string | undefined;
  /** Where embedded databases live (default `<repo>/.data`). */
  dataRoot?: string;
  /** In-memory embedded database (tests). */
  inMemory?: boolean;
  /** Apply pending migrations. */
  migrate?: boolean;
  createIfMissing?: boolean;
  log?: (line: string) => void;
}

/** The database a domain's service should use, migrated when asked. */
export async function provisionDomainDatabase(domain: Domain, options: ProvisionOptions = {}): Promise<DomainDatabase> {
  const log = options.log ?? (() => {});
  let url = options.url;
  let embedded: EmbeddedPostgres | null = null;
  if (url) {
    if (options.createIfMissing) await ensureDatabase(url);
  } else if (options.inMemory) {
    embedded = await startEmbeddedPostgres();
    url = embedded.url;
  } else {
    const dataDir = embeddedDataDir(domain, options.dataRoot);
    url = runningEmbeddedUrl(dataDir) ?? undefined;
    if (!url) {
      embedded = await startEmbeddedPostgres({ dataDir });
      url = embedded.url;
      log(`${domain}: embedded PostgreSQL (PGlite) in ${dataDir}`);
    }
  }
  if (options.migrate) await migrateUp({ connectionString: url, dir: migrationsDir(domain), label: domain, log });
  return { url, embedded, stop: async () => embedded?.stop() };
}
