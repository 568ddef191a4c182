import { isUuid } from '@calos/kernel';
import { canAccess } from '../access.js';
import type { QueryResolvers } from '../generated/graphql.js';
import { expiringPantryItems } from '../pantry.js';

export const Query: QueryResolvers = {
  mealPlan: async (_p, { id }, ctx) => {
    const plan = isUuid(id) ? await ctx.loaders.mealPlan.load(id) : null;
    return plan && canAccess(plan, ctx.viewer?.userId, await ctx.memberships()) ? plan : null;
  },
  shoppingList: async (_p, { id }, ctx) => {
    const list = isUuid(id) ? await ctx.loaders.shoppingList.load(id) : null;
    return list && canAccess(list, ctx.viewer?.userId, await ctx.memberships()) ? list : null;
  },
  expiringPantryItems: (_p, { withinDays }, ctx) => expiringPantryItems(ctx, ctx.requireViewer().userId, withinDays ?? 3),
};
