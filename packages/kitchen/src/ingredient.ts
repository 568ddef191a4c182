import { z } from 'zod';
import { isKnownUnit, normalizeUnit, stripFloatNoise, type CanonicalUnit } from './unit-conversion.js';

/** An ingredient as recipes store it. */
export interface Ingredient {
  name: string;
  quantity: number | null;
  unit: string | null;
  note: string | null;
}

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .nullish()
    .transform((value) => {
      const trimmed = value?.replace(/\s+/g, ' ').trim() ?? '';
      return trimmed === '' ? null : trimmed;
    });

/**
 * Validates one ingredient from user or AI input and normalises it for storage: the name
 * and note are trimmed, a missing quantity/unit/note becomes null, and the unit becomes its
 * canonical spelling ("Tablespoons" → "tbsp"). An unknown unit is an issue on `unit`, so
 * the caller can report it as BAD_USER_INPUT for that field. No unit stays null (a count).
 */
export const ingredientSchema = z.object({
  name: z
    .string()
    .transform((value) => value.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'Ingredient name is required.').max(200, 'Ingredient name is too long.')),
  quantity: z
    .number()
    .positive('Quantity must be greater than 0.')
    .max(1_000_000, 'Quantity is too large.')
    .nullish()
    .transform((value) => (value === null || value === undefined ? null : stripFloatNoise(value))),
  unit: optionalText(40)
    .refine((unit) => isKnownUnit(unit), { message: 'Unknown unit.' })
    .transform((unit): CanonicalUnit | null => (unit === null ? null : normalizeUnit(unit))),
  note: optionalText(500),
});

export type IngredientInput = z.input<typeof ingredientSchema>;
export type ValidIngredient = z.output<typeof ingredientSchema>;

/**
 * Scales ingredient quantities from the servings a recipe is written for to the servings
 * wanted (a recipe for 4 cooked for 6 → ×1.5). Returns new objects; quantity-less
 * ingredients ("salt to taste") stay null. Both servings must be positive and finite.
 */
export function scaleIngredients<T extends { quantity: number | null }>(
  ingredients: readonly T[],
  recipeServings: number,
  wantedServings: number,
): T[] {
  for (const [label, servings] of [
    ['recipeServings', recipeServings],
    ['wantedServings', wantedServings],
  ] as const) {
    if (!Number.isFinite(servings) || servings <= 0) {
      throw new RangeError(`${label} must be a positive number (got ${servings}).`);
    }
  }
  const factor = wantedServings / recipeServings;
  return ingredients.map((ingredient) => ({
    ...ingredient,
    quantity: ingredient.quantity === null ? null : stripFloatNoise(ingredient.quantity * factor),
  }));
}
