import type { MealplansContext } from '../context.js';
import type { UserResolvers } from '../generated/graphql.js';

/** Key of the "visible to" loaders: the user and the families they belong to. */
async function visibility(ctx: MealplansContext, userId: string) {
  return JSON.stringify({ userId, familyIds: [...(await ctx.memberships()).keys()].sort() });
}

/** Everything here is private: null for anyone but the user themself. */
export const User: UserResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  pantry: (user, _a, ctx) => (ctx.viewer?.userId === user.id ? ctx.loaders.pantryByOwner.load(user.id) : null),
  // Their own plans and lists, and those shared with their families.
  mealPlans: async (user, _a, ctx) => (ctx.viewer?.userId === user.id ? ctx.loaders.plansVisibleTo.load(await visibility(ctx, user.id)) : null),
  shoppingLists: async (user, _a, ctx) => (ctx.viewer?.userId === user.id ? ctx.loaders.listsVisibleTo.load(await visibility(ctx, user.id)) : null),
};
