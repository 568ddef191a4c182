import { isUuid } from '@calos/kernel';
import { Prisma, type PrismaClient } from './generated/prisma/client.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '@calos/service';
import { SPOOKY_COLUMNS, type SpookyRecipeRow } from './spooky-recipe-row.js';
import type { SpookyRecipeFilter } from './validation.js';

/**
 * The spooky recipe catalogue query: PostgreSQL full-text search (weighted: name A, tags and
 * ingredients B) ranked with ts_rank, filters, and keyset pagination that stays stable while
 * rows are added (no duplicates or gaps between pages).
 */
export interface SearchArgs {
  viewerId: string | null;
  filter: SpookyRecipeFilter;
  first: number;
  after: string | null | undefined;
}

type Ranked = SpookyRecipeRow & { rank: number | null };

/** Recomputes the weighted full-text document of a spooky recipe (inside the writing transaction). */
export async function refreshSearchVector(tx: Prisma.TransactionClient, id: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE "spooky_recipes" SET "searchVector" =
        setweight(to_tsvector('english', coalesce("name", '')), 'A')
     || setweight(to_tsvector('english', array_to_string("tags", ' ')), 'B')
     || setweight(to_tsvector('english', coalesce((SELECT string_agg(i->>'name', ' ') FROM jsonb_array_elements("ingredients") i), '')), 'B')
    WHERE "id" = ${id}::uuid`;
}

export async function searchSpookyRecipes(db: PrismaClient, { viewerId, filter, first, after }: SearchArgs): Promise<Page<SpookyRecipeRow>> {
  const search = filter.search?.trim() || null;
  const conditions: Prisma.Sql[] = [
    // Private spooky recipes exist only for their author.
    viewerId ? Prisma.sql`(r."visibility" = 'PUBLIC' OR r."authorId" = ${viewerId}::uuid)` : Prisma.sql`r."visibility" = 'PUBLIC'`,
  ];
  if (search) conditions.push(Prisma.sql`r."searchVector" @@ websearch_to_tsquery('english', ${search})`);
  if (filter.difficulty) conditions.push(Prisma.sql`r."difficulty" = ${filter.difficulty}::"Difficulty"`);
  if (filter.minSpookiness != null) conditions.push(Prisma.sql`r."spookinessLevel" >= ${filter.minSpookiness}`);
  if (filter.maxSpookiness != null) conditions.push(Prisma.sql`r."spookinessLevel" <= ${filter.maxSpookiness}`);
  if (filter.tags?.length) conditions.push(Prisma.sql`r."tags" @> ${filter.tags}::text[]`);
  if (filter.authorId) {
    if (!isUuid(filter.authorId)) return toPage([], first, () => '', 0, Boolean(after));
    conditions.push(Prisma.sql`r."authorId" = ${filter.authorId}::uuid`);
  }
  const where = Prisma.join(conditions, ' AND ');
  const rank = search ? Prisma.sql`ts_rank(r."searchVector", websearch_to_tsquery('english', ${search}))` : Prisma.sql`NULL::real`;

  let keyset = Prisma.sql`TRUE`;
  if (after) {
    if (search) {
      const c = decodeCursor(after, ['r', 'id'] as const);
      keyset = Prisma.sql`(s."rank" < ${c.r}::real OR (s."rank" = ${c.r}::real AND s."id" > ${c.id}::uuid))`;
    } else {
      const c = decodeCursor(after, ['c', 'id'] as const);
      keyset = Prisma.sql`(s."createdAt" < ${c.c}::timestamptz OR (s."createdAt" = ${c.c}::timestamptz AND s."id" < ${c.id}::uuid))`;
    }
  }
  const order = search ? Prisma.sql`s."rank" DESC, s."id" ASC` : Prisma.sql`s."createdAt" DESC, s."id" DESC`;

  const [rows, counted] = await Promise.all([
    db.$queryRaw<Ranked[]>`
      SELECT * FROM (SELECT ${SPOOKY_COLUMNS}, ${rank} AS "rank" FROM "spooky_recipes" r WHERE ${where}) s
      WHERE ${keyset} ORDER BY ${order} LIMIT ${first + 1}`,
    db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM "spooky_recipes" r WHERE ${where}`,
  ]);
  const cursorOf = (row: Ranked) =>
    search ? encodeCursor({ r: String(row.rank), id: row.id }) : encodeCursor({ c: row.createdAt.toISOString(), id: row.id });
  return toPage(rows, first, cursorOf, Number(counted[0]?.n ?? 0), Boolean(after));
}
