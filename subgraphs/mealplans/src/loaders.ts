import { groupByKey } from '@calos/service';
import DataLoader from 'dataloader';
import type { MealPlan, MealPlanEntry, PantryItem, PrismaClient, ShoppingItem, ShoppingList } from './generated/prisma/client.js';

const SLOT_ORDER = { BREAKFAST: 0, LUNCH: 1, DINNER: 2, SNACK: 3 } as const;

/** Per-request loaders: any number of plans, lists or users cost one statement per kind. */
export function createLoaders(db: PrismaClient) {
  return {
    mealPlan: new DataLoader<string, MealPlan | null>(async (ids) => {
      const rows = await db.mealPlan.findMany({ where: { id: { in: [...ids] } } });
      return groupByKey(rows, (r) => r.id, ids).map((g) => g[0] ?? null);
    }),
    entriesByPlan: new DataLoader<string, MealPlanEntry[]>(async (planIds) => {
      const rows = await db.mealPlanEntry.findMany({ where: { mealPlanId: { in: [...planIds] } }, orderBy: [{ date: 'asc' }] });
      rows.sort((a, b) => a.date.getTime() - b.date.getTime() || SLOT_ORDER[a.slot] - SLOT_ORDER[b.slot]);
      return groupByKey(rows, (r) => r.mealPlanId, planIds);
    }),
    plansByOwner: new DataLoader<string, MealPlan[]>(async (ownerIds) =>
      groupByKey(
        await db.mealPlan.findMany({ where: { ownerId: { in: [...ownerIds] } }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] }),
        (r) => r.ownerId,
        ownerIds,
      ),
    ),
    shoppingList: new DataLoader<string, ShoppingList | null>(async (ids) => {
      const rows = await db.shoppingList.findMany({ where: { id: { in: [...ids] } } });
      return groupByKey(rows, (r) => r.id, ids).map((g) => g[0] ?? null);
    }),
    listByPlan: new DataLoader<string, ShoppingList | null>(async (planIds) => {
      const rows = await db.shoppingList.findMany({ where: { mealPlanId: { in: [...planIds] } } });
      return groupByKey(rows, (r) => r.mealPlanId!, planIds).map((g) => g[0] ?? null);
    }),
    listsByOwner: new DataLoader<string, ShoppingList[]>(async (ownerIds) =>
      groupByKey(
        await db.shoppingList.findMany({ where: { ownerId: { in: [...ownerIds] } }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] }),
        (r) => r.ownerId,
        ownerIds,
      ),
    ),
    /** Plans a user sees in their own lists: their own, and those shared with their families. */
    plansVisibleTo: new DataLoader<string, MealPlan[], string>(
      async (keys) => {
        const parsed = keys.map((k) => JSON.parse(k) as { userId: string; familyIds: string[] });
        const rows = await db.mealPlan.findMany({
          where: { OR: [{ ownerId: { in: parsed.map((p) => p.userId) } }, { familyId: { in: parsed.flatMap((p) => p.familyIds) } }] },
          orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        });
        return parsed.map((p) => rows.filter((r) => r.ownerId === p.userId || (r.familyId !== null && p.familyIds.includes(r.familyId))));
      },
      { cacheKeyFn: (k) => k },
    ),
    listsVisibleTo: new DataLoader<string, ShoppingList[], string>(
      async (keys) => {
        const parsed = keys.map((k) => JSON.parse(k) as { userId: string; familyIds: string[] });
        const rows = await db.shoppingList.findMany({
          where: { OR: [{ ownerId: { in: parsed.map((p) => p.userId) } }, { familyId: { in: parsed.flatMap((p) => p.familyIds) } }] },
          orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        });
        return parsed.map((p) => rows.filter((r) => r.ownerId === p.userId || (r.familyId !== null && p.familyIds.includes(r.familyId))));
      },
      { cacheKeyFn: (k) => k },
    ),
    listsByFamily: new DataLoader<string, ShoppingList[]>(async (familyIds) =>
      groupByKey(
        await db.shoppingList.findMany({ where: { familyId: { in: [...familyIds] } }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] }),
        (r) => r.familyId!,
        familyIds,
      ),
    ),
    plansByFamily: new DataLoader<string, MealPlan[]>(async (familyIds) =>
      groupByKey(
        await db.mealPlan.findMany({ where: { familyId: { in: [...familyIds] } }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] }),
        (r) => r.familyId!,
        familyIds,
      ),
    ),
    listByEvent: new DataLoader<string, ShoppingList | null>(async (eventIds) => {
      const rows = await db.shoppingList.findMany({ where: { eventId: { in: [...eventIds] } } });
      return groupByKey(rows, (r) => r.eventId!, eventIds).map((g) => g[0] ?? null);
    }),
    itemsByList: new DataLoader<string, ShoppingItem[]>(async (listIds) =>
      groupByKey(
        await db.shoppingItem.findMany({ where: { listId: { in: [...listIds] } }, orderBy: [{ checked: 'asc' }, { name: 'asc' }, { position: 'asc' }] }),
        (r) => r.listId,
        listIds,
      ),
    ),
    pantryByOwner: new DataLoader<string, PantryItem[]>(async (ownerIds) =>
      groupByKey(
        await db.pantryItem.findMany({ where: { ownerId: { in: [...ownerIds] } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
        (r) => r.ownerId,
        ownerIds,
      ),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
