/**
 * Migrations for every domain database, in Prisma's folder format.
 *
 *   migrate up <domain|all>      apply pending migrations (all: identity first)
 *   migrate down <domain>        roll back the latest applied migration with its down.sql
 *   migrate status [domain|all]  list applied and pending migrations
 *
 * Each domain uses <DOMAIN>_DATABASE_URL, or its embedded PGlite database under DATA_DIR
 * (default .data/) — the one `npm start` is serving if it is running.
 */
import { join } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { envVars, loadEnv } from '@calos/kernel';
import { ALL_DOMAINS, databaseUrlVar, implementedDomains, isDomain, migrationsDir, repoRoot, type Domain } from './domains.js';
import { MigrationError, migrateDown, migrateUp, migrationStatus } from './migrations.js';
import { provisionDomainDatabase } from './provision.js';

const env = loadEnv(
  'migrate',
  z.object({
    DATA_DIR: z.string().default(join(repoRoot, '.data')),
    ...Object.fromEntries(ALL_DOMAINS.map((d) => [databaseUrlVar(d), envVars.postgresUrl.optional()])),
  }),
) as Record<string, string | undefined> & { DATA_DIR: string };

const [command, target = 'all'] = process.argv.slice(2);

function domainsFor(arg: string): Domain[] {
  if (arg === 'all') return implementedDomains();
  if (!isDomain(arg)) throw new MigrationError(`Unknown domain "${arg}". Domains: ${ALL_DOMAINS.join(', ')}`);
  if (!implementedDomains().includes(arg)) throw new MigrationError(`Domain "${arg}" has no prisma/${arg}/schema.prisma yet.`);
  return [arg];
}

async function withDatabase<T>(domain: Domain, fn: (url: string) => Promise<T>): Promise<T> {
  const database = await provisionDomainDatabase(domain, {
    url: env[databaseUrlVar(domain)],
    dataRoot: env.DATA_DIR,
    createIfMissing: true,
  });
  try {
    return await fn(database.url);
  } finally {
    await database.stop();
  }
}

const log = (line: string) => console.log(line);

async function main(): Promise<void> {
  switch (command) {
    case 'up':
      for (const domain of domainsFor(target)) {
        const applied = await withDatabase(domain, (url) => migrateUp({ connectionString: url, dir: migrationsDir(domain), label: domain, log }));
        if (applied.length === 0) log(`${domain}: already up to date`);
      }
      return;
    case 'down': {
      if (target === 'all') throw new MigrationError('Roll back one domain at a time: migrate down <domain>');
      for (const domain of domainsFor(target)) {
        await withDatabase(domain, (url) => migrateDown({ connectionString: url, dir: migrationsDir(domain), label: domain, log }));
      }
      return;
    }
    case 'status': {
      let pending = 0;
      for (const domain of domainsFor(target)) {
        const entries = await withDatabase(domain, async (url) => {
          const pool = new pg.Pool({ connectionString: url, max: 1 });
          try {
            return await migrationStatus({ db: pool, dir: migrationsDir(domain) });
          } finally {
            await pool.end();
          }
        });
        log(`${domain}:`);
        for (const e of entries) {
          log(`  ${e.state.padEnd(15)} ${e.name}${e.appliedAt ? `  (${e.appliedAt.toISOString()})` : ''}`);
          if (e.state !== 'applied') pending++;
        }
        if (entries.length === 0) log('  (no migrations)');
      }
      log(pending === 0 ? 'All migrations applied.' : `${pending} migration(s) not applied.`);
      return;
    }
    default:
      throw new MigrationError('usage: migrate <up|down|status> [domain|all]');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof MigrationError ? error.message : error);
  process.exit(1);
});
