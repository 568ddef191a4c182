import { normalizeUnit } from '@calos/kitchen';
import { z } from 'zod';

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

const ingredient = z
  .object({
    name: text(100).min(1, 'must not be empty'),
    quantity: z.number().finite().min(0, 'must not be negative').max(100_000, 'is too large').nullish(),
    unit: z.string().trim().max(20, 'is not a known unit').nullish(),
    note: text(200).nullish(),
  })
  .transform((value, ctx) => {
    let unit: string | null = null;
    if (value.unit) {
      unit = normalizeUnit(value.unit);
      if (!unit) {
        ctx.addIssue({ code: 'custom', path: ['unit'], message: `"${value.unit}" is not a known unit (e.g. g, kg, oz, lb, ml, l, tsp, tbsp, cup, clove, can)` });
        return z.NEVER;
      }
    }
    return { name: value.name, quantity: value.quantity ?? null, unit, note: value.note || null };
  });

const minutes = z.number().int().min(0, 'must not be negative').max(10_000, 'is too long');
const nutrition = z
  .object({
    proteinGrams: z.number().min(0).max(10_000).nullish(),
    carbsGrams: z.number().min(0).max(10_000).nullish(),
    fatGrams: z.number().min(0).max(10_000).nullish(),
    fiberGrams: z.number().min(0).max(10_000).nullish(),
    sugarGrams: z.number().min(0).max(10_000).nullish(),
    sodiumMilligrams: z.number().min(0).max(1_000_000).nullish(),
  })
  .nullish();
const tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(/^[a-z0-9][a-z0-9 -]*$/, 'may contain letters, digits, spaces and dashes');

export const ALLERGENS = ['GLUTEN', 'DAIRY', 'EGG', 'PEANUT', 'TREE_NUT', 'SOY', 'FISH', 'SHELLFISH', 'SESAME', 'MUSTARD', 'CELERY', 'LUPIN', 'MOLLUSC', 'SULPHITE'] as const;

export const recipeFields = {
  title: text(200).min(1, 'must not be empty'),
  description: text(5000),
  cuisine: text(50).toLowerCase(),
  difficulty: z.enum(['EASY', 'MEDIUM', 'HARD']),
  prepTimeMinutes: minutes,
  cookTimeMinutes: minutes,
  serves: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'),
  calories: z.number().int().min(0, 'must not be negative').max(20_000, 'is too large'),
  ingredients: z.array(ingredient).min(1, 'needs at least one ingredient').max(100, 'at most 100 ingredients'),
  instructions: z.array(text(2000).min(1, 'must not be empty')).min(1, 'needs at least one step').max(100, 'at most 100 steps'),
  nutrition,
  allergens: z.array(z.enum(ALLERGENS)).max(ALLERGENS.length),
  tags: z.array(tag).max(20, 'at most 20 tags'),
  imageUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000),
  visibility: z.enum(['PRIVATE', 'PUBLIC']),
};

export const createRecipeInput = z.object({
  title: recipeFields.title,
  description: recipeFields.description.nullish(),
  cuisine: recipeFields.cuisine.nullish(),
  difficulty: recipeFields.difficulty.nullish(),
  prepTimeMinutes: recipeFields.prepTimeMinutes.nullish(),
  cookTimeMinutes: recipeFields.cookTimeMinutes.nullish(),
  serves: recipeFields.serves,
  calories: recipeFields.calories.nullish(),
  ingredients: recipeFields.ingredients,
  instructions: recipeFields.instructions,
  nutrition: recipeFields.nutrition,
  allergens: recipeFields.allergens.nullish(),
  tags: recipeFields.tags.nullish(),
  imageUrl: recipeFields.imageUrl.nullish(),
  visibility: recipeFields.visibility.nullish(),
});

/** Every field optional; `null` clears the nullable ones. */
export const updateRecipeInput = z.object({
  title: recipeFields.title.optional(),
  description: recipeFields.description.nullish(),
  cuisine: recipeFields.cuisine.nullish(),
  difficulty: recipeFields.difficulty.optional(),
  prepTimeMinutes: recipeFields.prepTimeMinutes.optional(),
  cookTimeMinutes: recipeFields.cookTimeMinutes.optional(),
  serves: recipeFields.serves.optional(),
  calories: recipeFields.calories.nullish(),
  ingredients: recipeFields.ingredients.optional(),
  instructions: recipeFields.instructions.optional(),
  nutrition: recipeFields.nutrition,
  allergens: recipeFields.allergens.optional(),
  tags: recipeFields.tags.optional(),
  imageUrl: recipeFields.imageUrl.nullish(),
  visibility: recipeFields.visibility.optional(),
});

export const ratingInput = z.object({
  stars: z.number().int().min(1, 'must be from 1 to 5').max(5, 'must be from 1 to 5'),
  review: text(2000).nullish(),
});

export const filterInput = z
  .object({
    search: text(200).nullish(),
    cuisine: text(50).toLowerCase().nullish(),
    tags: z.array(tag).max(20).nullish(),
    maxTotalMinutes: z.number().int().min(0, 'must not be negative').nullish(),
    excludeAllergens: z.array(z.enum(ALLERGENS)).nullish(),
    authorId: z.string().nullish(),
  })
  .nullish();

export const pageInput = z.object({
  first: z.number().int().min(0, 'must not be negative').max(100, 'must be at most 100'),
  after: z.string().max(500).nullish(),
});

export const servingsInput = z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000');

export type CreateRecipeInput = z.infer<typeof createRecipeInput>;
export type UpdateRecipeInput = z.infer<typeof updateRecipeInput>;
export type RecipeFilter = NonNullable<z.infer<typeof filterInput>>;
export type IngredientValue = z.infer<typeof ingredient>;
