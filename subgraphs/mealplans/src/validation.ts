import { normalizeUnit } from '@calos/kitchen';
import { z } from 'zod';

const name = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
export const uuidArg = z.uuid('is not a valid id');

/** A unit the kitchen knows (stored canonical), or none for plain counts. */
export const unitInput = z
  .string()
  .trim()
  .max(20, 'is not a known unit')
  .nullish()
  .transform((value, ctx) => {
    if (!value) return null;
    const unit = normalizeUnit(value);
    if (!unit) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a known unit (e.g. g, kg, oz, lb, ml, l, tsp, tbsp, cup, clove, can)` });
      return z.NEVER;
    }
    return unit;
  });

const quantity = z.number().finite().min(0, 'must not be negative').max(1_000_000, 'is too large');
const category = z.string().trim().toLowerCase().max(40, 'must be at most 40 characters');

export const createMealPlanInput = z.object({
  name: name(120),
  familyId: uuidArg.nullish(),
  startDate: z.date(),
  durationDays: z.number().int().min(1, 'must be at least 1').max(31, 'must be at most 31'),
});

export const mealSlot = z.enum(['BREAKFAST', 'LUNCH', 'DINNER', 'SNACK']);
export type MealSlot = z.infer<typeof mealSlot>;

export const generateMealPlanInput = z.object({
  name: name(120).nullish(),
  familyId: uuidArg.nullish(),
  startDate: z.date(),
  durationDays: z.number().int().min(1, 'must be at least 1').max(14, 'must be at most 14'),
  // In the day's order, each once.
  slots: z
    .array(mealSlot)
    .min(1, 'must name at least one slot')
    .transform((slots) => mealSlot.options.filter((slot) => slots.includes(slot))),
  preferences: z.string().trim().max(500, 'must be at most 500 characters').nullish(),
  model: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters').nullish(),
  idempotencyKey: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').nullish(),
});

export const setEntryInput = z.object({
  mealPlanId: uuidArg,
  date: z.date(),
  slot: mealSlot,
  recipeId: uuidArg,
  servings: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'),
});

export const shoppingListInput = z.object({ name: name(120) });

export const shoppingItemInput = z.object({
  name: name(100),
  quantity: quantity.nullish(),
  unit: unitInput,
  category: category.nullish(),
});

export const pantryItemInput = z.object({
  name: name(100),
  quantity,
  unit: unitInput,
  category: category.nullish(),
  expirationDate: z.date().nullish(),
  location: z.enum(['FRIDGE', 'FREEZER', 'PANTRY', 'SPICE_RACK', 'OTHER']).nullish(),
});

export const updatePantryItemInput = pantryItemInput.partial().extend({ unit: unitInput.optional() });

export const servingsInput = z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100');
export const withinDaysInput = z.number().int().min(0, 'must not be negative').max(365, 'must be at most 365');
