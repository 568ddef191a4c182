import { newEvent, publish, UserDataPurged, UserDeleted, type EventEnvelope } from '@calos/events';
import type { Prisma } from './generated/prisma/client.js';
import { removeEvent } from './halloween-events.js';
import { removeSpookyRecipe } from './spooky-recipes.js';

export const DOMAIN = 'hollowtown';

/**
 * Account deletion: the user's spooky recipes (SpookyRecipeDeleted each), costumes, votes
 * (taken out of other costumes' counts), haunted-house plans and hosted events
 * (HalloweenEventCancelled each) go; on others' events, their expenses keep the amount but
 * lose the name. Reports UserDataPurged in the same transaction.
 */
export async function purgeUserData(event: EventEnvelope, tx: Prisma.TransactionClient): Promise<void> {
  const { userId } = UserDeleted.schema.parse(event.data);
  let rows = 0;

  // Votes first, costume rows locked in id order so concurrent voters never deadlock with us.
  const votes = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT c."id" FROM "costumes" c JOIN "costume_votes" v ON v."costumeId" = c."id"
    WHERE v."userId" = ${userId}::uuid ORDER BY c."id" FOR UPDATE OF c`;
  for (const { id } of votes) await tx.costume.update({ where: { id }, data: { upvotes: { decrement: 1 } } });
  rows += (await tx.costumeVote.deleteMany({ where: { userId } })).count;
  rows += (await tx.costume.deleteMany({ where: { authorId: userId } })).count;
  rows += (await tx.hauntedHousePlan.deleteMany({ where: { ownerId: userId } })).count;

  const events = await tx.halloweenEvent.findMany({ where: { hostId: userId }, select: { id: true, hostId: true }, orderBy: { id: 'asc' } });
  for (const hosted of events) await removeEvent(tx, hosted);
  rows += events.length;
  rows += (await tx.eventExpense.updateMany({ where: { addedBy: userId }, data: { addedBy: null } })).count;
  rows += (await tx.eventRecipe.updateMany({ where: { addedBy: userId }, data: { addedBy: null } })).count;

  const recipes = await tx.spookyRecipe.findMany({ where: { authorId: userId }, select: { id: true, authorId: true }, orderBy: { id: 'asc' } });
  for (const recipe of recipes) await removeSpookyRecipe(tx, recipe);
  rows += recipes.length;
  rows += (await tx.familyMember.deleteMany({ where: { userId } })).count;

  await publish(tx, newEvent(UserDataPurged, userId, { userId, domain: DOMAIN, purgedAt: new Date().toISOString(), rowsAffected: rows }));
}
