import { groupByKey } from '@calos/service';
import DataLoader from 'dataloader';
import { isUuid } from '@calos/kernel';
import {
  Prisma,
  type Costume,
  type EventExpense,
  type EventRecipe,
  type HalloweenEvent,
  type HauntedHousePlan,
  type PrismaClient,
} from './generated/prisma/client.js';
import { encodeCursor, toPage, type Page } from '@calos/service';
import { SPOOKY_COLUMNS, spookySelect, type SpookyRecipeRow } from './spooky-recipe-row.js';

/** Rows by id, in the order of `ids` (null where there is none); ids that are not UUIDs are simply not found. */
function byIds<T extends { id: string }>(find: (ids: string[]) => Promise<T[]>) {
  return async (ids: readonly string[]): Promise<Array<T | null>> => {
    const valid = ids.filter(isUuid);
    const rows = valid.length ? await find(valid) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  };
}

/** Per-request loaders: any number of recipes, events, costumes, plans or users cost one statement per kind. */
export function createLoaders(db: PrismaClient, viewerId: string | null) {
  const visible = viewerId ? { OR: [{ visibility: 'PUBLIC' as const }, { authorId: viewerId }] } : { visibility: 'PUBLIC' as const };
  return {
    /** Spooky recipes the viewer may see (a private one of someone else resolves to null: it does not exist for them). */
    spookyRecipe: new DataLoader<string, SpookyRecipeRow | null>(
      byIds((ids) => db.spookyRecipe.findMany({ where: { id: { in: ids }, ...visible }, select: spookySelect })),
    ),
    /** The first page of each author's spooky recipes, for many authors in one statement. */
    spookyRecipesByAuthor: new DataLoader<string, Page<SpookyRecipeRow>, string>(
      async (keys) => {
        const parsed = keys.map((k) => JSON.parse(k) as { authorId: string; first: number });
        const first = Math.max(...parsed.map((p) => p.first));
        const authorIds = [...new Set(parsed.map((p) => p.authorId).filter(isUuid))];
        const visibility = viewerId ? Prisma.sql`(r."visibility" = 'PUBLIC' OR r."authorId" = ${viewerId}::uuid)` : Prisma.sql`r."visibility" = 'PUBLIC'`;
        const [rows, counts] = authorIds.length
          ? await Promise.all([
              db.$queryRaw<Array<SpookyRecipeRow & { rn: bigint }>>`
                SELECT * FROM (
                  SELECT ${SPOOKY_COLUMNS}, row_number() OVER (PARTITION BY r."authorId" ORDER BY r."createdAt" DESC, r."id" DESC) AS "rn"
                  FROM "spooky_recipes" r WHERE r."authorId" = ANY(${authorIds}::uuid[]) AND ${visibility}) s
                WHERE s."rn" <= ${first + 1} ORDER BY s."authorId", s."rn"`,
              db.$queryRaw<Array<{ authorId: string; n: bigint }>>`
                SELECT r."authorId", count(*) AS n FROM "spooky_recipes" r WHERE r."authorId" = ANY(${authorIds}::uuid[]) AND ${visibility} GROUP BY r."authorId"`,
            ])
          : [[], []];
        const countOf = new Map(counts.map((c) => [c.authorId, Number(c.n)]));
        return parsed.map(({ authorId, first: wanted }) => {
          const mine = rows.filter((r) => r.authorId === authorId).slice(0, wanted + 1);
          return toPage(mine, wanted, (r) => encodeCursor({ c: r.createdAt.toISOString(), id: r.id }), countOf.get(authorId) ?? 0, false);
        });
      },
      { cacheKeyFn: (k) => k },
    ),

    /** Events by id, whoever may see them: callers check access (see event-access.ts). */
    event: new DataLoader<string, HalloweenEvent | null>(byIds((ids) => db.halloweenEvent.findMany({ where: { id: { in: ids } } }))),
    eventsByHost: new DataLoader<string, HalloweenEvent[]>(async (hostIds) =>
      groupByKey(
        await db.halloweenEvent.findMany({ where: { hostId: { in: hostIds.filter(isUuid) } }, orderBy: [{ date: 'asc' }, { id: 'asc' }] }),
        (r) => r.hostId,
        hostIds,
      ),
    ),
    /** Whether the viewer belongs to each family (the membership read model). */
    viewerInFamily: new DataLoader<string, boolean>(async (familyIds) => {
      if (!viewerId) return familyIds.map(() => false);
      const rows = await db.familyMember.findMany({ where: { userId: viewerId, familyId: { in: familyIds.filter(isUuid) }, active: true }, select: { familyId: true } });
      const member = new Set(rows.map((r) => r.familyId));
      return familyIds.map((id) => member.has(id));
    }),
    expensesByEvent: new DataLoader<string, EventExpense[]>(async (eventIds) =>
      groupByKey(
        await db.eventExpense.findMany({ where: { eventId: { in: [...eventIds] } }, orderBy: [{ spentAt: 'asc' }, { id: 'asc' }] }),
        (r) => r.eventId,
        eventIds,
      ),
    ),
    recipesByEvent: new DataLoader<string, EventRecipe[]>(async (eventIds) =>
      groupByKey(
        await db.eventRecipe.findMany({ where: { eventId: { in: [...eventIds] } }, orderBy: [{ addedAt: 'asc' }, { id: 'asc' }] }),
        (r) => r.eventId,
        eventIds,
      ),
    ),

    costume: new DataLoader<string, Costume | null>(byIds((ids) => db.costume.findMany({ where: { id: { in: ids } } }))),
    costumesByAuthor: new DataLoader<string, Costume[]>(async (authorIds) =>
      groupByKey(
        await db.costume.findMany({ where: { authorId: { in: authorIds.filter(isUuid) } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
        (r) => r.authorId,
        authorIds,
      ),
    ),
    viewerUpvoted: new DataLoader<string, boolean>(async (costumeIds) => {
      if (!viewerId) return costumeIds.map(() => false);
      const rows = await db.costumeVote.findMany({ where: { userId: viewerId, costumeId: { in: [...costumeIds] } }, select: { costumeId: true } });
      const voted = new Set(rows.map((r) => r.costumeId));
      return costumeIds.map((id) => voted.has(id));
    }),

    hauntedHousePlan: new DataLoader<string, HauntedHousePlan | null>(byIds((ids) => db.hauntedHousePlan.findMany({ where: { id: { in: ids } } }))),
    plansByOwner: new DataLoader<string, HauntedHousePlan[]>(async (ownerIds) =>
      groupByKey(
        await db.hauntedHousePlan.findMany({ where: { ownerId: { in: ownerIds.filter(isUuid) } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
        (r) => r.ownerId,
        ownerIds,
      ),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
