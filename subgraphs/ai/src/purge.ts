import { newEvent, publish, UserDataPurged, UserDeleted, type EventEnvelope } from '@calos/events';
import type { Prisma } from './generated/prisma/client.js';

export const DOMAIN = 'ai';

/**
 * Account deletion: the user's provider keys (ciphertext included), model preference,
 * generations and usage log are deleted. Reports UserDataPurged in the same transaction.
 */
export async function purgeUserData(event: EventEnvelope, tx: Prisma.TransactionClient): Promise<void> {
  const { userId } = UserDeleted.schema.parse(event.data);
  let rows = 0;
  rows += (await tx.apiKey.deleteMany({ where: { userId } })).count;
  rows += (await tx.modelPreference.deleteMany({ where: { userId } })).count;
  rows += (await tx.aiGeneration.deleteMany({ where: { userId } })).count;
  rows += (await tx.aiUsage.deleteMany({ where: { userId } })).count;
  await publish(tx, newEvent(UserDataPurged, userId, { userId, domain: DOMAIN, purgedAt: new Date().toISOString(), rowsAffected: rows }));
}
