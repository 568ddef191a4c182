import { canAccess } from '../access.js';
import type { ShoppingListResolvers } from '../generated/graphql.js';

export const ShoppingList: ShoppingListResolvers = {
  __resolveReference: async (ref, ctx) => {
    const list = await ctx.loaders.shoppingList.load(ref.id);
    return list && canAccess(list, ctx.viewer?.userId, await ctx.memberships()) ? list : null;
  },
  owner: (list) => ({ __typename: 'User', id: list.ownerId }),
  family: (list) => (list.familyId ? { __typename: 'Family', id: list.familyId } : null),
  mealPlan: (list, _a, ctx) => (list.mealPlanId ? ctx.loaders.mealPlan.load(list.mealPlanId) : null),
  items: (list, _a, ctx) => ctx.loaders.itemsByList.load(list.id),
};
