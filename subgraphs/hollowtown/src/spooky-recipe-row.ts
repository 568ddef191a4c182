import { Prisma } from './generated/prisma/client.js';
import type { SpookyRecipe } from './generated/prisma/client.js';
import type { Page } from '@calos/service';

/** A spooky recipe row as resolvers see it (the search vector and generation id are never read back). */
export type SpookyRecipeRow = Omit<SpookyRecipe, 'searchVector' | 'aiGenerationId'>;

export const SPOOKY_COLUMNS = Prisma.sql`r."id", r."authorId", r."name", r."spookinessLevel", r."difficulty", r."ingredients", r."instructions",
  r."prepTimeMinutes", r."serves", r."tags", r."imageUrl", r."visibility", r."createdAt", r."updatedAt"`;

/** Prisma `select` equivalent of SPOOKY_COLUMNS. */
export const spookySelect = {
  id: true,
  authorId: true,
  name: true,
  spookinessLevel: true,
  difficulty: true,
  ingredients: true,
  instructions: true,
  prepTimeMinutes: true,
  serves: true,
  tags: true,
  imageUrl: true,
  visibility: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.SpookyRecipeSelect;

export interface IngredientValue {
  name: string;
  quantity: number | null;
  unit: string | null;
  note: string | null;
}

export const ingredientsOf = (row: Pick<SpookyRecipeRow, 'ingredients'>) => row.ingredients as unknown as IngredientValue[];

/** Private spooky recipes exist only for their author. */
export const visibleTo = (row: Pick<SpookyRecipeRow, 'visibility' | 'authorId'>, viewerId: string | null | undefined) =>
  row.visibility === 'PUBLIC' || row.authorId === viewerId;

export type SpookyRecipePage = Page<SpookyRecipeRow>;
