import { EventRecipeAdded, HalloweenEventCancelled, HalloweenEventScheduled, type EventEnvelope } from '@calos/events';
import type { Prisma } from './generated/prisma/client.js';
import { ingredientsOf } from './recipe-read-model.js';
import { mergeRecipeIntoList } from './shopping.js';

type Tx = Prisma.TransactionClient;

/**
 * Shopping lists of Halloween events (hollowtown): one per event, owned by the host and
 * shared with the event's family, filled as recipes are added to the event.
 */
export const eventListHandlers = {
  [HalloweenEventScheduled.type]: async (event: EventEnvelope, tx: Tx) => {
    const { eventId, name, hostId, familyId } = HalloweenEventScheduled.schema.parse(event.data);
    await tx.shoppingList.upsert({
      where: { eventId },
      create: { eventId, ownerId: hostId, familyId, name: `Shopping for ${name}` },
      update: { ownerId: hostId, familyId, name: `Shopping for ${name}` },
    });
  },
  [HalloweenEventCancelled.type]: async (event: EventEnvelope, tx: Tx) => {
    const { eventId } = HalloweenEventCancelled.schema.parse(event.data);
    await tx.shoppingList.deleteMany({ where: { eventId } });
  },
  [EventRecipeAdded.type]: async (event: EventEnvelope, tx: Tx) => {
    const { eventId, recipe, servings } = EventRecipeAdded.schema.parse(event.data);
    const list = await tx.shoppingList.findUnique({ where: { eventId } });
    // Events of one Halloween event arrive in order, so its list exists; if not, retry later.
    if (!list) throw new Error(`no shopping list yet for event ${eventId}`);
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
