import { isUuid } from '@calos/kernel';
import { join, raw, sqltag as sql, type Sql } from '@prisma/client/runtime/client';
import { decodeCursor, encodeCursor, toPage, type Page } from './pagination.js';

export interface CatalogueQuery {
  /** The table (a constant of the calling domain, aliased `r`), e.g. `recipes`. */
  table: string;
  /** Its selected columns (`r."id", …`). */
  columns: Sql;
  viewerId: string | null;
  search: string | null | undefined;
  authorId: string | null | undefined;
  /** The domain's own filters (on alias `r`). */
  filters: Sql[];
  first: number;
  after: string | null | undefined;
}

type Ranked<T> = T & { rank: number | null };

/**
 * A recipe-like catalogue (a table with `searchVector`, `visibility`, `authorId`, `createdAt`):
 * PostgreSQL web-search full text ranked with ts_rank (newest first without a search), private
 * rows only for their author, and keyset pagination that stays stable while rows are added.
 */
export async function searchCatalogue<T extends { id: string; createdAt: Date }>(
  db: { $queryRaw<R>(query: Sql): Promise<R> },
  query: CatalogueQuery,
): Promise<Page<T>> {
  const { viewerId, first, after } = query;
  const search = query.search?.trim() || null;
  const conditions: Sql[] = [
    // Private rows exist only for their author.
    viewerId ? sql`(r."visibility" = 'PUBLIC' OR r."authorId" = ${viewerId}::uuid)` : sql`r."visibility" = 'PUBLIC'`,
    ...query.filters,
  ];
  if (search) conditions.push(sql`r."searchVector" @@ websearch_to_tsquery('english', ${search})`);
  if (query.authorId) {
    if (!isUuid(query.authorId)) return toPage([], first, () => '', 0, Boolean(after));
    conditions.push(sql`r."authorId" = ${query.authorId}::uuid`);
  }
  const where = join(conditions, ' AND ');
  const rank = search ? sql`ts_rank(r."searchVector", websearch_to_tsquery('english', ${search}))` : sql`NULL::real`;

  let keyset = sql`TRUE`;
  if (after) {
    if (search) {
      const c = decodeCursor(after, ['r', 'id'] as const);
      keyset = sql`(s."rank" < ${c.r}::real OR (s."rank" = ${c.r}::real AND s."id" > ${c.id}::uuid))`;
    } else {
      const c = decodeCursor(after, ['c', 'id'] as const);
      keyset = sql`(s."createdAt" < ${c.c}::timestamptz OR (s."createdAt" = ${c.c}::timestamptz AND s."id" < ${c.id}::uuid))`;
    }
  }
  const order = search ? sql`s."rank" DESC, s."id" ASC` : sql`s."createdAt" DESC, s."id" DESC`;
  const table = raw(`"${query.table}"`);

  const [rows, counted] = await Promise.all([
    db.$queryRaw<Ranked<T>[]>(sql`
      SELECT * FROM (SELECT ${query.columns}, ${rank} AS "rank" FROM ${table} r WHERE ${where}) s
      WHERE ${keyset} ORDER BY ${order} LIMIT ${first + 1}`),
    db.$queryRaw<Array<{ n: bigint }>>(sql`SELECT count(*) AS n FROM ${table} r WHERE ${where}`),
  ]);
  const cursorOf = (row: Ranked<T>) =>
    search ? encodeCursor({ r: String(row.rank), id: row.id }) : encodeCursor({ c: row.createdAt.toISOString(), id: row.id });
  return toPage(rows, first, cursorOf, Number(counted[0]?.n ?? 0), Boolean(after));
}
