import DataLoader from 'dataloader';
import { isUuid } from '@calos/kernel';
import { Prisma, type PrismaClient, type SavedRecipe } from './generated/prisma/client.js';
import { encodeCursor, toPage, type Page } from '@calos/service';
import { RECIPE_COLUMNS, recipeSelect, type RecipeRow } from './recipe-row.js';

/** Per-request loaders: N recipes, ratings or authors' lists cost one statement per kind. */
export function createLoaders(db: PrismaClient, viewerId: string | null) {
  const visible = viewerId ? { OR: [{ visibility: 'PUBLIC' as const }, { authorId: viewerId }] } : { visibility: 'PUBLIC' as const };
  return {
    /** Recipes the viewer may see (others resolve to null: a private recipe does not exist for them). */
    recipe: new DataLoader<string, RecipeRow | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await db.recipe.findMany({ where: { id: { in: valid }, ...visible }, select: recipeSelect }) : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    viewerRating: new DataLoader<string, number | null>(async (recipeIds) => {
      if (!viewerId) return recipeIds.map(() => null);
      const rows = await db.recipeRating.findMany({ where: { userId: viewerId, recipeId: { in: [...recipeIds] } }, select: { recipeId: true, stars: true } });
      const byId = new Map(rows.map((r) => [r.recipeId, r.stars]));
      return recipeIds.map((id) => byId.get(id) ?? null);
    }),
    /** The first page of each author's recipes, for many authors in one statement. */
    recipesByAuthor: new DataLoader<string, Page<RecipeRow>, string>(
      async (keys) => {
        const parsed = keys.map((k) => JSON.parse(k) as { authorId: string; first: number });
        const first = Math.max(...parsed.map((p) => p.first));
        const authorIds = [...new Set(parsed.map((p) => p.authorId))];
        const visibility = viewerId ? Prisma.sql`(r."visibility" = 'PUBLIC' OR r."authorId" = ${viewerId}::uuid)` : Prisma.sql`r."visibility" = 'PUBLIC'`;
        const [rows, counts] = await Promise.all([
          db.$queryRaw<Array<RecipeRow & { rn: bigint }>>`
            SELECT * FROM (
              SELECT ${RECIPE_COLUMNS}, row_number() OVER (PARTITION BY r."authorId" ORDER BY r."createdAt" DESC, r."id" DESC) AS "rn"
              FROM "recipes" r WHERE r."authorId" = ANY(${authorIds}::uuid[]) AND ${visibility}) s
            WHERE s."rn" <= ${first + 1} ORDER BY s."authorId", s."rn"`,
          db.$queryRaw<Array<{ authorId: string; n: bigint }>>`
            SELECT r."authorId", count(*) AS n FROM "recipes" r WHERE r."authorId" = ANY(${authorIds}::uuid[]) AND ${visibility} GROUP BY r."authorId"`,
        ]);
        const countOf = new Map(counts.map((c) => [c.authorId, Number(c.n)]));
        return parsed.map(({ authorId, first: wanted }) => {
          const mine = rows.filter((r) => r.authorId === authorId).slice(0, wanted + 1);
          return toPage(mine, wanted, (r) => encodeCursor({ c: r.createdAt.toISOString(), id: r.id }), countOf.get(authorId) ?? 0, false);
        });
      },
      { cacheKeyFn: (k) => k },
    ),
    savedByUser: new DataLoader<string, SavedRecipe[]>(async (userIds) => {
      const rows = await db.savedRecipe.findMany({ where: { userId: { in: [...userIds] } }, orderBy: [{ savedAt: 'desc' }, { id: 'asc' }] });
      return userIds.map((id) => rows.filter((r) => r.userId === id));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
