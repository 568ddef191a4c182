import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { diffSchemaAgainstDatabase, type DiffSchemaOptions, type Queryable } from '../src/schema-drift.js';

const POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const PRISMA_ROOT = fileURLToPath(new URL('../../../prisma/', import.meta.url));

interface Domain {
  name: string;
  schemaPath: string;
  /** migration.sql contents, in folder-name order (the order Prisma applies them in). */
  migrations: string[];
}

function discoverDomains(): Domain[] {
  return readdirSync(PRISMA_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(PRISMA_ROOT, entry.name, 'schema.prisma')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const migrationsDir = join(PRISMA_ROOT, name, 'migrations');
      const folders = existsSync(migrationsDir)
        ? readdirSync(migrationsDir, { withFileTypes: true })
            .filter((entry) => entry.isDirectory() && existsSync(join(migrationsDir, entry.name, 'migration.sql')))
            .map((entry) => entry.name)
            .sort()
        : [];
      return {
        name,
        schemaPath: join(PRISMA_ROOT, name, 'schema.prisma'),
        migrations: folders.map((folder) => readFileSync(join(migrationsDir, folder, 'migration.sql'), 'utf8')),
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Throwaway databases: a real PostgreSQL when one is listening, PGlite otherwise
// ---------------------------------------------------------------------------------------------

interface ScratchDatabase {
  db: Queryable;
  exec(sql: string): Promise<void>;
  dispose(): Promise<void>;
}

interface Engine {
  name: string;
  create(label: string): Promise<ScratchDatabase>;
  close(): Promise<void>;
}

async function connectPostgres(): Promise<Engine> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  await admin.connect();
  return {
    name: 'PostgreSQL',
    async create(label) {
      const database = `drift_${label.replace(/\W/g, '_')}_${process.pid}_${randomBytes(4).toString('hex')}`.toLowerCase();
      await createDatabase(admin, database);
      const url = new URL(POSTGRES_URL);
      url.pathname = `/${database}`;
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      return {
        db: client,
        exec: async (sql) => void (await client.query(sql)),
        async dispose() {
          await client.end();
          await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        },
      };
    },
    close: () => admin.end(),
  };
}

async function createDatabase(admin: pg.Client, database: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE "${database}"`);
      return;
    } catch (error) {
      // 55006: another session is copying template1 at the same moment (parallel test files).
      if ((error as { code?: string }).code !== '55006' || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

const pglite: Engine = {
  name: 'PGlite',
  async create() {
    const db = new PGlite();
    await db.waitReady;
    return { db, exec: async (sql) => void (await db.exec(sql)), dispose: () => db.close() };
  },
  close: async () => undefined,
};

async function connectEngine(): Promise<Engine> {
  try {
    return await connectPostgres();
  } catch (error) {
    if (process.env.REQUIRE_SERVICES === '1') {
      throw new Error(`PostgreSQL at ${POSTGRES_URL} is unreachable and REQUIRE_SERVICES=1`, { cause: error });
    }
    console.warn(`PostgreSQL at ${POSTGRES_URL} is unreachable (${String(error)}); running on PGlite`);
    return pglite;
  }
}

let engine: Engine | undefined;

beforeAll(async () => {
  engine = await connectEngine();
});

afterAll(async () => {
  await engine?.close();
});

/** A freshly created database for the whole describe block; each test mutates it in a transaction. */
function useScratchDatabase(label: string, migrations: () => string[]) {
  let scratch: ScratchDatabase | undefined;
  beforeAll(async () => {
    if (!engine) throw new Error('no database engine');
    scratch = await engine.create(label);
    for (const sql of migrations()) await scratch.exec(sql);
  });
  afterAll(async () => {
    await scratch?.dispose();
  });
  const current = (): ScratchDatabase => {
    if (!scratch) throw new Error('scratch database not created');
    return scratch;
  };
  return {
    get db(): Queryable {
      return current().db;
    },
    exec: (sql: string) => current().exec(sql),
    /** DDL is transactional in PostgreSQL, so every mutation is undone after the test. */
    async rolledBack<T>(fn: () => Promise<T>): Promise<T> {
      await current().exec('BEGIN');
      try {
        return await fn();
      } finally {
        await current().exec('ROLLBACK');
      }
    },
  };
}

async function queryOne<R>(db: Queryable, sql: string): Promise<R | undefined> {
  return (await db.query<R>(sql)).rows[0];
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---------------------------------------------------------------------------------------------
// Every domain: migrations must produce exactly the schema, and drift must be caught
// ---------------------------------------------------------------------------------------------

const domains = discoverDomains();

it('finds at least one prisma/<domain>/schema.prisma', () => {
  expect(domains.map((d) => d.name)).not.toHaveLength(0);
});

describe.each(domains)('prisma/$name', (domain) => {
  const scratch = useScratchDatabase(domain.name, () => domain.migrations);
  const diff = (options: Partial<DiffSchemaOptions> = {}): Promise<string[]> =>
    diffSchemaAgainstDatabase({ schemaPath: domain.schemaPath, db: scratch.db, ...options });

  it('has at least one migration', () => {
    expect(domain.migrations).not.toHaveLength(0);
  });

  it('matches schema.prisma after applying every migration', async () => {
    expect(await diff()).toEqual([]);
  });

  it('reports a column that is not in schema.prisma', async () => {
    const target = await queryOne<{ table: string }>(
      scratch.db,
      `SELECT c.relname AS "table" FROM pg_catalog.pg_class c
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'
       ORDER BY c.relname LIMIT 1`,
    );
    expect(target).toBeDefined();
    const { table } = target!;
    await scratch.rolledBack(async () => {
      await scratch.exec(`ALTER TABLE ${quote(table)} ADD COLUMN "driftProbe" integer`);
      expect(await diff()).toEqual([`table ${quote(table)}: column "driftProbe" exists in the database but not in schema.prisma`]);
    });
  });

  it('reports a dropped index', async (ctx) => {
    // Prefer a plain index: a unique one may be what a foreign key points at.
    const target = await queryOne<{ table: string; index: string }>(
      scratch.db,
      `SELECT t.relname AS "table", i.relname AS "index"
       FROM pg_catalog.pg_index ix
       JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
       JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid
       WHERE t.relnamespace = 'public'::regnamespace AND NOT ix.indisprimary
         AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = ix.indexrelid)
       ORDER BY ix.indisunique, t.relname, i.relname LIMIT 1`,
    );
    if (!target) return ctx.skip();
    await scratch.rolledBack(async () => {
      await scratch.exec(`DROP INDEX ${quote(target.index)}`);
      const differences = await diff();
      expect(differences).toHaveLength(1);
      expect(differences[0]).toMatch(
        new RegExp(`^index ${escapeRegExp(quote(target.index))} is missing from the database .*${escapeRegExp(quote(target.table))}`),
      );
    });
  });

  it('reports a column whose nullability changed', async () => {
    // A NOT NULL column outside the primary key can simply drop the constraint; otherwise make a
    // nullable column NOT NULL (the tables are empty, so that succeeds too).
    const target = await queryOne<{ table: string; column: string; notNull: boolean }>(
      scratch.db,
      `SELECT c.relname AS "table", a.attname AS "column", a.attnotnull AS "notNull"
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'
         AND a.attnum > 0 AND NOT a.attisdropped
         AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index ix
                         WHERE ix.indrelid = c.oid AND ix.indisprimary AND a.attnum = ANY (ix.indkey))
       ORDER BY a.attnotnull DESC, c.relname, a.attnum LIMIT 1`,
    );
    expect(target).toBeDefined();
    const { table, column, notNull } = target!;
    await scratch.rolledBack(async () => {
      await scratch.exec(`ALTER TABLE ${quote(table)} ALTER COLUMN ${quote(column)} ${notNull ? 'DROP' : 'SET'} NOT NULL`);
      const [was, is] = notNull ? ['NOT NULL', 'nullable'] : ['nullable', 'NOT NULL'];
      expect(await diff()).toEqual([
        `table ${quote(table)}: column ${quote(column)} is ${is} in the database but ${was} in schema.prisma`,
      ]);
    });
  });

  it('reports a column whose default changed', async (ctx) => {
    const target = await queryOne<{ table: string; column: string; category: string; expression: string }>(
      scratch.db,
      `SELECT c.relname AS "table", a.attname AS "column", t.typcategory AS "category",
              pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS "expression"
       FROM pg_catalog.pg_attrdef d
       JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
       JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
       JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       WHERE c.relnamespace = 'public'::regnamespace AND c.relname <> '_prisma_migrations'
         AND pg_catalog.pg_get_expr(d.adbin, d.adrelid) NOT LIKE 'nextval(%'
       ORDER BY array_position(ARRAY['N', 'S', 'D', 'B']::"char"[], t.typcategory), c.relname, a.attnum LIMIT 1`,
    );
    if (!target) return ctx.skip();
    const { table, column, category, expression } = target;
    const replacement: Record<string, string> = {
      N: '4242',
      S: `'drift-probe'`,
      D: `'2000-01-01'`,
      B: `NOT (${expression})`,
    };
    const change = replacement[category] ? `SET DEFAULT ${replacement[category]}` : 'DROP DEFAULT';
    await scratch.rolledBack(async () => {
      await scratch.exec(`ALTER TABLE ${quote(table)} ALTER COLUMN ${quote(column)} ${change}`);
      const differences = await diff();
      expect(differences).toHaveLength(1);
      expect(differences[0]).toMatch(
        new RegExp(`^table ${escapeRegExp(quote(table))}: column ${escapeRegExp(quote(column))} has (no )?default .* in schema\\.prisma$`),
      );
    });
  });

  it('ignores _prisma_migrations and the tables passed in ignoreTables', async () => {
    await scratch.rolledBack(async () => {
      await scratch.exec(`
        CREATE TABLE IF NOT EXISTS "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY, "checksum" VARCHAR(64) NOT NULL);
        CREATE TABLE "drift_probe_outbox" ("id" BIGSERIAL PRIMARY KEY, "payload" JSONB NOT NULL);
        CREATE INDEX "drift_probe_outbox_payload_idx" ON "drift_probe_outbox" USING GIN ("payload");`);
      expect(await diff()).toEqual(['table "drift_probe_outbox" exists in the database but not in schema.prisma']);
      expect(await diff({ ignoreTables: ['drift_probe_outbox'] })).toEqual([]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The checker itself, on a schema that uses what the identity domain does not (yet)
// ---------------------------------------------------------------------------------------------

const FIXTURE_SCHEMA = String.raw`
datasource db {
  provider = "postgresql"
}

enum Color {
  RED   @map("red")
  GREEN

  @@map("colour")
}

model Post {
  id        Int       @id @default(autoincrement())
  seq       BigInt    @default(autoincrement())
  title     String    @default("it's") @map("post_title") // a comment with "quotes"
  score     Float     @default(1.5)
  price     Decimal   @default(2.5)
  ratio     Decimal?  @db.Decimal(10, 2)
  flags     Boolean   @default(true)
  meta      Json      @default("{\"a\":1,\"b\":[true]}")
  blob      Bytes?
  labels    String[]  @default([])
  numbers   Int[]     @default([1, 2])
  colour    Color     @default(RED)
  colours   Color[]   @default([RED, GREEN])
  day       DateTime  @default(dbgenerated("CURRENT_DATE")) @db.Date
  createdAt DateTime  @default(now())
  updatedAt DateTime  @updatedAt
  small     Int       @default(-1) @db.SmallInt
  search    Unsupported("tsvector")?
  legacy    String?   @ignore @db.VarChar(10)
  authorId  String?   @db.Uuid
  author    Author?   @relation(fields: [authorId], references: [id], onDelete: SetNull, map: "post_author_fk")
  tags      Tag[]

  @@unique([title, score], map: "post_title_score_uniq")
  @@index([createdAt(sort: Desc), id])
  @@index([meta(ops: JsonbPathOps)], type: Gin)
  @@index([search], type: Gin)
  @@map("posts")
}

model Author {
  id    String @id @default(uuid()) @db.Uuid
  email String @unique @db.VarChar(200)
  posts Post[]
}

model Tag {
  name  String @id @db.VarChar(40)
  posts Post[]
}

model Membership {
  authorId String @db.Uuid
  tagName  String @db.VarChar(40)

  @@id([authorId, tagName])
}

model Legacy {
  id Int @id

  @@ignore
}
`;

// What prisma migrate dev generates for FIXTURE_SCHEMA.
const FIXTURE_MIGRATION = String.raw`
CREATE TYPE "colour" AS ENUM ('red', 'GREEN');

CREATE TABLE "posts" (
    "id" SERIAL NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "post_title" TEXT NOT NULL DEFAULT 'it''s',
    "score" DOUBLE PRECISION NOT NULL DEFAULT 1.5,
    "price" DECIMAL(65,30) NOT NULL DEFAULT 2.5,
    "ratio" DECIMAL(10,2),
    "flags" BOOLEAN NOT NULL DEFAULT true,
    "meta" JSONB NOT NULL DEFAULT '{"a":1,"b":[true]}',
    "blob" BYTEA,
    "labels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "numbers" INTEGER[] DEFAULT ARRAY[1, 2]::INTEGER[],
    "colour" "colour" NOT NULL DEFAULT 'red',
    "colours" "colour"[] DEFAULT ARRAY['red', 'GREEN']::"colour"[],
    "day" DATE NOT NULL DEFAULT CURRENT_DATE,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "small" SMALLINT NOT NULL DEFAULT -1,
    "search" tsvector,
    "legacy" VARCHAR(10),
    "authorId" UUID,

    CONSTRAINT "posts_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Author" (
    "id" UUID NOT NULL,
    "email" VARCHAR(200) NOT NULL,

    CONSTRAINT "Author_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Tag" (
    "name" VARCHAR(40) NOT NULL,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("name")
);

CREATE TABLE "Membership" (
    "authorId" UUID NOT NULL,
    "tagName" VARCHAR(40) NOT NULL,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("authorId","tagName")
);

CREATE TABLE "Legacy" (
    "id" INTEGER NOT NULL,

    CONSTRAINT "Legacy_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "_PostToTag" (
    "A" INTEGER NOT NULL,
    "B" VARCHAR(40) NOT NULL,

    CONSTRAINT "_PostToTag_AB_pkey" PRIMARY KEY ("A","B")
);

CREATE UNIQUE INDEX "post_title_score_uniq" ON "posts"("post_title", "score");
CREATE INDEX "posts_createdAt_id_idx" ON "posts"("createdAt" DESC, "id");
CREATE INDEX "posts_meta_idx" ON "posts" USING GIN ("meta" jsonb_path_ops);
CREATE INDEX "posts_search_idx" ON "posts" USING GIN ("search");
CREATE UNIQUE INDEX "Author_email_key" ON "Author"("email");
CREATE INDEX "_PostToTag_B_index" ON "_PostToTag"("B");

ALTER TABLE "posts" ADD CONSTRAINT "post_author_fk" FOREIGN KEY ("authorId") REFERENCES "Author"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_A_fkey" FOREIGN KEY ("A") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_B_fkey" FOREIGN KEY ("B") REFERENCES "Tag"("name") ON DELETE CASCADE ON UPDATE CASCADE;
`;

describe('diffSchemaAgainstDatabase on a feature-rich schema', () => {
  const fixtureDir = mkdtempSync(join(tmpdir(), 'schema-drift-'));
  const schemaPath = join(fixtureDir, 'schema.prisma');
  writeFileSync(schemaPath, FIXTURE_SCHEMA);
  afterAll(() => rmSync(fixtureDir, { recursive: true, force: true }));

  const scratch = useScratchDatabase('fixture', () => [FIXTURE_MIGRATION]);
  const diff = (): Promise<string[]> => diffSchemaAgainstDatabase({ schemaPath, db: scratch.db });

  it('matches the SQL Prisma generates for it', async () => {
    expect(await diff()).toEqual([]);
  });

  it.each([
    {
      drift: 'a widened column',
      sql: `ALTER TABLE "Author" ALTER COLUMN "email" TYPE VARCHAR(254)`,
      expected: ['table "Author": column "email" is varchar(254) in the database but varchar(200) in schema.prisma'],
    },
    {
      drift: 'an enum default changed',
      sql: `ALTER TABLE "posts" ALTER COLUMN "colour" SET DEFAULT 'GREEN'`,
      expected: [`table "posts": column "colour" has default 'GREEN'::colour in the database but 'red' in schema.prisma`],
    },
    {
      drift: 'a JSON default changed',
      sql: `ALTER TABLE "posts" ALTER COLUMN "meta" SET DEFAULT '{"a":2}'`,
      expected: [`table "posts": column "meta" has default '{"a": 2}'::jsonb in the database but '{"a":1,"b":[true]}' in schema.prisma`],
    },
    {
      drift: 'a serial turned into a plain column',
      sql: `ALTER TABLE "posts" ALTER COLUMN "seq" DROP DEFAULT`,
      expected: ['table "posts": column "seq" has no default in the database but autoincrement() in schema.prisma'],
    },
    {
      drift: 'an enum value added',
      sql: `ALTER TYPE "colour" ADD VALUE 'BLUE'`,
      expected: [`enum "colour" has values 'red', 'GREEN', 'BLUE' in the database but 'red', 'GREEN' in schema.prisma`],
    },
    {
      drift: 'a renamed index',
      sql: `ALTER INDEX "posts_meta_idx" RENAME TO "posts_meta_gin"`,
      expected: [
        'index "posts_meta_idx" is named "posts_meta_gin" in the database (INDEX ON "posts" USING gin ("meta" JsonbPathOps))',
      ],
    },
    {
      drift: 'an index with the wrong sort order',
      sql: `DROP INDEX "posts_createdAt_id_idx"; CREATE INDEX "posts_createdAt_id_idx" ON "posts"("createdAt", "id")`,
      expected: [
        'index "posts_createdAt_id_idx" is INDEX ON "posts" ("createdAt", "id") in the database but INDEX ON "posts" ("createdAt" DESC, "id") in schema.prisma',
      ],
    },
    {
      drift: 'a unique index made plain',
      sql: `DROP INDEX "Author_email_key"; CREATE INDEX "Author_email_key" ON "Author"("email")`,
      expected: [
        'index "Author_email_key" is INDEX ON "Author" ("email") in the database but UNIQUE INDEX ON "Author" ("email") in schema.prisma',
      ],
    },
    {
      drift: 'a foreign key with another ON DELETE action',
      sql: `ALTER TABLE "posts" DROP CONSTRAINT "post_author_fk";
            ALTER TABLE "posts" ADD CONSTRAINT "post_author_fk" FOREIGN KEY ("authorId") REFERENCES "Author"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
      expected: [
        'table "posts": foreign key "post_author_fk" is FOREIGN KEY ("authorId") REFERENCES "Author"("id") ON DELETE CASCADE ON UPDATE CASCADE in the database but FOREIGN KEY ("authorId") REFERENCES "Author"("id") ON DELETE SET NULL ON UPDATE CASCADE in schema.prisma',
      ],
    },
    {
      drift: 'a missing implicit many-to-many foreign key',
      sql: `ALTER TABLE "_PostToTag" DROP CONSTRAINT "_PostToTag_B_fkey"`,
      expected: [
        'table "_PostToTag": foreign key "_PostToTag_B_fkey" is missing from the database (schema.prisma declares FOREIGN KEY ("B") REFERENCES "Tag"("name") ON DELETE CASCADE ON UPDATE CASCADE)',
      ],
    },
    {
      drift: 'a renamed foreign key',
      sql: `ALTER TABLE "_PostToTag" RENAME CONSTRAINT "_PostToTag_A_fkey" TO "post_tags_post_fkey"`,
      expected: [
        'table "_PostToTag": foreign key "_PostToTag_A_fkey" is named "post_tags_post_fkey" in the database (FOREIGN KEY ("A") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE CASCADE)',
      ],
    },
    {
      drift: 'a primary key with another name',
      sql: `ALTER TABLE "Membership" RENAME CONSTRAINT "Membership_pkey" TO "membership_pk"`,
      expected: [
        'table "Membership": primary key is "membership_pk" ("authorId", "tagName") in the database but "Membership_pkey" ("authorId", "tagName") in schema.prisma',
      ],
    },
    {
      drift: 'an Unsupported column with another type',
      // The GIN index on "search" cannot survive the type change.
      sql: `DROP INDEX "posts_search_idx"; ALTER TABLE "posts" ALTER COLUMN "search" TYPE text`,
      expected: [
        'table "posts": column "search" is text in the database but tsvector in schema.prisma',
        'index "posts_search_idx" is missing from the database (schema.prisma declares INDEX ON "posts" USING gin ("search"))',
      ],
    },
    {
      drift: 'an @ignore column made NOT NULL',
      sql: `ALTER TABLE "posts" ALTER COLUMN "legacy" SET NOT NULL`,
      expected: ['table "posts": column "legacy" is NOT NULL in the database but nullable in schema.prisma'],
    },
    {
      drift: 'objects Prisma cannot model',
      sql: `ALTER TABLE "posts" ADD CONSTRAINT "posts_score_check" CHECK ("score" >= 0);
            CREATE VIEW "post_titles" AS SELECT "post_title" FROM "posts";
            CREATE SEQUENCE "stray_seq";
            CREATE DOMAIN "positive_int" AS integer CHECK (VALUE > 0);`,
      expected: [
        'view "post_titles" exists in the database but not in schema.prisma',
        'sequence "stray_seq" exists in the database but not in schema.prisma',
        'table "posts": check constraint "posts_score_check" exists in the database but not in schema.prisma (CHECK ((score >= (0)::double precision)))',
        'domain "positive_int" exists in the database but not in schema.prisma',
      ],
    },
    {
      drift: 'nothing visible: the @@ignore model is only required to exist',
      sql: `ALTER TABLE "Legacy" ADD COLUMN "anything" text`,
      expected: [],
    },
  ])('reports $drift', async ({ sql, expected }) => {
    await scratch.rolledBack(async () => {
      await scratch.exec(sql);
      expect(await diff()).toEqual(expected);
    });
  });

  it('reports a missing table once, not once per column, index and key', async () => {
    await scratch.rolledBack(async () => {
      await scratch.exec(`DROP TABLE "_PostToTag"`);
      expect(await diff()).toEqual(['table "_PostToTag" is missing from the database']);
    });
  });
});
