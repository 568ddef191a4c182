import { parseInput } from '@calos/kernel';
import type { UserResolvers } from '../generated/graphql.js';
import { searchRecipes } from '../search.js';
import { pageInput } from '../validation.js';

export const User: UserResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  recipes: (user, args, ctx) => {
    const { first, after } = parseInput(pageInput, { first: args.first ?? 20, after: args.after }, 'page');
    // First pages batch across users in one statement; later pages are a keyset query of their own.
    if (after) return searchRecipes(ctx.db, { viewerId: ctx.viewer?.userId ?? null, filter: { authorId: user.id }, first, after });
    return ctx.loaders.recipesByAuthor.load(JSON.stringify({ authorId: user.id, first }));
  },
  savedRecipes: (user, _a, ctx) => (ctx.viewer?.userId === user.id ? ctx.loaders.savedByUser.load(user.id) : null),
};
