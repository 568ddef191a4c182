import { awaitReadModel, forbidden, isUuid, notFound } from '@calos/kernel';
import type { MealPlan, PrismaClient, ShoppingList } from './generated/prisma/client.js';

/**
 * Who may see and change a plan or list: its owner, and — when it is shared with a family —
 * the family's current members, as the membership read model (fed by the family events)
 * knows them. A removed member loses access as soon as that event is applied. Anyone else
 * gets NOT_FOUND: another user's data does not exist for them.
 */
export type Shared = Pick<MealPlan | ShoppingList, 'ownerId' | 'familyId'>;

/** family id → role, for one user. */
export type Memberships = Map<string, string>;

export async function membershipsOf(db: PrismaClient, userId: string | undefined): Promise<Memberships> {
  if (!userId) return new Map();
  const rows = await db.familyMembership.findMany({ where: { userId }, select: { familyId: true, role: true } });
  return new Map(rows.map((r) => [r.familyId, r.role]));
}

export function canAccess(resource: Shared, userId: string | undefined, memberships: Memberships): boolean {
  if (!userId) return false;
  return resource.ownerId === userId || (resource.familyId !== null && memberships.has(resource.familyId));
}

/** Deleting a shared list or plan, or removing its items: the owner, or a family ADMIN/PARENT — never a CHILD. */
export function assertMayDelete(resource: Shared, userId: string, memberships: Memberships): void {
  if (resource.ownerId === userId) return;
  const role = resource.familyId ? memberships.get(resource.familyId) : undefined;
  if (role !== 'ADMIN' && role !== 'PARENT') throw forbidden('Only the owner or a parent of the family can delete this.');
}

export async function accessiblePlan(db: PrismaClient, id: string, userId: string): Promise<{ plan: MealPlan; memberships: Memberships }> {
  const plan = isUuid(id) ? await db.mealPlan.findUnique({ where: { id } }) : null;
  const memberships = await membershipsOf(db, userId);
  if (!plan || !canAccess(plan, userId, memberships)) throw notFound('Meal plan');
  return { plan, memberships };
}

export async function accessibleList(db: PrismaClient, id: string, userId: string): Promise<{ list: ShoppingList; memberships: Memberships }> {
  const list = isUuid(id) ? await db.shoppingList.findUnique({ where: { id } }) : null;
  const memberships = await membershipsOf(db, userId);
  if (!list || !canAccess(list, userId, memberships)) throw notFound('Shopping list');
  return { list, memberships };
}

/**
 * Whether the user is in the family, waiting briefly for the membership read model when
 * they are not (yet): someone who just created or joined a family can share with it at once.
 */
export async function isMemberOf(db: PrismaClient, userId: string, familyId: string): Promise<boolean> {
  return (await awaitReadModel(() => db.familyMembership.findUnique({ where: { familyId_userId: { familyId, userId } } }))) !== null;
}
