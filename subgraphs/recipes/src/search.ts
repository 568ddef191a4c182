import { isUuid } from '@calos/kernel';
import { Prisma, type PrismaClient } from './generated/prisma/client.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '@calos/service';
import type { RecipeRow } from './recipe-row.js';
import { RECIPE_COLUMNS } from './recipe-row.js';
import type { RecipeFilter } from './validation.js';

/**
 * The recipe catalogue query: PostgreSQL full-text search (weighted: title A, tags and
 * ingredients B, description C) ranked with ts_rank, filters, and keyset pagination that
 * stays stable while rows are added (no duplicates or gaps between pages).
 */
export interface SearchArgs {
  viewerId: string | null;
  filter: RecipeFilter;
  first: number;
  after: string | null | undefined;
}

type Ranked = RecipeRow & { rank: number | null };

export async function searchRecipes(db: PrismaClient, { viewerId, filter, first, after }: SearchArgs): Promise<Page<RecipeRow>> {
  const search = filter.search?.trim() || null;
  const conditions: Prisma.Sql[] = [
    // Private recipes exist only for their author.
    viewerId ? Prisma.sql`(r."visibility" = 'PUBLIC' OR r."authorId" = ${viewerId}::uuid)` : Prisma.sql`r."visibility" = 'PUBLIC'`,
  ];
  if (search) conditions.push(Prisma.sql`r."searchVector" @@ websearch_to_tsquery('english', ${search})`);
  if (filter.cuisine) conditions.push(Prisma.sql`lower(r."cuisine") = ${filter.cuisine}`);
  if (filter.tags?.length) conditions.push(Prisma.sql`r."tags" @> ${filter.tags}::text[]`);
  if (filter.maxTotalMinutes != null) conditions.push(Prisma.sql`r."prepTimeMinutes" + r."cookTimeMinutes" <= ${filter.maxTotalMinutes}`);
  if (filter.excludeAllergens?.length) conditions.push(Prisma.sql`NOT (r."allergens" && ${filter.excludeAllergens}::text[])`);
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
      SELECT * FROM (SELECT ${RECIPE_COLUMNS}, ${rank} AS "rank" FROM "recipes" r WHERE ${where}) s
      WHERE ${keyset} ORDER BY ${order} LIMIT ${first + 1}`,
    db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM "recipes" r WHERE ${where}`,
  ]);
  const cursorOf = (row: Ranked) =>
    search ? encodeCursor({ r: String(row.rank), id: row.id }) : encodeCursor({ c: row.createdAt.toISOString(), id: row.id });
  return toPage(rows, first, cursorOf, Number(counted[0]?.n ?? 0), Boolean(after));
}
