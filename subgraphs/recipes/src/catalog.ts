import { newEvent, publish, RecipeDeleted, RecipePublished, RecipeUpdated, type RecipeSnapshot } from '@calos/events';
import { forbidden, isUuid, notFound, parseInput } from '@calos/kernel';
import type { DomainServices } from '@calos/service';
import type { Prisma, PrismaClient } from './generated/prisma/client.js';
import { ingredientsOf, recipeSelect, type RecipeRow } from './recipe-row.js';
import { createRecipeInput, ratingInput, updateRecipeInput, type CreateRecipeInput } from './validation.js';

export type RecipesServices = DomainServices<PrismaClient>;
type Tx = Prisma.TransactionClient;

/** Recomputes the weighted full-text document of a recipe (inside the writing transaction). */
async function refreshSearchVector(tx: Tx, id: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE "recipes" SET "searchVector" =
        setweight(to_tsvector('english', coalesce("title", '')), 'A')
     || setweight(to_tsvector('english', array_to_string("tags", ' ')), 'B')
     || setweight(to_tsvector('english', coalesce((SELECT string_agg(i->>'name', ' ') FROM jsonb_array_elements("ingredients") i), '')), 'B')
     || setweight(to_tsvector('english', coalesce("cuisine", '')), 'B')
     || setweight(to_tsvector('english', coalesce("description", '')), 'C')
    WHERE "id" = ${id}::uuid`;
}

export function snapshotOf(recipe: RecipeRow): RecipeSnapshot {
  return {
    recipeId: recipe.id,
    authorId: recipe.authorId,
    title: recipe.title,
    serves: recipe.serves,
    ingredients: ingredientsOf(recipe),
    visibility: recipe.visibility,
    tags: recipe.tags,
    // 0 + 0 is what a recipe without times stores: unknown, not instant.
    totalMinutes: recipe.prepTimeMinutes + recipe.cookTimeMinutes || null,
  };
}

export async function createRecipe(services: RecipesServices, authorId: string, rawInput: unknown): Promise<RecipeRow> {
  return insertRecipe(services, authorId, parseInput(createRecipeInput, rawInput));
}

/** Saves a validated recipe (a user's, or one an AI generation wrote) and announces it. */
export async function insertRecipe(services: RecipesServices, authorId: string, input: CreateRecipeInput, aiGenerationId?: string): Promise<RecipeRow> {
  const recipe = await services.db.$transaction(async (tx) => {
    const created = await tx.recipe.create({
      data: {
        authorId,
        aiGenerationId: aiGenerationId ?? null,
        title: input.title,
        description: input.description ?? '',
        cuisine: input.cuisine || null,
        difficulty: input.difficulty ?? 'MEDIUM',
        prepTimeMinutes: input.prepTimeMinutes ?? 0,
        cookTimeMinutes: input.cookTimeMinutes ?? 0,
        serves: input.serves,
        calories: input.calories ?? null,
        ingredients: input.ingredients,
        instructions: input.instructions,
        nutrition: input.nutrition ?? undefined,
        allergens: input.allergens ?? [],
        tags: [...new Set(input.tags ?? [])],
        imageUrl: input.imageUrl ?? null,
        visibility: input.visibility ?? 'PRIVATE',
      },
      select: recipeSelect,
    });
    await refreshSearchVector(tx, created.id);
    await publish(tx, newEvent(RecipePublished, created.id, snapshotOf(created)));
    return created;
  });
  services.events.relay.wake();
  return recipe;
}

/** The recipe if the viewer is its author; NOT_FOUND if they cannot see it, FORBIDDEN if they only may read it. */
async function authored(tx: Tx, id: string, viewerId: string): Promise<RecipeRow> {
  const recipe = isUuid(id) ? await tx.recipe.findUnique({ where: { id }, select: recipeSelect }) : null;
  if (!recipe || (recipe.visibility === 'PRIVATE' && recipe.authorId !== viewerId)) throw notFound('Recipe');
  if (recipe.authorId !== viewerId) throw forbidden('Only the author can change this recipe.');
  return recipe;
}

export async function updateRecipe(services: RecipesServices, id: string, viewerId: string, rawInput: unknown): Promise<RecipeRow> {
  const input = parseInput(updateRecipeInput, rawInput);
  const recipe = await services.db.$transaction(async (tx) => {
    await authored(tx, id, viewerId);
    const data: Prisma.RecipeUpdateInput = {};
    if (input.title !== undefined) data.title = input.title;
    if (input.description !== undefined) data.description = input.description ?? '';
    if (input.cuisine !== undefined) data.cuisine = input.cuisine || null;
    if (input.difficulty !== undefined) data.difficulty = input.difficulty;
    if (input.prepTimeMinutes !== undefined) data.prepTimeMinutes = input.prepTimeMinutes;
    if (input.cookTimeMinutes !== undefined) data.cookTimeMinutes = input.cookTimeMinutes;
    if (input.serves !== undefined) data.serves = input.serves;
    if (input.calories !== undefined) data.calories = input.calories;
    if (input.ingredients !== undefined) data.ingredients = input.ingredients;
    if (input.instructions !== undefined) data.instructions = input.instructions;
    if (input.nutrition !== undefined) data.nutrition = input.nutrition ?? undefined;
    if (input.allergens !== undefined) data.allergens = input.allergens;
    if (input.tags !== undefined) data.tags = [...new Set(input.tags)];
    if (input.imageUrl !== undefined) data.imageUrl = input.imageUrl;
    if (input.visibility !== undefined) data.visibility = input.visibility;
    const updated = await tx.recipe.update({ where: { id }, data, select: recipeSelect });
    await refreshSearchVector(tx, id);
    await publish(tx, newEvent(RecipeUpdated, id, snapshotOf(updated)));
    return updated;
  });
  services.events.relay.wake();
  return recipe;
}

export async function deleteRecipe(services: RecipesServices, id: string, viewerId: string): Promise<string> {
  await services.db.$transaction(async (tx) => {
    const recipe = await authored(tx, id, viewerId);
    await removeRecipe(tx, recipe);
  });
  services.events.relay.wake();
  return id;
}

/** Deletes a recipe, the saved references to it, and tells other domains. */
export async function removeRecipe(tx: Tx, recipe: Pick<RecipeRow, 'id' | 'authorId'>): Promise<void> {
  await tx.savedRecipe.deleteMany({ where: { source: 'RECIPES', refId: recipe.id } });
  await tx.recipe.delete({ where: { id: recipe.id } });
  await publish(tx, newEvent(RecipeDeleted, recipe.id, { recipeId: recipe.id, authorId: recipe.authorId }));
}

/**
 * One rating per user per recipe. The recipe row is locked first, so concurrent ratings
 * of one recipe apply one after another and its count and sum stay exact.
 */
export async function rateRecipe(services: RecipesServices, id: string, userId: string, rawInput: unknown): Promise<RecipeRow> {
  const input = parseInput(ratingInput, rawInput);
  return services.db.$transaction(async (tx) => {
    const locked = isUuid(id)
      ? await tx.$queryRaw<Array<{ authorId: string; visibility: string }>>`
          SELECT "authorId", "visibility" FROM "recipes" WHERE "id" = ${id}::uuid FOR UPDATE`
      : [];
    const target = locked[0];
    if (!target || (target.visibility === 'PRIVATE' && target.authorId !== userId)) throw notFound('Recipe');
    const previous = await tx.recipeRating.findUnique({ where: { recipeId_userId: { recipeId: id, userId } } });
    await tx.recipeRating.upsert({
      where: { recipeId_userId: { recipeId: id, userId } },
      create: { recipeId: id, userId, stars: input.stars, review: input.review ?? null },
      update: { stars: input.stars, review: input.review ?? null },
    });
    return tx.recipe.update({
      where: { id },
      data: previous
        ? { ratingSum: { increment: input.stars - previous.stars } }
        : { ratingSum: { increment: input.stars }, ratingCount: { increment: 1 } },
      select: recipeSelect,
    });
  });
}

export async function saveRecipe(services: RecipesServices, id: string, userId: string, visible: (id: string) => Promise<RecipeRow | null>) {
  if (!isUuid(id) || !(await visible(id))) throw notFound('Recipe');
  return services.db.savedRecipe.upsert({
    where: { userId_source_refId: { userId, source: 'RECIPES', refId: id } },
    create: { userId, source: 'RECIPES', refId: id },
    update: {},
  });
}

export async function unsaveRecipe(services: RecipesServices, id: string, userId: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const { count } = await services.db.savedRecipe.deleteMany({ where: { userId, source: 'RECIPES', refId: id } });
  return count > 0;
}
