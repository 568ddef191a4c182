import { canAccess } from '../access.js';
import type { MealPlanResolvers } from '../generated/graphql.js';
import { endDateOf } from '../planning.js';

export const MealPlan: MealPlanResolvers = {
  // Through federation too, a plan exists only for those who may see it.
  __resolveReference: async (ref, ctx) => {
    const plan = await ctx.loaders.mealPlan.load(ref.id);
    return plan && canAccess(plan, ctx.viewer?.userId, await ctx.memberships()) ? plan : null;
  },
  owner: (plan) => ({ __typename: 'User', id: plan.ownerId }),
  family: (plan) => (plan.familyId ? { __typename: 'Family', id: plan.familyId } : null),
  endDate: (plan) => endDateOf(plan),
  entries: (plan, _a, ctx) => ctx.loaders.entriesByPlan.load(plan.id),
  shoppingList: (plan, _a, ctx) => ctx.loaders.listByPlan.load(plan.id),
};
