import { Prisma, type PrismaClient } from './generated/prisma/client.js';
import { searchCatalogue, type Page } from '@calos/service';
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

export function searchRecipes(db: PrismaClient, { viewerId, filter, first, after }: SearchArgs): Promise<Page<RecipeRow>> {
  const filters: Prisma.Sql[] = [];
  if (filter.cuisine) filters.push(Prisma.sql`lower(r."cuisine") = ${filter.cuisine}`);
  if (filter.tags?.length) filters.push(Prisma.sql`r."tags" @> ${filter.tags}::text[]`);
  if (filter.maxTotalMinutes != null) filters.push(Prisma.sql`r."prepTimeMinutes" + r."cookTimeMinutes" <= ${filter.maxTotalMinutes}`);
  if (filter.excludeAllergens?.length) filters.push(Prisma.sql`NOT (r."allergens" && ${filter.excludeAllergens}::text[])`);
  return searchCatalogue<RecipeRow>(db, { table: 'recipes', columns: RECIPE_COLUMNS, viewerId, search: filter.search, authorId: filter.authorId, filters, first, after });
}
