import { parseInput } from '@calos/kernel';
import { z } from 'zod';
import { insertRecipe } from './catalog.js';
import type { RecipesContext } from './context.js';
import { recipeSelect, type RecipeRow } from './recipe-row.js';
import { ALLERGENS, recipeFields } from './validation.js';

export const generateRecipeInput = z.object({
  prompt: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
  cuisine: recipeFields.cuisine.nullish(),
  serves: recipeFields.serves.nullish(),
  maxTotalMinutes: z.number().int().min(5, 'must be at least 5').max(10_000, 'is too long').nullish(),
  excludeAllergens: z.array(z.enum(ALLERGENS)).max(ALLERGENS.length).nullish(),
  model: z.string().trim().min(1).max(120, 'must be at most 120 characters').nullish(),
  idempotencyKey: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').nullish(),
});

type GenerateRecipeInput = z.infer<typeof generateRecipeInput>;

/** The recipe the model must write: a user's recipe fields, and the brief's hard limits. */
function generatedRecipe(brief: GenerateRecipeInput) {
  return z
    .object({
      title: recipeFields.title,
      description: recipeFields.description,
      cuisine: recipeFields.cuisine,
      difficulty: recipeFields.difficulty,
      prepTimeMinutes: recipeFields.prepTimeMinutes,
      cookTimeMinutes: recipeFields.cookTimeMinutes,
      serves: recipeFields.serves,
      calories: recipeFields.calories.nullish(),
      ingredients: recipeFields.ingredients,
      instructions: recipeFields.instructions,
      allergens: recipeFields.allergens,
      tags: recipeFields.tags,
    })
    .superRefine((recipe, ctx) => {
      const excluded = (brief.excludeAllergens ?? []).filter((a) => recipe.allergens.includes(a));
      if (excluded.length) ctx.addIssue({ code: 'custom', path: ['allergens'], message: `must not contain ${excluded.join(', ')}` });
      if (brief.maxTotalMinutes && recipe.prepTimeMinutes + recipe.cookTimeMinutes > brief.maxTotalMinutes) {
        ctx.addIssue({ code: 'custom', path: ['cookTimeMinutes'], message: `prep + cook time must be at most ${brief.maxTotalMinutes} minutes` });
      }
    });
}

const SYSTEM = [
  'You are the recipe writer of HowToCookAtHome. Write one original, safe, tested-sounding home recipe to the brief.',
  'Ingredients use metric or US kitchen units (g, kg, ml, l, tsp, tbsp, cup, oz, lb, clove, can, pinch) or no unit for counts.',
  `List every allergen the recipe contains, from: ${ALLERGENS.join(', ')}. Instructions are short imperative steps; tags are lower-case words.`,
].join(' ');

/** generateRecipe: written by the ai service (metered, rate limited), validated like a user's recipe, saved as the user's PRIVATE recipe. */
export async function generateRecipe(ctx: RecipesContext, userId: string, rawInput: unknown): Promise<RecipeRow> {
  const brief = parseInput(generateRecipeInput, rawInput);
  const prompt = [
    `Brief: ${brief.prompt}`,
    brief.cuisine ? `Cuisine: ${brief.cuisine}.` : null,
    brief.serves ? `Serves: ${brief.serves}.` : null,
    brief.maxTotalMinutes ? `Prep plus cook time at most ${brief.maxTotalMinutes} minutes.` : null,
    brief.excludeAllergens?.length ? `It must not contain: ${brief.excludeAllergens.join(', ')}.` : null,
  ].filter(Boolean);
  return ctx.ai.generate({
    userId,
    feature: 'generateRecipe',
    schema: generatedRecipe(brief),
    system: SYSTEM,
    prompt: prompt.join('\n'),
    model: brief.model,
    idempotencyKey: brief.idempotencyKey,
    findExisting: (aiGenerationId) => ctx.db.recipe.findFirst({ where: { aiGenerationId, authorId: userId }, select: recipeSelect }),
    persist: (recipe, aiGenerationId) =>
      insertRecipe(
        ctx,
        userId,
        {
          ...recipe,
          serves: brief.serves ?? recipe.serves,
          cuisine: brief.cuisine ?? recipe.cuisine,
          tags: [...new Set([...recipe.tags, 'ai-generated'])].slice(0, 20),
          nutrition: null,
          imageUrl: null,
          visibility: 'PRIVATE',
        },
        aiGenerationId,
      ),
  });
}
