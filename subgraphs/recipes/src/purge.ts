import { newEvent, publish, UserDataPurged, UserDeleted, type EventEnvelope } from '@calos/events';
import type { Prisma } from './generated/prisma/client.js';
import { removeRecipe } from './catalog.js';

export const DOMAIN = 'recipes';

/**
 * Account deletion: the user's recipes, ratings and saved recipes go; ratings they gave
 * are taken out of other recipes' averages. Reports UserDataPurged in the same transaction.
 */
export async function purgeUserData(event: EventEnvelope, tx: Prisma.TransactionClient): Promise<void> {
  const { userId } = UserDeleted.schema.parse(event.data);
  let rows = 0;
  const ratings = await tx.recipeRating.findMany({ where: { userId }, select: { recipeId: true, stars: true }, orderBy: { recipeId: 'asc' } });
  for (const rating of ratings) {
    await tx.$queryRaw`SELECT 1 FROM "recipes" WHERE "id" = ${rating.recipeId}::uuid FOR UPDATE`;
    await tx.recipe.update({ where: { id: rating.recipeId }, data: { ratingSum: { decrement: rating.stars }, ratingCount: { decrement: 1 } } });
  }
  rows += (await tx.recipeRating.deleteMany({ where: { userId } })).count;
  rows += (await tx.savedRecipe.deleteMany({ where: { userId } })).count;
  const recipes = await tx.recipe.findMany({ where: { authorId: userId }, select: { id: true, authorId: true } });
  for (const recipe of recipes) await removeRecipe(tx, recipe);
  rows += recipes.length;
  await publish(tx, newEvent(UserDataPurged, userId, { userId, domain: DOMAIN, purgedAt: new Date().toISOString(), rowsAffected: rows }));
}
