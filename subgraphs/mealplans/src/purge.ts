import { newEvent, publish, UserDataPurged, UserDeleted, type EventEnvelope } from '@calos/events';
import type { Prisma } from './generated/prisma/client.js';

export const DOMAIN = 'mealplans';

/** Account deletion: the user's plans (with their entries), lists (with items) and pantry go. */
export async function purgeUserData(event: EventEnvelope, tx: Prisma.TransactionClient): Promise<void> {
  const { userId } = UserDeleted.schema.parse(event.data);
  const lists = await tx.shoppingList.deleteMany({ where: { ownerId: userId } });
  const plans = await tx.mealPlan.deleteMany({ where: { ownerId: userId } });
  const pantry = await tx.pantryItem.deleteMany({ where: { ownerId: userId } });
  // Items others' lists record as checked by this user keep their state, not the name.
  const checks = await tx.shoppingItem.updateMany({ where: { checkedBy: userId }, data: { checkedBy: null } });
  const rowsAffected = lists.count + plans.count + pantry.count + checks.count;
  await publish(tx, newEvent(UserDataPurged, userId, { userId, domain: DOMAIN, purgedAt: new Date().toISOString(), rowsAffected }));
}
