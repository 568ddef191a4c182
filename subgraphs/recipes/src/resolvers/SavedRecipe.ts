import type { SavedRecipeResolvers } from '../generated/graphql.js';

export const SavedRecipe: SavedRecipeResolvers = {
  recipe: (saved, _a, ctx) => (saved.source === 'RECIPES' ? ctx.loaders.recipe.load(saved.refId) : null),
};
