import { awaitReadModel } from '@calos/kernel';
import { RecipeDeleted, RecipePublished, RecipeUpdated, type EventEnvelope } from '@calos/events';
import type { Prisma, PrismaClient, RecipeSnapshot } from './generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

export interface SnapshotIngredient {
  name: string;
  quantity: number | null;
  unit: string | null;
  note: string | null;
}

export const ingredientsOf = (snapshot: RecipeSnapshot) => snapshot.ingredients as unknown as SnapshotIngredient[];

/**
 * Keeps `recipe_snapshots` in step with the recipes domain. Events of one recipe can
 * arrive out of order after a redelivery; the aggregate version decides, so an older
 * snapshot never overwrites a newer one, and a deleted recipe stays deleted.
 */
export async function applyRecipeEvent(event: EventEnvelope, tx: Tx): Promise<void> {
  if (event.eventType === RecipeDeleted.type) {
    const { recipeId } = RecipeDeleted.schema.parse(event.data);
    await tx.recipeSnapshot.deleteMany({ where: { recipeId, version: { lt: event.version } } });
    return;
  }
  const data = (event.eventType === RecipePublished.type ? RecipePublished : RecipeUpdated).schema.parse(event.data);
  const values = {
    authorId: data.authorId,
    title: data.title,
    serves: data.serves,
    ingredients: data.ingredients,
    visibility: data.visibility,
    tags: data.tags,
    totalMinutes: data.totalMinutes,
    version: event.version,
    updatedAt: new Date(event.occurredAt),
  };
  await tx.$executeRaw`
    INSERT INTO "recipe_snapshots" ("recipeId", "authorId", "title", "serves", "ingredients", "visibility", "tags", "totalMinutes", "version", "updatedAt")
    VALUES (${data.recipeId}::uuid, ${values.authorId}::uuid, ${values.title}, ${values.serves}, ${JSON.stringify(values.ingredients)}::jsonb,
            ${values.visibility}, ${values.tags}::text[], ${values.totalMinutes}, ${values.version}, ${values.updatedAt})
    ON CONFLICT ("recipeId") DO UPDATE SET
      "authorId" = EXCLUDED."authorId", "title" = EXCLUDED."title", "serves" = EXCLUDED."serves", "ingredients" = EXCLUDED."ingredients",
      "visibility" = EXCLUDED."visibility", "tags" = EXCLUDED."tags", "totalMinutes" = EXCLUDED."totalMinutes",
      "version" = EXCLUDED."version", "updatedAt" = EXCLUDED."updatedAt"
    WHERE "recipe_snapshots"."version" < EXCLUDED."version"`;
}

export const recipeEventHandlers = {
  [RecipePublished.type]: applyRecipeEvent,
  [RecipeUpdated.type]: applyRecipeEvent,
  [RecipeDeleted.type]: applyRecipeEvent,
};

/**
 * A recipe the user may plan with (public, or their own). The read model follows the
 * recipes domain within milliseconds; a recipe created a moment ago is waited for briefly
 * (see awaitReadModel) so a client can create a recipe and plan it right away.
 */
export async function plannableRecipe(db: PrismaClient, recipeId: string, userId: string): Promise<RecipeSnapshot | null> {
  const snapshot = await awaitReadModel(() => db.recipeSnapshot.findUnique({ where: { recipeId } }));
  return snapshot && (snapshot.visibility === 'PUBLIC' || snapshot.authorId === userId) ? snapshot : null;
}
