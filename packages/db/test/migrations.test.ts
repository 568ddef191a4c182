import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checksum, databaseUrlVar, implementedDomains, migrateDown, migrateUp, migrationsDir, migrationStatus, repoRoot } from '@calos/db';
import { scratchDatabase, type ScratchDatabase } from '@calos/testkit';

const run = promisify(execFile);

function fixture(migrations: Record<string, { up: string; down?: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  for (const [name, { up, down }] of Object.entries(migrations)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), up);
    if (down !== undefined) writeFileSync(join(dir, name, 'down.sql'), down);
  }
  return dir;
}

const THREE = {
  '20260101000000_pets': { up: 'CREATE TABLE "pets" ("id" SERIAL PRIMARY KEY, "name" TEXT NOT NULL);', down: 'DROP TABLE "pets";' },
  '20260102000000_pet_age': { up: 'ALTER TABLE "pets" ADD COLUMN "age" INTEGER;', down: 'ALTER TABLE "pets" DROP COLUMN "age";' },
  '20260103000000_owners': { up: 'CREATE TABLE "owners" ("id" SERIAL PRIMARY KEY);', down: 'DROP TABLE "owners";' },
};

let db: ScratchDatabase;
let client: pg.Client;
const dirs: string[] = [];
const tables = async () =>
  (await client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.t);
const history = async () =>
  (
    await client.query(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back, applied_steps_count
       FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
    )
  ).rows;

beforeEach(async () => {
  db = await scratchDatabase('migrations');
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterEach(async () => {
  await client.end();
  await db.drop();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('migration runner', () => {
  it('applies pending migrations in order and records them as Prisma does', async () => {
    const dir = fixture(THREE);
    dirs.push(dir);
    const applied = await migrateUp({ connectionString: db.url, dir });
    expect(applied).toEqual(Object.keys(THREE));
    expect(await tables()).toEqual(['_prisma_migrations', 'owners', 'pets']);
    const rows = await history();
    expect(rows.map((r) => r.migration_name)).toEqual(Object.keys(THREE));
    expect(rows[0]).toEqual({
      migration_name: '20260101000000_pets',
      checksum: checksum(THREE['20260101000000_pets'].up),
      finished: true,
      rolled_back: false,
      applied_steps_count: 1,
    });
    expect(await migrateUp({ connectionString: db.url, dir })).toEqual([]);
  });

  it('rolls back the latest with down.sql; status lists applied and pending; up re-applies', async () => {
    const dir = fixture(THREE);
    dirs.push(dir);
    await migrateUp({ connectionString: db.url, dir });
    expect(await migrateDown({ connectionString: db.url, dir })).toBe('20260103000000_owners');
    expect(await migrateDown({ connectionString: db.url, dir })).toBe('20260102000000_pet_age');
    expect(await tables()).toEqual(['_prisma_migrations', 'pets']);
    const columns = await client.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'pets' ORDER BY 1`);
    expect(columns.rows.map((r) => r.column_name)).toEqual(['id', 'name']);

    const status = await migrationStatus({ db: client, dir });
    expect(status.map((s) => [s.name, s.state])).toEqual([
      ['20260101000000_pets', 'applied'],
      ['20260102000000_pet_age', 'pending'],
      ['20260103000000_owners', 'pending'],
    ]);
    expect((await history()).filter((r) => r.rolled_back).map((r) => r.migration_name)).toEqual([
      '20260102000000_pet_age',
      '20260103000000_owners',
    ]);

    expect(await migrateUp({ connectionString: db.url, dir })).toEqual(['20260102000000_pet_age', '20260103000000_owners']);
    expect((await migrationStatus({ db: client, dir })).every((s) => s.state === 'applied')).toBe(true);
  });

  it('refuses to run when an applied migration was modified, and applies nothing', async () => {
    const dir = fixture(THREE);
    dirs.push(dir);
    await migrateUp({ connectionString: db.url, dir: fixture({ '20260101000000_pets': THREE['20260101000000_pets'] }) });
    writeFileSync(join(dir, '20260101000000_pets', 'migration.sql'), THREE['20260101000000_pets'].up + '\n-- edited');
    await expect(migrateUp({ connectionString: db.url, dir })).rejects.toThrow(
      /20260101000000_pets was modified after it was applied/,
    );
    expect(await tables()).toEqual(['_prisma_migrations', 'pets']);
    expect((await migrationStatus({ db: client, dir }))[0]!.state).toBe('modified');
    await expect(migrateDown({ connectionString: db.url, dir })).rejects.toThrow(/modified/);
  });

  it('rolls a failing migration back completely and records nothing for it', async () => {
    const dir = fixture({
      '20260101000000_ok': { up: 'CREATE TABLE "a" ("id" INT);', down: 'DROP TABLE "a";' },
      '20260102000000_broken': { up: 'CREATE TABLE "b" ("id" INT); SELECT no_such_function();', down: '' },
    });
    dirs.push(dir);
    await expect(migrateUp({ connectionString: db.url, dir })).rejects.toThrow(/20260102000000_broken failed and was rolled back/);
    expect(await tables()).toEqual(['_prisma_migrations', 'a']);
    expect((await history()).map((r) => r.migration_name)).toEqual(['20260101000000_ok']);
  });

  it('refuses to roll back a migration without down.sql', async () => {
    const dir = fixture({ '20260101000000_x': { up: 'CREATE TABLE "x" ("id" INT);' } });
    dirs.push(dir);
    await migrateUp({ connectionString: db.url, dir });
    await expect(migrateDown({ connectionString: db.url, dir })).rejects.toThrow(/has no down.sql/);
    expect(await tables()).toContain('x');
  });

  it('applies each migration once when several replicas migrate at the same time', async () => {
    const dir = fixture(THREE);
    dirs.push(dir);
    const results = await Promise.all([1, 2, 3].map(() => migrateUp({ connectionString: db.url, dir })));
    expect(results.flat().sort()).toEqual(Object.keys(THREE).sort());
    expect((await history()).length).toBe(3);
  });
});

describe('npm run migrate:* on the identity domain', () => {
  // The other domains get scratch databases of their own: `migrate:all` and `migrate:status` cover every domain.
  const others: ScratchDatabase[] = [];
  let otherUrls: Record<string, string> = {};
  beforeAll(async () => {
    for (const domain of implementedDomains().filter((d) => d !== 'identity')) {
      const scratch = await scratchDatabase(`migrations_${domain}`);
      others.push(scratch);
      otherUrls = { ...otherUrls, [databaseUrlVar(domain)]: scratch.url };
    }
  });
  afterAll(async () => {
    for (const scratch of others) await scratch.drop();
  });
  const npm = (script: string, url: string) =>
    run('npm', ['run', '--silent', script], { cwd: repoRoot, env: { ...process.env, ...otherUrls, IDENTITY_DATABASE_URL: url }, timeout: 60_000 });

  it('migrate:identity → migrate:rollback:identity → migrate:status → migrate:identity round-trips', async () => {
    const applied = (await npm('migrate:all', db.url)).stdout;
    expect(applied).toMatch(/^identity: applied 20261122000000_init\nidentity: applied 20261122010000_events_sagas_account_deletion\n/);
    for (const domain of implementedDomains()) expect(applied).toContain(`${domain}: applied`);
    const identityTables = await tables();
    expect(identityTables).toEqual(expect.arrayContaining(['users', 'devices', 'sessions', 'refresh_tokens', 'credit_ledger', 'outbox_events', 'inbox_events']));
    expect((await npm('migrate:status', db.url)).stdout).toMatch(/applied\s+20261122000000_init[\s\S]*applied\s+20261122010000_events[\s\S]*All migrations applied/);

    // One rollback undoes the latest migration only, the next the one before it, down to an empty schema.
    const migrations = readdirSync(migrationsDir('identity')).filter((name) => /^\d+_/.test(name)).sort();
    expect(migrations.slice(0, 2)).toEqual(['20261122000000_init', '20261122010000_events_sagas_account_deletion']);
    for (let applied = migrations.length - 1; applied >= 0; applied--) {
      expect((await npm('migrate:rollback:identity', db.url)).stdout).toMatch(new RegExp(`rolled back ${migrations[applied]}`));
      const status = (await npm('migrate:status', db.url)).stdout;
      if (applied > 0) expect(status).toMatch(new RegExp(`applied\\s+${migrations[applied - 1]}[\\s\\S]*pending\\s+${migrations[applied]}`));
      expect(status).toMatch(new RegExp(`${migrations.length - applied} migration\\(s\\) not applied`));
      if (applied === 1) {
        expect(await tables()).not.toContain('outbox_events');
        expect(await tables()).toContain('users');
      }
    }
    expect(await tables()).toEqual(['_prisma_migrations']);

    await npm('migrate:identity', db.url);
    expect(await tables()).toEqual(identityTables);
    const plans = await client.query('SELECT code FROM subscription_plans ORDER BY "priceCents"');
    expect(plans.rows.map((r) => r.code)).toEqual(['free', 'pro', 'enterprise']);
  });

  it('migrate:identity refuses a database whose applied migration differs from the file', async () => {
    await npm('migrate:identity', db.url);
    await client.query(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64) WHERE migration_name = '20261122000000_init'`);
    const failure = await npm('migrate:identity', db.url).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/identity: migration 20261122000000_init was modified after it was applied/);
  });
});
