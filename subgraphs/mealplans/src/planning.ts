import { badUserInput, notFound, parseInput } from '@calos/kernel';
import { accessiblePlan, assertMayDelete, isMemberOf } from './access.js';
import type { MealplansServices } from './context.js';
import type { MealPlan } from './generated/prisma/client.js';
import { plannableRecipe } from './recipe-read-model.js';
import { createMealPlanInput, setEntryInput } from './validation.js';

const DAY = 24 * 60 * 60 * 1000;
export const endDateOf = (plan: Pick<MealPlan, 'startDate' | 'durationDays'>) => new Date(plan.startDate.getTime() + (plan.durationDays - 1) * DAY);

export async function createMealPlan(services: MealplansServices, ownerId: string, rawInput: unknown): Promise<MealPlan> {
  const input = parseInput(createMealPlanInput, rawInput);
  // A family plan is visible to the family's members; only members may create one.
  if (input.familyId && !(await isMemberOf(services.db, ownerId, input.familyId))) throw notFound('Family');
  return services.db.mealPlan.create({
    data: { ownerId, familyId: input.familyId ?? null, name: input.name, startDate: input.startDate, durationDays: input.durationDays },
  });
}

export async function deleteMealPlan(services: MealplansServices, id: string, userId: string): Promise<string> {
  const { plan, memberships } = await accessiblePlan(services.db, id, userId);
  assertMayDelete(plan, userId, memberships);
  await services.db.mealPlan.delete({ where: { id } });
  return id;
}

export async function setMealPlanEntry(services: MealplansServices, userId: string, rawInput: unknown): Promise<MealPlan> {
  const input = parseInput(setEntryInput, rawInput);
  const { plan } = await accessiblePlan(services.db, input.mealPlanId, userId);
  if (input.date < plan.startDate || input.date > endDateOf(plan)) {
    throw badUserInput({ 'input.date': [`must be within the plan (${plan.startDate.toISOString().slice(0, 10)} to ${endDateOf(plan).toISOString().slice(0, 10)})`] });
  }
  if (!(await plannableRecipe(services.db, input.recipeId, userId))) throw badUserInput({ 'input.recipeId': ['is not a recipe you can use'] });
  await services.db.mealPlanEntry.upsert({
    where: { mealPlanId_date_slot: { mealPlanId: plan.id, date: input.date, slot: input.slot } },
    create: { mealPlanId: plan.id, date: input.date, slot: input.slot, recipeId: input.recipeId, servings: input.servings },
    update: { recipeId: input.recipeId, servings: input.servings },
  });
  return plan;
}

export async function removeMealPlanEntry(services: MealplansServices, userId: string, planId: string, date: Date, slot: string): Promise<MealPlan> {
  const { plan } = await accessiblePlan(services.db, planId, userId);
  await services.db.mealPlanEntry.deleteMany({ where: { mealPlanId: plan.id, date, slot: slot as never } });
  return plan;
}
