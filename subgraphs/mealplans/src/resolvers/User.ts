import type { UserResolvers } from '../generated/graphql.js';

/** Everything here is private: null for anyone but the user themself. */
export const User: UserResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  pantry: (user, _a, ctx) => (ctx.viewer?.userId === user.id ? ctx.loaders.pantryByOwner.load(user.id) : null),
  mealPlans: (user, _a, ctx) => (ctx.viewer?.userId === user.id ? ctx.loaders.plansByOwner.load(user.id) : null),
  shoppingLists: (user, _a, ctx) => (ctx.viewer?.userId === user.id ? ctx.loaders.listsByOwner.load(user.id) : null),
};
