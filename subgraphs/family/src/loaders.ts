import { groupByKey } from '@calos/service';
import DataLoader from 'dataloader';
import { isUuid, notFound } from '@calos/kernel';
import { overlaps, overlapsWhere } from './calendar.js';
import type { Family, FamilyEvent, FamilyInvitation, FamilyMember, PrismaClient, TodoItem, TodoList } from './generated/prisma/client.js';
import type { CalendarRange } from './validation.js';

export interface CalendarKey extends CalendarRange {
  familyId: string;
}

/**
 * Per-request loaders: any number of families, lists or events cost one statement per kind.
 * The by-id loaders only return what the viewer may see (rows of families they are a member
 * of); anything else is null, for queries and `_entities` alike.
 */
export function createLoaders(db: PrismaClient, viewerId: string | null) {
  // Anonymous viewers see no family.
  const mine = viewerId ? { members: { some: { userId: viewerId } } } : null;
  return {
    family: new DataLoader<string, Family | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = mine && valid.length ? await db.family.findMany({ where: { id: { in: valid }, ...mine } }) : [];
      return groupByKey(rows, (r) => r.id, ids).map((g) => g[0] ?? null);
    }),
    /** Longest-standing first. */
    membersByFamily: new DataLoader<string, FamilyMember[]>(async (familyIds) =>
      groupByKey(
        await db.familyMember.findMany({ where: { familyId: { in: [...familyIds] } }, orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }] }),
        (r) => r.familyId,
        familyIds,
      ),
    ),
    /** The families of each user, by name. */
    familiesByUser: new DataLoader<string, Family[]>(async (userIds) => {
      const rows = await db.familyMember.findMany({
        where: { userId: { in: [...userIds] } },
        include: { family: true },
        orderBy: [{ family: { name: 'asc' } }, { familyId: 'asc' }],
      });
      return groupByKey(rows, (r) => r.userId, userIds).map((g) => g.map((r) => r.family));
    }),
    /** Pending invitations, newest first. */
    invitationsByFamily: new DataLoader<string, FamilyInvitation[]>(async (familyIds) =>
      groupByKey(
        await db.familyInvitation.findMany({
          where: { familyId: { in: [...familyIds] }, acceptedAt: null, expiresAt: { gt: new Date() } },
          orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        }),
        (r) => r.familyId,
        familyIds,
      ),
    ),
    todoList: new DataLoader<string, TodoList | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = mine && valid.length ? await db.todoList.findMany({ where: { id: { in: valid }, family: mine } }) : [];
      return groupByKey(rows, (r) => r.id, ids).map((g) => g[0] ?? null);
    }),
    /** Oldest first. */
    listsByFamily: new DataLoader<string, TodoList[]>(async (familyIds) =>
      groupByKey(
        await db.todoList.findMany({ where: { familyId: { in: [...familyIds] } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
        (r) => r.familyId,
        familyIds,
      ),
    ),
    /** Open work first (the status enum's order), then by due date, then oldest first. */
    itemsByList: new DataLoader<string, TodoItem[]>(async (listIds) =>
      groupByKey(
        await db.todoItem.findMany({
          where: { listId: { in: [...listIds] } },
          orderBy: [{ status: 'asc' }, { dueDate: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }, { id: 'asc' }],
        }),
        (r) => r.listId,
        listIds,
      ),
    ),
    familyEvent: new DataLoader<string, FamilyEvent | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = mine && valid.length ? await db.familyEvent.findMany({ where: { id: { in: valid }, family: mine } }) : [];
      return groupByKey(rows, (r) => r.id, ids).map((g) => g[0] ?? null);
    }),
    /** Calendars of many families (and ranges) in one statement over the union of the ranges, split up here. */
    eventsInRange: new DataLoader<CalendarKey, FamilyEvent[], string>(
      async (keys) => {
        const rows = await db.familyEvent.findMany({
          where: { familyId: { in: [...new Set(keys.map((k) => k.familyId))] }, ...overlapsWhere(keys) },
          orderBy: [{ startTime: 'asc' }, { endTime: 'asc' }, { id: 'asc' }],
        });
        return keys.map((key) => rows.filter((r) => r.familyId === key.familyId && overlaps(r, key)));
      },
      { cacheKeyFn: (k) => `${k.familyId}|${k.from.toISOString()}|${k.to.toISOString()}` },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** For non-null links (an item's list, a list's family): the viewer reached the child, so the parent is theirs too. */
export async function loadVisible<T>(loader: DataLoader<string, T | null>, id: string, what: string): Promise<T> {
  const row = await loader.load(id);
  if (!row) throw notFound(what);
  return row;
}
