import { Prisma } from './generated/prisma/client.js';
import type { Recipe } from './generated/prisma/client.js';
import type { Page } from '@calos/service';

/** A recipe row as resolvers see it (the search vector is never read back). */
export type RecipeRow = Omit<Recipe, 'searchVector' | 'aiGenerationId'>;

export const RECIPE_COLUMNS = Prisma.sql`r."id", r."authorId", r."title", r."description", r."cuisine", r."difficulty", r."prepTimeMinutes",
  r."cookTimeMinutes", r."serves", r."calories", r."ingredients", r."instructions", r."nutrition", r."allergens", r."tags",
  r."imageUrl", r."visibility", r."ratingCount", r."ratingSum", r."createdAt", r."updatedAt"`;

/** Prisma `select` equivalent of RECIPE_COLUMNS. */
export const recipeSelect = {
  id: true,
  authorId: true,
  title: true,
  description: true,
  cuisine: true,
  difficulty: true,
  prepTimeMinutes: true,
  cookTimeMinutes: true,
  serves: true,
  calories: true,
  ingredients: true,
  instructions: true,
  nutrition: true,
  allergens: true,
  tags: true,
  imageUrl: true,
  visibility: true,
  ratingCount: true,
  ratingSum: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.RecipeSelect;

export interface IngredientValue {
  name: string;
  quantity: number | null;
  unit: string | null;
  note: string | null;
}

export const ingredientsOf = (row: Pick<RecipeRow, 'ingredients'>) => row.ingredients as unknown as IngredientValue[];

export type RecipePage = Page<RecipeRow>;
