import type { SpookyRecipeResolvers } from '../generated/graphql.js';
import { ingredientsOf } from '../spooky-recipe-row.js';

export const SpookyRecipe: SpookyRecipeResolvers = {
  // Through federation too (e.g. a shared recipe in My Recipes), a private recipe exists only for its author.
  __resolveReference: (ref, ctx) => ctx.loaders.spookyRecipe.load(ref.id),
  author: (r) => ({ __typename: 'User', id: r.authorId }),
  ingredients: (r) => ingredientsOf(r),
};
