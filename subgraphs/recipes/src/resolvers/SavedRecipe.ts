import type { SavedRecipeResolvers } from '../generated/graphql.js';

export const SavedRecipe: SavedRecipeResolvers = {
  recipe: (saved, _a, ctx) => (saved.source === 'RECIPES' ? ctx.loaders.recipe.load(saved.refId) : null),
  // Only the reference lives here; Hollowtown resolves the content (and null if it is gone or private).
  spookyRecipe: (saved) => (saved.source === 'HOLLOWTOWN' ? { __typename: 'SpookyRecipe', id: saved.refId } : null),
};
