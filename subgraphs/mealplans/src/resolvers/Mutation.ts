import { generateMealPlan } from '../generate-plan.js';
import type { MutationResolvers } from '../generated/graphql.js';
import { addPantryItem, removePantryItem, updatePantryItem } from '../pantry.js';
import { createMealPlan, deleteMealPlan, removeMealPlanEntry, setMealPlanEntry } from '../planning.js';
import {
  addRecipeToShoppingList,
  addShoppingItem,
  checkShoppingItem,
  createShoppingList,
  deleteShoppingList,
  generateShoppingList,
  removeShoppingItem,
  shareShoppingList,
} from '../shopping.js';

export const Mutation: MutationResolvers = {
  createMealPlan: (_p, { input }, ctx) => createMealPlan(ctx, ctx.requireViewer().userId, { ...input, durationDays: input.durationDays ?? 7 }),
  generateMealPlan: (_p, { input }, ctx) =>
    generateMealPlan(ctx, ctx.requireViewer().userId, { ...input, durationDays: input.durationDays ?? 7, slots: input.slots ?? ['DINNER'] }),
  deleteMealPlan: (_p, { id }, ctx) => deleteMealPlan(ctx, id, ctx.requireViewer().userId),
  setMealPlanEntry: (_p, { input }, ctx) => setMealPlanEntry(ctx, ctx.requireViewer().userId, input),
  removeMealPlanEntry: (_p, { mealPlanId, date, slot }, ctx) => removeMealPlanEntry(ctx, ctx.requireViewer().userId, mealPlanId, date, slot),
  generateShoppingList: (_p, { mealPlanId, excludePantry }, ctx) =>
    generateShoppingList(ctx, ctx.requireViewer().userId, mealPlanId, excludePantry ?? true),
  createShoppingList: (_p, { input }, ctx) => createShoppingList(ctx, ctx.requireViewer().userId, input),
  deleteShoppingList: (_p, { id }, ctx) => deleteShoppingList(ctx, ctx.requireViewer().userId, id),
  addShoppingItem: (_p, { listId, input }, ctx) => addShoppingItem(ctx, ctx.requireViewer().userId, listId, input),
  checkShoppingItem: (_p, { itemId, checked }, ctx) => checkShoppingItem(ctx, ctx.requireViewer().userId, itemId, checked),
  removeShoppingItem: (_p, { itemId }, ctx) => removeShoppingItem(ctx, ctx.requireViewer().userId, itemId),
  addRecipeToShoppingList: (_p, { listId, recipeId, servings }, ctx) =>
    addRecipeToShoppingList(ctx, ctx.requireViewer().userId, listId, recipeId, servings),
  shareShoppingList: (_p, { listId, familyId }, ctx) => shareShoppingList(ctx, ctx.requireViewer().userId, listId, familyId),
  addPantryItem: (_p, { input }, ctx) => addPantryItem(ctx, ctx.requireViewer().userId, input),
  updatePantryItem: (_p, { id, input }, ctx) => updatePantryItem(ctx, ctx.requireViewer().userId, id, input),
  removePantryItem: (_p, { id }, ctx) => removePantryItem(ctx, ctx.requireViewer().userId, id),
};
