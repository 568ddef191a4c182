import { scaleIngredients } from '@calos/kitchen';
import { parseInput } from '@calos/kernel';
import type { RecipeResolvers } from '../generated/graphql.js';
import { ingredientsOf } from '../recipe-row.js';
import { servingsInput } from '../validation.js';

export const Recipe: RecipeResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.recipe.load(ref.id),
  totalTimeMinutes: (r) => r.prepTimeMinutes + r.cookTimeMinutes,
  ingredients: (r) => ingredientsOf(r),
  nutrition: (r) => (r.nutrition as Record<string, number | null> | null) ?? null,
  allergens: (r) => r.allergens as never,
  author: (r) => ({ __typename: 'User', id: r.authorId }),
  ratingAvg: (r) => (r.ratingCount > 0 ? Math.round((r.ratingSum / r.ratingCount) * 100) / 100 : null),
  viewerRating: (r, _a, ctx) => ctx.loaders.viewerRating.load(r.id),
  scaled: (r, { servings }) => scaleIngredients(ingredientsOf(r), r.serves, parseInput(servingsInput, servings, 'servings')),
};
