import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A migration runner for Prisma's folder format
 * (`migrations/<timestamp>_<name>/{migration.sql,down.sql}`).
 *
 * Prisma Migrate needs its native schema engine, which cannot run everywhere we do
 * (embedded PGlite, locked-down CI). This runner applies the same files and records
 * them in `_prisma_migrations` exactly as Prisma does (checksum = sha256 of
 * migration.sql), so `prisma migrate status` agrees with it and a team can switch
 * back to Prisma Migrate at any time.
 */

/** Prisma Migrate's own advisory-lock key, so Prisma and this runner exclude each other. */
const PRISMA_ADVISORY_LOCK = 72707369;

export interface MigrationFile {
  name: string;
  checksum: string;
  sql: string;
  downSql: string | null;
}

export type MigrationState = 'applied' | 'pending' | 'modified' | 'missing-locally';

export interface MigrationStatusEntry {
  name: string;
  state: MigrationState;
  appliedAt?: Date;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function checksum(sql: string | Buffer): string {
  return createHash('sha256').update(sql).digest('hex');
}

export function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const raw = readFileSync(join(dir, name, 'migration.sql'));
      const downPath = join(dir, name, 'down.sql');
      return {
        name,
        checksum: checksum(raw),
        sql: raw.toString('utf8'),
        downSql: existsSync(downPath) ? readFileSync(downPath, 'utf8') : null,
      };
    });
}

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

async function appliedMigrations(client: Queryable): Promise<Map<string, AppliedRow>> {
  const { rows } = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
     WHERE rolled_back_at IS NULL ORDER BY started_at, migration_name`,
  );
  return new Map(rows.map((r) => [r.migration_name, r]));
}

async function withLockedClient<T>(connectionString: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    try {
      await client.query(CREATE_TABLE);
      return await fn(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]);
    }
  } finally {
    await client.end();
  }
}

function verifyHistory(local: MigrationFile[], applied: Map<string, AppliedRow>, label: string): void {
  const byName = new Map(local.map((m) => [m.name, m]));
  for (const row of applied.values()) {
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new MigrationError(
        `${label}: migration ${row.migration_name} is applied to the database but missing from the migrations folder. ` +
          'Restore the folder (or roll the database back) before migrating.',
      );
    }
    if (row.finished_at === null) {
      throw new MigrationError(
        `${label}: migration ${row.migration_name} started but did not finish. Inspect the database, then mark it resolved.`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `${label}: migration ${row.migration_name} was modified after it was applied ` +
          `(checksum in database ${row.checksum.slice(0, 12)}…, on disk ${file.checksum.slice(0, 12)}…). ` +
          'Applied migrations are immutable: revert the edit and add a new migration instead.',
      );
    }
  }
}

export interface MigrateOptions {
  connectionString: string;
  dir: string;
  /** Used in messages, e.g. the domain name. */
  label?: string;
  log?: (line: string) => void;
}

/** Applies every pending migration in order, each in its own transaction. Returns the names applied. */
export async function migrateUp({ connectionString, dir, label = 'database', log = () => {} }: MigrateOptions): Promise<string[]> {
  const local = readMigrations(dir);
  return withLockedClient(connectionString, async (client) => {
    const applied = await appliedMigrations(client);
    verifyHistory(local, applied, label);
    const done: string[] = [];
    for (const migration of local) {
      if (applied.has(migration.name)) continue;
      const id = randomUUID();
      await client.query('BEGIN');
      try {
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 0)`,
          [id, migration.checksum, migration.name],
        );
        await client.query(migration.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new MigrationError(
          `${label}: migration ${migration.name} failed and was rolled back: ${(error as Error).message}`,
        );
      }
      log(`${label}: applied ${migration.name}`);
      done.push(migration.name);
    }
    return done;
  });
}

/** Runs the latest applied migration's down.sql and marks it rolled back (as `prisma migrate resolve --rolled-back` would). */
export async function migrateDown({ connectionString, dir, label = 'database', log = () => {} }: MigrateOptions): Promise<string | null> {
  const local = readMigrations(dir);
  return withLockedClient(connectionString, async (client) => {
    const applied = await appliedMigrations(client);
    verifyHistory(local, applied, label);
    const latest = [...local].reverse().find((m) => applied.has(m.name));
    if (!latest) {
      log(`${label}: nothing to roll back`);
      return null;
    }
    if (latest.downSql === null) {
      throw new MigrationError(`${label}: migration ${latest.name} has no down.sql; it cannot be rolled back.`);
    }
    await client.query('BEGIN');
    try {
      await client.query(latest.downSql);
      await client.query(
        `UPDATE "_prisma_migrations" SET rolled_back_at = now()
         WHERE migration_name = $1 AND rolled_back_at IS NULL`,
        [latest.name],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw new MigrationError(`${label}: rolling back ${latest.name} failed: ${(error as Error).message}`);
    }
    log(`${label}: rolled back ${latest.name}`);
    return latest.name;
  });
}

export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** Every local migration with its state, plus applied ones missing from the folder. */
export async function migrationStatus({ db, dir }: { db: Queryable; dir: string }): Promise<MigrationStatusEntry[]> {
  const local = readMigrations(dir);
  const { rows } = await db.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`);
  const applied = rows[0]?.exists ? await appliedMigrations(db) : new Map<string, AppliedRow>();
  const entries: MigrationStatusEntry[] = local.map((m) => {
    const row = applied.get(m.name);
    if (!row) return { name: m.name, state: 'pending' };
    const state: MigrationState = row.checksum === m.checksum ? 'applied' : 'modified';
    return row.finished_at ? { name: m.name, state, appliedAt: row.finished_at } : { name: m.name, state };
  });
  const localNames = new Set(local.map((m) => m.name));
  for (const row of applied.values()) {
    if (!localNames.has(row.migration_name)) entries.push({ name: row.migration_name, state: 'missing-locally' });
  }
  return entries;
}

/** True when every local migration is applied and unmodified (what `/ready` checks). */
export async function migrationsCurrent(opts: { db: Queryable; dir: string }): Promise<boolean> {
  const entries = await migrationStatus(opts);
  return entries.every((e) => e.state === 'applied');
}
