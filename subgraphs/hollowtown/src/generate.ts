import { parseInput } from '@calos/kernel';
import { z } from 'zod';
import type { HollowtownContext } from './context.js';
import { refreshSearchVector } from './search.js';
import { spookySelect, type SpookyRecipeRow } from './spooky-recipe-row.js';
import { level, spookyFields } from './validation.js';

export const generateSpookyRecipeInput = z
  .object({
    prompt: z.string().trim().max(500, 'must be at most 500 characters').nullish(),
    spookinessLevel: level.nullish(),
    difficulty: spookyFields.difficulty.nullish(),
    serves: spookyFields.serves.nullish(),
    model: z.string().trim().min(1).max(120, 'must be at most 120 characters').nullish(),
    idempotencyKey: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').nullish(),
  })
  .nullish();

/** What the model must answer: the fields of a spooky recipe, checked like a user's own input. */
const generatedSpookyRecipe = z.object({
  name: spookyFields.name,
  spookinessLevel: spookyFields.spookinessLevel,
  difficulty: spookyFields.difficulty,
  ingredients: spookyFields.ingredients,
  instructions: spookyFields.instructions,
  prepTimeMinutes: spookyFields.prepTimeMinutes,
  serves: spookyFields.serves,
  tags: spookyFields.tags,
});

const SYSTEM = [
  'You are the recipe writer of Hollowtown, a Halloween app. Invent one original, safe, edible Halloween recipe.',
  'Ingredients use metric or US kitchen units (g, kg, ml, l, tsp, tbsp, cup, oz, lb, pinch, clove, can) or no unit for counts.',
  'Instructions are short imperative steps. Tags are lower-case words such as "party", "kids", "vegan".',
].join(' ');

/**
 * generateSpookyRecipe: the ai service writes it (metered, rate limited), the answer is validated
 * like a hand-written recipe, and it is saved as an ordinary PRIVATE spooky recipe.
 */
export async function generateSpookyRecipe(ctx: HollowtownContext, userId: string, rawInput: unknown): Promise<SpookyRecipeRow> {
  const input = parseInput(generateSpookyRecipeInput, rawInput) ?? {};
  const wishes = [
    input.prompt ? `Request: ${input.prompt}` : 'Surprise me.',
    input.spookinessLevel ? `Spookiness (1 cute … 10 nightmare fuel): ${input.spookinessLevel}.` : null,
    input.difficulty ? `Difficulty: ${input.difficulty}.` : null,
    input.serves ? `Serves: ${input.serves}.` : null,
  ].filter(Boolean);
  return ctx.ai.generate({
    userId,
    feature: 'generateSpookyRecipe',
    schema: generatedSpookyRecipe,
    system: SYSTEM,
    prompt: wishes.join('\n'),
    model: input.model,
    idempotencyKey: input.idempotencyKey,
    findExisting: (aiGenerationId) => ctx.db.spookyRecipe.findFirst({ where: { aiGenerationId, authorId: userId }, select: spookySelect }),
    persist: (recipe, aiGenerationId) =>
      ctx.db.$transaction(async (tx) => {
        const created = await tx.spookyRecipe.create({
          data: {
            authorId: userId,
            aiGenerationId,
            name: recipe.name,
            // What the user asked for wins over what the model chose.
            spookinessLevel: input.spookinessLevel ?? recipe.spookinessLevel,
            difficulty: input.difficulty ?? recipe.difficulty,
            serves: input.serves ?? recipe.serves,
            ingredients: recipe.ingredients,
            instructions: recipe.instructions,
            prepTimeMinutes: recipe.prepTimeMinutes,
            tags: [...new Set([...recipe.tags, 'ai-generated'])].slice(0, 20),
            visibility: 'PRIVATE',
          },
          select: spookySelect,
        });
        await refreshSearchVector(tx, created.id);
        return created;
      }),
  });
}
