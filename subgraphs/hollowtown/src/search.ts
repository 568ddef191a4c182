import { Prisma, type PrismaClient } from './generated/prisma/client.js';
import { searchCatalogue, type Page } from '@calos/service';
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

/** Recomputes the weighted full-text document of a spooky recipe (inside the writing transaction). */
export async function refreshSearchVector(tx: Prisma.TransactionClient, id: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE "spooky_recipes" SET "searchVector" =
        setweight(to_tsvector('english', coalesce("name", '')), 'A')
     || setweight(to_tsvector('english', array_to_string("tags", ' ')), 'B')
     || setweight(to_tsvector('english', coalesce((SELECT string_agg(i->>'name', ' ') FROM jsonb_array_elements("ingredients") i), '')), 'B')
    WHERE "id" = ${id}::uuid`;
}

export function searchSpookyRecipes(db: PrismaClient, { viewerId, filter, first, after }: SearchArgs): Promise<Page<SpookyRecipeRow>> {
  const filters: Prisma.Sql[] = [];
  if (filter.difficulty) filters.push(Prisma.sql`r."difficulty" = ${filter.difficulty}::"Difficulty"`);
  if (filter.minSpookiness != null) filters.push(Prisma.sql`r."spookinessLevel" >= ${filter.minSpookiness}`);
  if (filter.maxSpookiness != null) filters.push(Prisma.sql`r."spookinessLevel" <= ${filter.maxSpookiness}`);
  if (filter.tags?.length) filters.push(Prisma.sql`r."tags" @> ${filter.tags}::text[]`);
  return searchCatalogue<SpookyRecipeRow>(db, {
    table: 'spooky_recipes',
    columns: SPOOKY_COLUMNS,
    viewerId,
    search: filter.search,
    authorId: filter.authorId,
    filters,
    first,
    after,
  });
}
