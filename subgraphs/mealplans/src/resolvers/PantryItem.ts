import type { PantryItemResolvers } from '../generated/graphql.js';
import { expiresInDays } from '../pantry.js';

export const PantryItem: PantryItemResolvers = {
  expiresInDays: (item) => expiresInDays(item),
};
