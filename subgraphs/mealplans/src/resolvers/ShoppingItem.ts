import type { ShoppingItemResolvers } from '../generated/graphql.js';

interface StoredSource {
  recipeId: string;
  recipeTitle: string;
  date?: string | null;
  slot?: string | null;
}

export const ShoppingItem: ShoppingItemResolvers = {
  checkedBy: (item) => (item.checkedBy ? { __typename: 'User', id: item.checkedBy } : null),
  sources: (item) =>
    (item.sources as unknown as StoredSource[]).map((s) => ({
      recipe: { __typename: 'Recipe' as const, id: s.recipeId },
      recipeTitle: s.recipeTitle,
      date: s.date ? new Date(`${s.date}T00:00:00.000Z`) : null,
      slot: (s.slot || null) as never,
    })),
};
