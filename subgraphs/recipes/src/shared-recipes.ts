import { SpookyRecipeDeleted, SpookyRecipeShared, type EventEnvelope } from '@calos/events';
import type { Prisma } from './generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

/**
 * References to recipes of other domains in My Recipes. The reference is all we keep: the
 * content is resolved from its owner through federation, so an edit there shows up here
 * at once, and deleting the original removes the reference.
 */
export const sharedRecipeHandlers = {
  [SpookyRecipeShared.type]: async (event: EventEnvelope, tx: Tx) => {
    const { spookyRecipeId, userId } = SpookyRecipeShared.schema.parse(event.data);
    await tx.savedRecipe.upsert({
      where: { userId_source_refId: { userId, source: 'HOLLOWTOWN', refId: spookyRecipeId } },
      create: { userId, source: 'HOLLOWTOWN', refId: spookyRecipeId, savedAt: new Date(event.occurredAt) },
      update: {},
    });
  },
  [SpookyRecipeDeleted.type]: async (event: EventEnvelope, tx: Tx) => {
    const { spookyRecipeId } = SpookyRecipeDeleted.schema.parse(event.data);
    await tx.savedRecipe.deleteMany({ where: { source: 'HOLLOWTOWN', refId: spookyRecipeId } });
  },
};
