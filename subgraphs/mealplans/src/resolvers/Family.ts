import type { FamilyResolvers } from '../generated/graphql.js';

/** Only members reach a Family (the family subgraph resolves it for members only); checked again here. */
export const Family: FamilyResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  shoppingLists: async (family, _a, ctx) => ((await ctx.memberships()).has(family.id) ? ctx.loaders.listsByFamily.load(family.id) : []),
  mealPlans: async (family, _a, ctx) => ((await ctx.memberships()).has(family.id) ? ctx.loaders.plansByFamily.load(family.id) : []),
};
