import { forbidden, isUuid, notFound, parseInput } from '@calos/kernel';
import type { HollowtownServices } from './context.js';
import { Prisma, type Costume, type PrismaClient } from './generated/prisma/client.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '@calos/service';
import { createCostumeInput } from './validation.js';

export type CostumePage = Page<Costume>;
export type CostumeSort = 'TOP' | 'NEW';

export async function createCostume(services: HollowtownServices, authorId: string, rawInput: unknown): Promise<Costume> {
  const input = parseInput(createCostumeInput, rawInput);
  return services.db.costume.create({
    data: {
      authorId,
      name: input.name,
      difficulty: input.difficulty ?? 'MEDIUM',
      materials: input.materials ?? [],
      costEstimateCents: input.costEstimateCents ?? null,
      imageUrl: input.imageUrl ?? null,
    },
  });
}

export async function deleteCostume(services: HollowtownServices, id: string, viewerId: string): Promise<string> {
  const costume = isUuid(id) ? await services.db.costume.findUnique({ where: { id }, select: { authorId: true } }) : null;
  if (!costume) throw notFound('Costume');
  if (costume.authorId !== viewerId) throw forbidden('Only the author can delete this costume.');
  // Votes go with it (cascade).
  await services.db.costume.deleteMany({ where: { id, authorId: viewerId } });
  return id;
}

/**
 * One upvote per user, exact under any concurrency: the vote row's primary key decides
 * (a repeat vote inserts nothing), and the counter moves only when a row was inserted, in
 * the same transaction. A repeat vote is not an error: it returns the costume unchanged.
 */
export async function upvoteCostume(services: HollowtownServices, id: string, userId: string): Promise<Costume> {
  if (!isUuid(id)) throw notFound('Costume');
  return services.db.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO "costume_votes" ("costumeId", "userId")
      SELECT "id", ${userId}::uuid FROM "costumes" WHERE "id" = ${id}::uuid
      ON CONFLICT ("costumeId", "userId") DO NOTHING`;
    if (inserted === 1) return tx.costume.update({ where: { id }, data: { upvotes: { increment: 1 } } });
    const costume = await tx.costume.findUnique({ where: { id } });
    if (!costume) throw notFound('Costume');
    return costume;
  });
}

/** Takes the viewer's vote back; without a vote, nothing changes. */
export async function removeCostumeUpvote(services: HollowtownServices, id: string, userId: string): Promise<Costume> {
  if (!isUuid(id)) throw notFound('Costume');
  return services.db.$transaction(async (tx) => {
    const { count } = await tx.costumeVote.deleteMany({ where: { costumeId: id, userId } });
    if (count === 1) return tx.costume.update({ where: { id }, data: { upvotes: { decrement: 1 } } });
    const costume = await tx.costume.findUnique({ where: { id } });
    if (!costume) throw notFound('Costume');
    return costume;
  });
}

/**
 * The costume gallery with keyset pagination: TOP is most upvoted first (newest first among
 * equals), NEW is newest first. A TOP page reflects the votes at the time it is read.
 */
export async function listCostumes(db: PrismaClient, sort: CostumeSort, first: number, after: string | null | undefined): Promise<CostumePage> {
  let keyset = Prisma.sql`TRUE`;
  if (after && sort === 'TOP') {
    const c = decodeCursor(after, ['u', 'c', 'id'] as const);
    keyset = Prisma.sql`(c."upvotes", c."createdAt", c."id") < (${Number(c.u)}::int, ${c.c}::timestamptz, ${c.id}::uuid)`;
  } else if (after) {
    const c = decodeCursor(after, ['c', 'id'] as const);
    keyset = Prisma.sql`(c."createdAt", c."id") < (${c.c}::timestamptz, ${c.id}::uuid)`;
  }
  const order = sort === 'TOP' ? Prisma.sql`c."upvotes" DESC, c."createdAt" DESC, c."id" DESC` : Prisma.sql`c."createdAt" DESC, c."id" DESC`;
  const [rows, total] = await Promise.all([
    db.$queryRaw<Costume[]>`SELECT c.* FROM "costumes" c WHERE ${keyset} ORDER BY ${order} LIMIT ${first + 1}`,
    db.costume.count(),
  ]);
  const cursorOf = (row: Costume) =>
    sort === 'TOP'
      ? encodeCursor({ u: String(row.upvotes), c: row.createdAt.toISOString(), id: row.id })
      : encodeCursor({ c: row.createdAt.toISOString(), id: row.id });
  return toPage(rows, first, cursorOf, total, Boolean(after));
}
