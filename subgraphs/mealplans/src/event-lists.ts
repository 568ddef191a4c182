import { EventRecipeAdded, HalloweenEventCancelled, HalloweenEventScheduled, type EventEnvelope } from '@calos/events';
import type { Prisma } from './generated/prisma/client.js';
import { ingredientsOf } from './recipe-read-model.js';
import { mergeRecipeIntoList } from './shopping.js';

type Tx = Prisma.TransactionClient;

/** The event's list, created or brought up to date (name, host, family). */
function eventList(tx: Tx, eventId: string, name: string, hostId: string, familyId: string | null) {
  const data = { ownerId: hostId, familyId, name: `Shopping for ${name}` };
  return tx.shoppingList.upsert({ where: { eventId }, create: { eventId, ...data }, update: data });
}

/**
 * Shopping lists of Halloween events (hollowtown): one per event, owned by the host and
 * shared with the event's family, filled as recipes are added to the event.
 */
export const eventListHandlers = {
  [HalloweenEventScheduled.type]: async (event: EventEnvelope, tx: Tx) => {
    const { eventId, name, hostId, familyId } = HalloweenEventScheduled.schema.parse(event.data);
    await eventList(tx, eventId, name, hostId, familyId);
  },
  [HalloweenEventCancelled.type]: async (event: EventEnvelope, tx: Tx) => {
    const { eventId } = HalloweenEventCancelled.schema.parse(event.data);
    await tx.shoppingList.deleteMany({ where: { eventId } });
  },
  [EventRecipeAdded.type]: async (event: EventEnvelope, tx: Tx) => {
    const { eventId, eventName, hostId, familyId, recipe, servings } = EventRecipeAdded.schema.parse(event.data);
    // The event travels with its current name, host and family: the list exists whatever arrived first.
    const list = await eventList(tx, eventId, eventName, hostId, familyId);
    if (recipe.source === 'HOLLOWTOWN') {
      await mergeRecipeIntoList(tx, list.id, { id: recipe.spookyRecipeId, title: recipe.title, serves: recipe.serves, ingredients: recipe.ingredients }, servings);
      return;
    }
    const snapshot = await tx.recipeSnapshot.findUnique({ where: { recipeId: recipe.recipeId } });
    // The recipes read model may trail by a moment: fail now, the consumer retries.
    if (!snapshot) throw new Error(`recipe ${recipe.recipeId} is not in the read model yet`);
    await mergeRecipeIntoList(tx, list.id, { id: snapshot.recipeId, title: snapshot.title, serves: snapshot.serves, ingredients: ingredientsOf(snapshot) }, servings);
  },
};
