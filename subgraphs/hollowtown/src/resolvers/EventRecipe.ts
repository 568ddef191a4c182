import type { EventRecipeResolvers } from '../generated/graphql.js';

export const EventRecipe: EventRecipeResolvers = {
  recipe: (entry) => (entry.source === 'RECIPES' && entry.recipeId ? { __typename: 'Recipe', id: entry.recipeId } : null),
  spookyRecipe: (entry, _a, ctx) => (entry.spookyRecipeId ? ctx.loaders.spookyRecipe.load(entry.spookyRecipeId) : null),
  addedBy: (entry) => (entry.addedBy ? { __typename: 'User', id: entry.addedBy } : null),
};
