import { newEvent, publish, SpookyRecipeDeleted, SpookyRecipeShared } from '@calos/events';
import { forbidden, isUuid, notFound, parseInput } from '@calos/kernel';
import type { HollowtownServices } from './context.js';
import type { Prisma } from './generated/prisma/client.js';
import { refreshSearchVector } from './search.js';
import { SPOOKY_COLUMNS, spookySelect, visibleTo, type SpookyRecipeRow } from './spooky-recipe-row.js';
import { createSpookyRecipeInput, updateSpookyRecipeInput } from './validation.js';

type Tx = Prisma.TransactionClient;

export async function createSpookyRecipe(services: HollowtownServices, authorId: string, rawInput: unknown): Promise<SpookyRecipeRow> {
  const input = parseInput(createSpookyRecipeInput, rawInput);
  return services.db.$transaction(async (tx) => {
    const created = await tx.spookyRecipe.create({
      data: {
        authorId,
        name: input.name,
        spookinessLevel: input.spookinessLevel,
        difficulty: input.difficulty ?? 'MEDIUM',
        ingredients: input.ingredients,
        instructions: input.instructions,
        prepTimeMinutes: input.prepTimeMinutes ?? 0,
        serves: input.serves,
        tags: [...new Set(input.tags ?? [])],
        imageUrl: input.imageUrl ?? null,
        visibility: input.visibility ?? 'PRIVATE',
      },
      select: spookySelect,
    });
    await refreshSearchVector(tx, created.id);
    return created;
  });
}

/**
 * The spooky recipe, locked for the rest of the transaction (writers of one recipe and its
 * events go one after another). NOT_FOUND if the viewer cannot see it.
 */
async function lockVisible(tx: Tx, id: string, viewerId: string): Promise<SpookyRecipeRow> {
  const locked = isUuid(id) ? await tx.$queryRaw<SpookyRecipeRow[]>`SELECT ${SPOOKY_COLUMNS} FROM "spooky_recipes" r WHERE r."id" = ${id}::uuid FOR UPDATE` : [];
  const recipe = locked[0];
  if (!recipe || !visibleTo(recipe, viewerId)) throw notFound('Spooky recipe');
  return recipe;
}

/** The recipe if the viewer is its author; NOT_FOUND if they cannot see it, FORBIDDEN if they only may read it. */
async function authored(tx: Tx, id: string, viewerId: string): Promise<SpookyRecipeRow> {
  const recipe = await lockVisible(tx, id, viewerId);
  if (recipe.authorId !== viewerId) throw forbidden('Only the author can change this spooky recipe.');
  return recipe;
}

export async function updateSpookyRecipe(services: HollowtownServices, id: string, viewerId: string, rawInput: unknown): Promise<SpookyRecipeRow> {
  const input = parseInput(updateSpookyRecipeInput, rawInput);
  return services.db.$transaction(async (tx) => {
    await authored(tx, id, viewerId);
    const data: Prisma.SpookyRecipeUpdateInput = {};
    if (input.name !== undefined) data.name = input.name;
    if (input.spookinessLevel !== undefined) data.spookinessLevel = input.spookinessLevel;
    if (input.difficulty !== undefined) data.difficulty = input.difficulty;
    if (input.ingredients !== undefined) data.ingredients = input.ingredients;
    if (input.instructions !== undefined) data.instructions = input.instructions;
    if (input.prepTimeMinutes !== undefined) data.prepTimeMinutes = input.prepTimeMinutes;
    if (input.serves !== undefined) data.serves = input.serves;
    if (input.tags !== undefined) data.tags = [...new Set(input.tags)];
    if (input.imageUrl !== undefined) data.imageUrl = input.imageUrl;
    if (input.visibility !== undefined) data.visibility = input.visibility;
    const updated = await tx.spookyRecipe.update({ where: { id }, data, select: spookySelect });
    await refreshSearchVector(tx, id);
    return updated;
  });
}

export async function deleteSpookyRecipe(services: HollowtownServices, id: string, viewerId: string): Promise<string> {
  await services.db.$transaction(async (tx) => {
    const recipe = await authored(tx, id, viewerId);
    await removeSpookyRecipe(tx, recipe);
  });
  services.events.relay.wake();
  return id;
}

/** Deletes a spooky recipe (and its places on event menus), and tells other domains. */
export async function removeSpookyRecipe(tx: Tx, recipe: Pick<SpookyRecipeRow, 'id' | 'authorId'>): Promise<void> {
  await tx.spookyRecipe.delete({ where: { id: recipe.id } });
  await publish(tx, newEvent(SpookyRecipeDeleted, recipe.id, { spookyRecipeId: recipe.id, authorId: recipe.authorId }));
}

/**
 * Saves a spooky recipe into the viewer's My Recipes: the recipes domain stores the
 * reference when it receives SpookyRecipeShared and resolves the content from here, so it
 * always shows the current recipe. Own or public recipes only.
 */
export async function shareSpookyRecipe(services: HollowtownServices, id: string, userId: string): Promise<SpookyRecipeRow> {
  const recipe = await services.db.$transaction(async (tx) => {
    const visible = await lockVisible(tx, id, userId);
    await publish(tx, newEvent(SpookyRecipeShared, visible.id, { spookyRecipeId: visible.id, userId }));
    return visible;
  });
  services.events.relay.wake();
  return recipe;
}
