import { GraphQLError } from 'graphql';
import { EventRecipeAdded, HalloweenEventCancelled, HalloweenEventScheduled, newEvent, publish, type EventOf } from '@calos/events';
import { badUserInput, ErrorCode, forbidden, isUuid, notFound, parseInput } from '@calos/kernel';
import { MAX_EVENT_SPENDING_CENTS } from './budget.js';
import type { HollowtownServices } from './context.js';
import { lockEvent } from './event-access.js';
import { awaitFamilyMembership, isFamilyMember } from './family-read-model.js';
import type { HalloweenEvent, Prisma } from './generated/prisma/client.js';
import { ingredientsOf, visibleTo } from './spooky-recipe-row.js';
import { createEventInput, eventRecipeInput, expenseInput, updateEventInput } from './validation.js';

type Tx = Prisma.TransactionClient;

/** Tells mealplans the event exists (or its name or family changed): it keeps the event's shopping list. */
const scheduled = (event: HalloweenEvent) =>
  newEvent(HalloweenEventScheduled, event.id, { eventId: event.id, name: event.name, hostId: event.hostId, familyId: event.familyId });

/** A host may share an event only with a family they belong to. */
async function requireFamily(services: HollowtownServices, familyId: string, hostId: string): Promise<void> {
  if (!(await awaitFamilyMembership(services.db, familyId, hostId))) throw badUserInput({ 'input.familyId': ['is not a family you belong to'] });
}

export async function createEvent(services: HollowtownServices, hostId: string, rawInput: unknown): Promise<HalloweenEvent> {
  const input = parseInput(createEventInput, rawInput);
  if (input.familyId) await requireFamily(services, input.familyId, hostId);
  const event = await services.db.$transaction(async (tx) => {
    const created = await tx.halloweenEvent.create({
      data: {
        hostId,
        familyId: input.familyId ?? null,
        name: input.name,
        type: input.type ?? 'PARTY',
        date: input.date,
        location: input.location ?? '',
        guestCount: input.guestCount ?? 0,
        budgetCents: input.budgetCents ?? 0,
      },
    });
    await publish(tx, scheduled(created));
    return created;
  });
  services.events.relay.wake();
  return event;
}

export async function updateEvent(services: HollowtownServices, id: string, hostId: string, rawInput: unknown): Promise<HalloweenEvent> {
  const input = parseInput(updateEventInput, rawInput);
  if (input.familyId) {
    // Checked before the transaction: waiting for the read model must not hold the event's lock.
    const current = isUuid(id) ? await services.db.halloweenEvent.findUnique({ where: { id }, select: { hostId: true, familyId: true } }) : null;
    if (current?.hostId === hostId && current.familyId !== input.familyId) await requireFamily(services, input.familyId, hostId);
  }
  const event = await services.db.$transaction(async (tx) => {
    const { event: before } = await lockEvent(tx, id, hostId, { hostOnly: true });
    if (input.familyId && input.familyId !== before.familyId) {
      // The family changed between the check and the lock: check again, without waiting.
      if (!(await isFamilyMember(tx, input.familyId, hostId))) throw badUserInput({ 'input.familyId': ['is not a family you belong to'] });
    }
    const data: Prisma.HalloweenEventUpdateInput = {};
    if (input.name !== undefined) data.name = input.name;
    if (input.type !== undefined) data.type = input.type;
    if (input.date !== undefined) data.date = input.date;
    if (input.location !== undefined) data.location = input.location ?? '';
    if (input.guestCount !== undefined) data.guestCount = input.guestCount;
    if (input.budgetCents !== undefined) data.budgetCents = input.budgetCents;
    if (input.familyId !== undefined) data.familyId = input.familyId ?? null;
    const updated = await tx.halloweenEvent.update({ where: { id: before.id }, data });
    if (updated.name !== before.name || updated.familyId !== before.familyId) await publish(tx, scheduled(updated));
    return updated;
  });
  services.events.relay.wake();
  return event;
}

export async function deleteEvent(services: HollowtownServices, id: string, hostId: string): Promise<string> {
  await services.db.$transaction(async (tx) => {
    const { event } = await lockEvent(tx, id, hostId, { hostOnly: true });
    await removeEvent(tx, event);
  });
  services.events.relay.wake();
  return id;
}

/** Deletes an event with its expenses and menu, and tells mealplans (its shopping list goes). */
export async function removeEvent(tx: Tx, event: Pick<HalloweenEvent, 'id' | 'hostId'>): Promise<void> {
  await tx.halloweenEvent.delete({ where: { id: event.id } });
  await publish(tx, newEvent(HalloweenEventCancelled, event.id, { eventId: event.id, hostId: event.hostId }));
}

/** The host or a family member records money spent. The event row is locked, so the total stays within bounds under concurrency. */
export async function addEventExpense(services: HollowtownServices, eventId: string, userId: string, rawInput: unknown): Promise<HalloweenEvent> {
  const input = parseInput(expenseInput, rawInput);
  return services.db.$transaction(async (tx) => {
    const { event } = await lockEvent(tx, eventId, userId);
    const { _sum } = await tx.eventExpense.aggregate({ where: { eventId: event.id }, _sum: { amountCents: true } });
    if ((_sum.amountCents ?? 0) + input.amountCents > MAX_EVENT_SPENDING_CENTS) {
      throw badUserInput({ 'input.amountCents': [`would take the event's expenses over ${MAX_EVENT_SPENDING_CENTS} cents`] });
    }
    await tx.eventExpense.create({
      data: { eventId: event.id, description: input.description, amountCents: input.amountCents, spentAt: input.spentAt ?? new Date(), addedBy: userId },
    });
    return event;
  });
}

/** The host removes any expense; a family member only the ones they added. */
export async function removeEventExpense(services: HollowtownServices, expenseId: string, userId: string): Promise<HalloweenEvent> {
  return services.db.$transaction(async (tx) => {
    const expense = isUuid(expenseId) ? await tx.eventExpense.findUnique({ where: { id: expenseId } }) : null;
    if (!expense) throw notFound('Expense');
    const { event, role } = await lockEvent(tx, expense.eventId, userId).catch((error: unknown) => {
      // An expense of an event you cannot see does not exist for you either.
      throw error instanceof GraphQLError && error.extensions.code === ErrorCode.NOT_FOUND ? notFound('Expense') : error;
    });
    if (role !== 'HOST' && expense.addedBy !== userId) throw forbidden('Only the host or whoever added an expense can remove it.');
    await tx.eventExpense.delete({ where: { id: expense.id } });
    return event;
  });
}

/**
 * Puts a recipe on the event's menu and announces it (EventRecipeAdded): mealplans adds its
 * ingredients, scaled to `servings`, to the event's shopping list. A spooky recipe travels with
 * its ingredients (they live here); a recipe of the recipes domain only as a reference, which
 * mealplans resolves from its own recipe read model.
 */
export async function addRecipeToEvent(services: HollowtownServices, eventId: string, userId: string, rawArgs: unknown): Promise<HalloweenEvent> {
  const args = parseInput(eventRecipeInput, rawArgs, '');
  const event = await services.db.$transaction(async (tx) => {
    const { event: locked } = await lockEvent(tx, eventId, userId);
    // What the event's shopping list needs: a spooky recipe travels whole, a recipes-domain
    // recipe by reference (mealplans has it in its read model).
    let recipe: EventOf<typeof EventRecipeAdded>['data']['recipe'];
    if (args.spookyRecipeId) {
      const spooky = await tx.spookyRecipe.findUnique({ where: { id: args.spookyRecipeId } });
      if (!spooky || !visibleTo(spooky, userId)) throw notFound('Spooky recipe');
      await tx.eventRecipe.create({ data: { eventId: locked.id, source: 'HOLLOWTOWN', spookyRecipeId: spooky.id, servings: args.servings, addedBy: userId } });
      const ingredients = ingredientsOf(spooky).map((i) => ({ name: i.name, quantity: i.quantity ?? null, unit: i.unit ?? null, note: i.note ?? null }));
      recipe = { source: 'HOLLOWTOWN', spookyRecipeId: spooky.id, title: spooky.name, serves: spooky.serves, ingredients };
    } else if (args.recipeId) {
      await tx.eventRecipe.create({ data: { eventId: locked.id, source: 'RECIPES', recipeId: args.recipeId, servings: args.servings, addedBy: userId } });
      recipe = { source: 'RECIPES', recipeId: args.recipeId };
    } else {
      return locked;
    }
    await publish(
      tx,
      newEvent(EventRecipeAdded, locked.id, {
        eventId: locked.id,
        eventName: locked.name,
        hostId: locked.hostId,
        familyId: locked.familyId,
        addedBy: userId,
        servings: args.servings,
        recipe,
      }),
    );
    return locked;
  });
  services.events.relay.wake();
  return event;
}
