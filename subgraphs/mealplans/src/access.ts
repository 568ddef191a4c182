import { isUuid, notFound } from '@calos/kernel';
import type { MealPlan, PrismaClient, ShoppingList } from './generated/prisma/client.js';

/**
 * Who may see and change a plan or list: its owner. (Family sharing extends this with the
 * family membership read model.) Anyone else gets NOT_FOUND: another user's data does not
 * exist for them.
 */
export function canAccess(resource: Pick<MealPlan | ShoppingList, 'ownerId'>, userId: string | undefined): boolean {
  return resource.ownerId === userId;
}

export async function accessiblePlan(db: PrismaClient, id: string, userId: string): Promise<MealPlan> {
  const plan = isUuid(id) ? await db.mealPlan.findUnique({ where: { id } }) : null;
  if (!plan || !canAccess(plan, userId)) throw notFound('Meal plan');
  return plan;
}

export async function accessibleList(db: PrismaClient, id: string, userId: string): Promise<ShoppingList> {
  const list = isUuid(id) ? await db.shoppingList.findUnique({ where: { id } }) : null;
  if (!list || !canAccess(list, userId)) throw notFound('Shopping list');
  return list;
}
