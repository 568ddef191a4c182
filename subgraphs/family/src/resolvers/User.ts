import type { UserResolvers } from '../generated/graphql.js';

/** A user's families are private: null for anyone but the user themself. */
export const User: UserResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  families: (user, _a, ctx) => (ctx.viewer?.userId === user.id ? ctx.loaders.familiesByUser.load(user.id) : null),
};
