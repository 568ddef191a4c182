import { parseInput } from '@calos/kernel';
import type { UserResolvers } from '../generated/graphql.js';
import { searchSpookyRecipes } from '../search.js';
import { pageInput } from '../validation.js';

/** Spooky recipes and costumes are public (private recipes only for their author); plans and hosted events are private. */
export const User: UserResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  spookyRecipes: (user, args, ctx) => {
    const { first, after } = parseInput(pageInput, { first: args.first ?? 20, after: args.after }, 'page');
    // First pages batch across users in one statement; later pages are a keyset query of their own.
    if (after) return searchSpookyRecipes(ctx.db, { viewerId: ctx.viewer?.userId ?? null, filter: { authorId: user.id }, first, after });
    return ctx.loaders.spookyRecipesByAuthor.load(JSON.stringify({ authorId: user.id, first }));
  },
  costumes: (user, _a, ctx) => ctx.loaders.costumesByAuthor.load(user.id),
  hauntedHousePlans: (user, _a, ctx) => (ctx.viewer?.userId === user.id ? ctx.loaders.plansByOwner.load(user.id) : null),
  hostedEvents: (user, _a, ctx) => (ctx.viewer?.userId === user.id ? ctx.loaders.eventsByHost.load(user.id) : null),
};
