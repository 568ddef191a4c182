import { isUuid, parseInput } from '@calos/kernel';
import type { QueryResolvers } from '../generated/graphql.js';
import { searchRecipes } from '../search.js';
import { filterInput, pageInput } from '../validation.js';

export const Query: QueryResolvers = {
  recipe: (_p, { id }, ctx) => (isUuid(id) ? ctx.loaders.recipe.load(id) : null),
  recipes: (_p, args, ctx) => {
    const filter = parseInput(filterInput, args.filter, 'filter') ?? {};
    const { first, after } = parseInput(pageInput, { first: args.first ?? 20, after: args.after }, 'page');
    return searchRecipes(ctx.db, { viewerId: ctx.viewer?.userId ?? null, filter, first, after });
  },
};
