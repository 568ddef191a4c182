import type { MealPlanEntryResolvers } from '../generated/graphql.js';

export const MealPlanEntry: MealPlanEntryResolvers = {
  recipe: (entry) => ({ __typename: 'Recipe', id: entry.recipeId }),
};
