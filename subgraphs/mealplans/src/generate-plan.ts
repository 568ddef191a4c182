import { awaitReadModel, badUserInput, notFound, parseInput } from '@calos/kernel';
import { z } from 'zod';
import { isMemberOf, membershipsOf } from './access.js';
import type { MealplansServices } from './context.js';
import type { MealPlan, PrismaClient, RecipeSnapshot } from './generated/prisma/client.js';
import { ingredientsOf } from './recipe-read-model.js';
import { generateMealPlanInput, type MealSlot } from './validation.js';

const DAY = 24 * 60 * 60 * 1000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** Enough choice for two weeks, small enough for a small model's context. */
export const MAX_CANDIDATES = 60;
/** A user with no recipes at all waits this long for ones they may have just created. */
const EMPTY_READ_MODEL_WAIT_MS = 3_000;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const dateOfDay = (start: Date, day: number) => new Date(start.getTime() + (day - 1) * DAY);
/** Recipe text goes into a one-line-per-recipe table. */
const cell = (text: string) => text.replace(/[\s|]+/g, ' ').trim();

/**
 * The recipes a plan may use: the user's own (newest first), then public or own recipes they
 * or their families have planned before (most recently planned first). The read model has no
 * "saved" recipes; planning one before is the sign of interest it does have.
 */
export async function candidateRecipes(db: PrismaClient, userId: string, familyIds: string[]): Promise<RecipeSnapshot[]> {
  const load = async () => {
    const own = await db.recipeSnapshot.findMany({ where: { authorId: userId }, orderBy: [{ updatedAt: 'desc' }, { recipeId: 'asc' }], take: MAX_CANDIDATES });
    if (own.length >= MAX_CANDIDATES) return own;
    const entries = await db.mealPlanEntry.findMany({
      where: { mealPlan: { OR: [{ ownerId: userId }, ...(familyIds.length ? [{ familyId: { in: familyIds } }] : [])] } },
      select: { recipeId: true },
      orderBy: [{ date: 'desc' }, { id: 'asc' }],
      take: 500,
    });
    const ownIds = new Set(own.map((r) => r.recipeId));
    const planned = [...new Set(entries.map((e) => e.recipeId))].filter((id) => !ownIds.has(id));
    const snapshots = planned.length
      ? await db.recipeSnapshot.findMany({ where: { recipeId: { in: planned }, OR: [{ visibility: 'PUBLIC' }, { authorId: userId }] } })
      : [];
    const byId = new Map(snapshots.map((s) => [s.recipeId, s]));
    return [...own, ...planned.flatMap((id) => byId.get(id) ?? [])].slice(0, MAX_CANDIDATES);
  };
  const found = await load();
  if (found.length) return found;
  // Read-your-writes: recipes created a moment ago may not have reached the read model yet.
  const awaited = await awaitReadModel(async () => {
    const rows = await load();
    return rows.length ? rows : null;
  }, EMPTY_READ_MODEL_WAIT_MS);
  return awaited ?? [];
}

/**
 * What the model must answer, built per request: every recipe id one of the candidates, days
 * within the plan, only the requested slots, each (day, slot) once. Breaking any of these is
 * invalid output, so the model gets one chance to repair it.
 */
export function generatedPlanSchema(candidateIds: readonly string[], durationDays: number, slots: readonly MealSlot[]) {
  const known = new Set(candidateIds);
  const entry = z.object({
    day: z.number().int().min(1).max(durationDays).describe(`1 is the first day of the plan, ${durationDays} the last`),
    slot: z.enum(slots as [MealSlot, ...MealSlot[]]),
    recipeId: z
      .string()
      .refine((id) => known.has(id), 'is not the id of one of the candidate recipes')
      // Constrains models that honour the JSON Schema; the refine above is what is checked.
      .meta({ enum: [...candidateIds], description: 'the id of one of the candidate recipes' }),
    servings: z.number().int().min(1).max(20).describe('how many people to cook for'),
  });
  return z.object({
    name: z.string().trim().min(1).max(120).optional(),
    entries: z
      .array(entry)
      .min(1)
      .max(durationDays * slots.length)
      .superRefine((entries, ctx) => {
        const seen = new Set<string>();
        entries.forEach((e, index) => {
          const key = `${e.day}/${e.slot}`;
          if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index], message: `day ${e.day} ${e.slot} is planned more than once` });
          seen.add(key);
        });
      }),
  });
}

const SYSTEM = [
  'You are a meal planner. Plan meals using only the candidate recipes listed, each referred to by its exact id.',
  'Give every requested slot of every day one recipe (days are numbered from 1), vary the recipes and follow the preferences.',
  "Servings is how many people to cook for: the recipe's serves unless the preferences say otherwise.",
  'You may name the plan (up to 120 characters).',
].join(' ');

function describeCandidate(recipe: RecipeSnapshot): string {
  const listed = ingredientsOf(recipe)
    .slice(0, 10)
    .map((i) => cell(i.name))
    .join(', ');
  // Bounded, so 60 candidates stay well within one message the ai service accepts.
  const ingredients = listed.length > 150 ? `${listed.slice(0, 150)}…` : listed;
  const tags = recipe.tags.length ? recipe.tags.slice(0, 8).map(cell).join(', ') : '-';
  const minutes = recipe.totalMinutes ? `${recipe.totalMinutes} min` : '-';
  return `${recipe.recipeId} | ${cell(recipe.title)} | ${tags} | ${minutes} | serves ${recipe.serves} | ${ingredients}`;
}

function planPrompt(start: Date, durationDays: number, slots: readonly MealSlot[], preferences: string | null | undefined, candidates: RecipeSnapshot[]): string {
  const days = Array.from({ length: durationDays }, (_, i) => {
    const date = dateOfDay(start, i + 1);
    return `Day ${i + 1}: ${WEEKDAYS[date.getUTCDay()]} ${isoDay(date)}`;
  });
  return [
    `Plan ${durationDays} day(s), slots each day: ${slots.join(', ')}.`,
    ...days,
    `Preferences: ${preferences || 'none given'}`,
    'Candidate recipes (id | title | tags | prep + cook time | serves | main ingredients):',
    ...candidates.map(describeCandidate),
  ].join('\n');
}

/**
 * generateMealPlan: candidates from the recipe read model → the ai service plans (metered) →
 * the answer, validated against the candidates, is saved as an ordinary plan with its entries.
 */
export async function generateMealPlan(services: MealplansServices, ownerId: string, rawInput: unknown): Promise<MealPlan> {
  const input = parseInput(generateMealPlanInput, rawInput);
  const { db } = services;
  // Same rule as createMealPlan: only members plan for a family.
  if (input.familyId && !(await isMemberOf(db, ownerId, input.familyId))) throw notFound('Family');
  const memberships = await membershipsOf(db, ownerId);
  const candidates = await candidateRecipes(db, ownerId, [...memberships.keys()]);
  if (candidates.length === 0) {
    throw badUserInput(
      { input: ['you have no recipes to plan with yet: create a recipe first'] },
      'You have no recipes to plan with yet. Create a recipe (or plan one by hand) first.',
    );
  }
  const familyId = input.familyId ?? null;
  return services.ai.generate({
    userId: ownerId,
    feature: 'generateMealPlan',
    schema: generatedPlanSchema(
      candidates.map((c) => c.recipeId),
      input.durationDays,
      input.slots,
    ),
    system: SYSTEM,
    prompt: planPrompt(input.startDate, input.durationDays, input.slots, input.preferences, candidates),
    model: input.model,
    idempotencyKey: input.idempotencyKey,
    findExisting: (aiGenerationId) => db.mealPlan.findFirst({ where: { aiGenerationId, ownerId } }),
    persist: (output, aiGenerationId) =>
      db.$transaction(async (tx) => {
        // The generation took a while: a member removed meanwhile no longer plans for the family.
        if (familyId && !(await tx.familyMembership.findUnique({ where: { familyId_userId: { familyId, userId: ownerId } } }))) throw notFound('Family');
        const plan = await tx.mealPlan.create({
          data: {
            ownerId,
            familyId,
            name: input.name ?? output.name ?? `Meal plan from ${isoDay(input.startDate)}`,
            startDate: input.startDate,
            durationDays: input.durationDays,
            aiGenerationId,
          },
        });
        await tx.mealPlanEntry.createMany({
          data: output.entries.map((e) => ({
            mealPlanId: plan.id,
            date: dateOfDay(input.startDate, e.day),
            slot: e.slot,
            recipeId: e.recipeId,
            servings: e.servings,
          })),
        });
        return plan;
      }),
  });
}
