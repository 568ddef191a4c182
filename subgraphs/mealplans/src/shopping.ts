import { forbidden, isUuid, notFound, parseInput } from '@calos/kernel';
import { accessibleList, accessiblePlan, assertMayDelete, isMemberOf } from './access.js';
import type { MealplansServices } from './context.js';
import type { Prisma, ShoppingItem, ShoppingList } from './generated/prisma/client.js';
import { ingredientsOf, plannableRecipe } from './recipe-read-model.js';
import { aggregateShoppingList, scaleIngredients, type IngredientNeed, type PantryStock, type ShoppingLine } from './shopping-aggregation.js';
import { servingsInput, shoppingItemInput, shoppingListInput, uuidArg } from './validation.js';

type Tx = Prisma.TransactionClient;
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Plain counts are stored without a unit, as recipes write them ("3 eggs"). */
const storedUnit = (unit: string | null) => (unit === 'piece' ? null : unit);

/** Checked state survives regeneration for lines that are still on the list. */
const lineKey = (item: { name: string; unit: string | null }) => `${item.name}\u0000${item.unit ?? ''}`;

async function replaceItems(tx: Tx, listId: string, lines: ShoppingLine[], previous: ShoppingItem[]): Promise<void> {
  const checked = new Map(previous.filter((i) => i.checked).map((i) => [lineKey(i), i]));
  await tx.shoppingItem.deleteMany({ where: { listId } });
  await tx.shoppingItem.createMany({
    data: lines.map((line, position) => {
      const was = checked.get(lineKey({ name: line.name, unit: storedUnit(line.unit) }));
      return {
        listId,
        position,
        name: line.name,
        quantity: line.quantity,
        unit: storedUnit(line.unit),
        sources: line.sources as unknown as Prisma.InputJsonValue,
        checked: Boolean(was),
        checkedBy: was?.checkedBy ?? null,
        checkedAt: was?.checkedAt ?? null,
      };
    }),
  });
}

/**
 * Builds the plan's shopping list from the recipe read model: every entry scaled to its
 * servings, aggregated (see shopping-aggregation.ts), minus the owner's pantry.
 */
export async function generateShoppingList(services: MealplansServices, userId: string, planId: string, excludePantry: boolean): Promise<ShoppingList> {
  const { db } = services;
  const { plan } = await accessiblePlan(db, planId, userId);
  const entries = await db.mealPlanEntry.findMany({ where: { mealPlanId: plan.id } });
  const snapshots = await db.recipeSnapshot.findMany({ where: { recipeId: { in: [...new Set(entries.map((e) => e.recipeId))] } } });
  const byId = new Map(snapshots.map((s) => [s.recipeId, s]));
  const needs: IngredientNeed[] = [];
  for (const entry of entries) {
    const recipe = byId.get(entry.recipeId);
    if (!recipe) continue; // deleted since it was planned
    for (const ingredient of scaleIngredients(ingredientsOf(recipe), recipe.serves, entry.servings)) {
      needs.push({
        name: ingredient.name,
        quantity: ingredient.quantity,
        unit: ingredient.unit,
        source: { recipeId: recipe.recipeId, recipeTitle: recipe.title, date: day(entry.date), slot: entry.slot },
      });
    }
  }
  const pantry: PantryStock[] = excludePantry
    ? (await db.pantryItem.findMany({ where: { ownerId: plan.ownerId } })).map((p) => ({ name: p.name, quantity: p.quantity, unit: p.unit }))
    : [];
  const lines = aggregateShoppingList(needs, pantry);
  return db.$transaction(async (tx) => {
    const existing = await tx.shoppingList.findUnique({ where: { mealPlanId: plan.id }, include: { items: true } });
    const list =
      existing ??
      (await tx.shoppingList.create({ data: { ownerId: plan.ownerId, familyId: plan.familyId, name: `Shopping for ${plan.name}`, mealPlanId: plan.id } }));
    await replaceItems(tx, list.id, lines, existing?.items ?? []);
    return tx.shoppingList.update({ where: { id: list.id }, data: { updatedAt: new Date() } });
  });
}

export async function createShoppingList(services: MealplansServices, ownerId: string, rawInput: unknown): Promise<ShoppingList> {
  const input = parseInput(shoppingListInput, rawInput);
  return services.db.shoppingList.create({ data: { ownerId, name: input.name } });
}

export async function deleteShoppingList(services: MealplansServices, userId: string, id: string): Promise<string> {
  const { list, memberships } = await accessibleList(services.db, id, userId);
  assertMayDelete(list, userId, memberships);
  await services.db.shoppingList.delete({ where: { id } });
  return id;
}

export async function addShoppingItem(services: MealplansServices, userId: string, listId: string, rawInput: unknown): Promise<ShoppingItem> {
  const input = parseInput(shoppingItemInput, rawInput);
  const { list } = await accessibleList(services.db, listId, userId);
  const position = await services.db.shoppingItem.count({ where: { listId: list.id } });
  return services.db.shoppingItem.create({
    data: { listId: list.id, name: input.name, quantity: input.quantity ?? null, unit: input.unit, category: input.category ?? null, position },
  });
}

async function accessibleItem(services: MealplansServices, userId: string, itemId: string) {
  const item = isUuid(itemId) ? await services.db.shoppingItem.findUnique({ where: { id: itemId } }) : null;
  if (!item) throw notFound('Shopping item');
  const { list, memberships } = await accessibleList(services.db, item.listId, userId).catch(() => {
    throw notFound('Shopping item');
  });
  return { item, list, memberships };
}

/** Records who checked an item and when (cleared when unchecked). */
export async function checkShoppingItem(services: MealplansServices, userId: string, itemId: string, checked: boolean): Promise<ShoppingItem> {
  const { item } = await accessibleItem(services, userId, itemId);
  return services.db.shoppingItem.update({
    where: { id: item.id },
    data: checked ? { checked: true, checkedBy: userId, checkedAt: new Date() } : { checked: false, checkedBy: null, checkedAt: null },
  });
}

export async function removeShoppingItem(services: MealplansServices, userId: string, itemId: string): Promise<boolean> {
  const { item, list, memberships } = await accessibleItem(services, userId, itemId);
  assertMayDelete(list, userId, memberships);
  await services.db.shoppingItem.delete({ where: { id: item.id } });
  return true;
}

export interface RecipeToShop {
  id: string;
  title: string;
  serves: number;
  ingredients: Array<{ name: string; quantity: number | null; unit: string | null }>;
}

/**
 * Merges a recipe's ingredients, scaled to `servings`, into a list's unchecked items,
 * aggregating exactly like generation does (checked items are left alone).
 */
export async function mergeRecipeIntoList(tx: Tx, listId: string, recipe: RecipeToShop, servings: number): Promise<void> {
  const items = await tx.shoppingItem.findMany({ where: { listId } });
  const open = items.filter((i) => !i.checked);
  const placeholder = { recipeId: '', recipeTitle: '', date: '', slot: 'SNACK' as const };
  const needs: IngredientNeed[] = open.flatMap((i) => {
    const sources = i.sources as unknown as IngredientNeed['source'][];
    // The existing quantity is carried once; its other sources add nothing.
    return (sources.length ? sources : [placeholder]).map((source, index) => ({
      name: i.name,
      quantity: index === 0 ? i.quantity : 0,
      unit: i.unit,
      source: { ...placeholder, ...source },
    }));
  });
  for (const ingredient of scaleIngredients(recipe.ingredients, recipe.serves, servings)) {
    needs.push({ ...ingredient, source: { recipeId: recipe.id, recipeTitle: recipe.title, date: '', slot: 'SNACK' } });
  }
  // Placeholders carried the existing items through aggregation; a recipe added outside a plan has no day or slot.
  const lines = aggregateShoppingList(needs, []).map((line) => ({
    ...line,
    sources: line.sources.filter((s) => s.recipeId).map((s) => (s.date ? s : { recipeId: s.recipeId, recipeTitle: s.recipeTitle })),
  }));
  await tx.shoppingItem.deleteMany({ where: { id: { in: open.map((i) => i.id) } } });
  const start = items.length - open.length;
  await tx.shoppingItem.createMany({
    data: lines.map((line, i) => ({
      listId,
      position: start + i,
      name: line.name,
      quantity: line.quantity,
      unit: storedUnit(line.unit),
      sources: line.sources as unknown as Prisma.InputJsonValue,
    })),
  });
  await tx.shoppingList.update({ where: { id: listId }, data: { updatedAt: new Date() } });
}

export async function addRecipeToShoppingList(
  services: MealplansServices,
  userId: string,
  listId: string,
  recipeId: string,
  rawServings: number,
): Promise<ShoppingList> {
  const servings = parseInput(servingsInput, rawServings, 'servings');
  parseInput(uuidArg, recipeId, 'recipeId');
  const { list } = await accessibleList(services.db, listId, userId);
  const recipe = await plannableRecipe(services.db, recipeId, userId);
  if (!recipe) throw notFound('Recipe');
  return services.db.$transaction(async (tx) => {
    await mergeRecipeIntoList(tx, list.id, { id: recipe.recipeId, title: recipe.title, serves: recipe.serves, ingredients: ingredientsOf(recipe) }, servings);
    return tx.shoppingList.findUniqueOrThrow({ where: { id: list.id } });
  });
}

/** Shares a list with a family the owner belongs to: every current member sees it and can check items. */
export async function shareShoppingList(services: MealplansServices, userId: string, listId: string, familyId: string): Promise<ShoppingList> {
  parseInput(uuidArg, familyId, 'familyId');
  const { list } = await accessibleList(services.db, listId, userId);
  if (list.ownerId !== userId) throw forbidden('Only the owner can share this list.');
  if (!(await isMemberOf(services.db, userId, familyId))) throw notFound('Family');
  return services.db.shoppingList.update({ where: { id: list.id }, data: { familyId } });
}
