import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '@calos/auth';
import { FamilyDeleted, FamilyMemberAdded, FamilyMemberRemoved, newEvent, streamOf, type EventEnvelope } from '@calos/events';
import { familyEventHandlers } from '../src/family-read-model.js';
import { CREATE_EVENT, CREATE_SPOOKY, EVENT_FIELDS, eventInput, newViewer, spookyInput, startHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('events');
});

afterAll(async () => {
  await h?.close();
});

const GET = `query($id: ID!) { event(id: $id) { ${EVENT_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { ${EVENT_FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteEvent(id: $id) }`;
const ADD_EXPENSE = `mutation($id: ID!, $input: EventExpenseInput!) { addEventExpense(eventId: $id, input: $input) { ${EVENT_FIELDS} } }`;
const REMOVE_EXPENSE = `mutation($id: ID!) { removeEventExpense(expenseId: $id) { id spentCents } }`;
const ADD_RECIPE = `mutation($id: ID!, $recipeId: ID, $spookyRecipeId: ID, $servings: Int!) {
  addRecipeToEvent(eventId: $id, recipeId: $recipeId, spookyRecipeId: $spookyRecipeId, servings: $servings) { ${EVENT_FIELDS} }
}`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Event { id name budgetCents spentCents } } }`;

async function createEvent(host: Viewer, overrides: Record<string, unknown> = {}) {
  return (await h.ok(CREATE_EVENT, { input: eventInput(overrides) }, host)).createEvent;
}

/** Applies a family event to the membership read model, as the consumer does. */
let familyVersion = 0;
async function applyFamilyEvent(event: ReturnType<typeof newEvent>) {
  const envelope = { ...event, version: event.version ?? ++familyVersion } as EventEnvelope;
  const handler = familyEventHandlers[envelope.eventType as keyof typeof familyEventHandlers];
  await h.service.services.db.$transaction((tx) => handler(envelope, tx));
}
const join = (familyId: string, userId: string, version?: number) =>
  applyFamilyEvent(newEvent(FamilyMemberAdded, familyId, { familyId, userId, role: 'PARENT' }, { version }));
const leave = (familyId: string, userId: string, version?: number) =>
  applyFamilyEvent(newEvent(FamilyMemberRemoved, familyId, { familyId, userId }, { version }));

const counts = async () => {
  const { db } = h.service.services;
  const [events, expenses, recipes, outbox] = await Promise.all([db.halloweenEvent.count(), db.eventExpense.count(), db.eventRecipe.count(), db.outboxEvent.count()]);
  return { events, expenses, recipes, outbox };
};

describe('events: create, update, delete', () => {
  it('creates an event for its host and announces HalloweenEventScheduled', async () => {
    const host = newViewer();
    const event = await createEvent(host);
    expect(event).toMatchObject({
      name: 'Monster Mash',
      type: 'PARTY',
      date: '2026-10-31T18:00:00.000Z',
      location: 'The old mill',
      guestCount: 20,
      budgetCents: 25_000,
      spentCents: 0,
      remainingCents: 25_000,
      host: { id: host.userId },
      family: null,
      expenses: [],
      recipes: [],
    });
    const scheduled = await h.outbox('HalloweenEventScheduled', event.id);
    expect(scheduled.map((e) => [e.aggregateType, e.version, e.data])).toEqual([
      ['Event', 1, { eventId: event.id, name: 'Monster Mash', hostId: host.userId, familyId: null }],
    ]);
    expect((await h.ok('{ events { id } }', {}, host)).events).toEqual([{ id: event.id }]);
  });

  it('rejects a negative budget (and other bad fields) per field, writing nothing', async () => {
    const before = await counts();
    const result = await h.gql(CREATE_EVENT, { input: eventInput({ budgetCents: -1, name: '  ', guestCount: -5 }) }, newViewer());
    expect(result.codes).toEqual(['BAD_USER_INPUT']);
    expect(result.fields).toEqual({
      'input.budgetCents': ['must not be negative'],
      'input.name': ['must not be empty'],
      'input.guestCount': ['must not be negative'],
    });
    expect(await counts()).toEqual(before);

    const host = newViewer();
    const event = await createEvent(host);
    const update = await h.gql(UPDATE, { id: event.id, input: { budgetCents: -100 } }, host);
    expect(update.fields).toEqual({ 'input.budgetCents': ['must not be negative'] });
    expect((await h.ok(GET, { id: event.id }, host)).event.budgetCents).toBe(25_000);
  });

  it('re-announces the event when its name or family changes, not for other changes; only the host may change it', async () => {
    const host = newViewer();
    const familyId = randomUUID();
    await join(familyId, host.userId);
    const event = await createEvent(host);
    await h.ok(UPDATE, { id: event.id, input: { budgetCents: 30_000, guestCount: 25, location: null } }, host);
    const renamed = (await h.ok(UPDATE, { id: event.id, input: { name: 'Monster Mash II', type: 'HAUNTED_HOUSE' } }, host)).updateEvent;
    expect(renamed).toMatchObject({ name: 'Monster Mash II', type: 'HAUNTED_HOUSE', budgetCents: 30_000, guestCount: 25, location: '' });
    await h.ok(UPDATE, { id: event.id, input: { familyId } }, host);
    await h.ok(UPDATE, { id: event.id, input: { familyId: null } }, host);

    const scheduled = await h.outbox('HalloweenEventScheduled', event.id);
    expect(scheduled.map((e) => [e.version, (e.data as any).name, (e.data as any).familyId])).toEqual([
      [1, 'Monster Mash', null],
      [2, 'Monster Mash II', null],
      [3, 'Monster Mash II', familyId],
      [4, 'Monster Mash II', null],
    ]);

    const stranger = newViewer();
    expect((await h.gql(UPDATE, { id: event.id, input: { name: 'Mine' } }, stranger)).codes).toEqual(['NOT_FOUND']);
    expect((await h.gql(DELETE, { id: event.id }, stranger)).codes).toEqual(['NOT_FOUND']);
    expect((await h.ok(DELETE, { id: event.id }, host)).deleteEvent).toBe(event.id);
    expect((await h.ok(GET, { id: event.id }, host)).event).toBeNull();
    expect((await h.outbox('HalloweenEventCancelled', event.id)).map((e) => [e.version, e.data])).toEqual([
      [5, { eventId: event.id, hostId: host.userId }],
    ]);
  });

  it('lets a host share an event only with a family they belong to', async () => {
    const host = newViewer();
    const before = await counts();
    const result = await h.gql(CREATE_EVENT, { input: eventInput({ familyId: randomUUID() }) }, host);
    expect(result.fields).toEqual({ 'input.familyId': ['is not a family you belong to'] });
    expect((await h.gql(CREATE_EVENT, { input: eventInput({ familyId: 'nope' }) }, host)).fields).toEqual({ 'input.familyId': ['is not a valid id'] });
    expect(await counts()).toEqual(before);
  });
});

describe('events: budget and expenses', () => {
  it('sums the expenses into spentCents and remainingCents, going negative over budget', async () => {
    const host = newViewer();
    const event = await createEvent(host, { budgetCents: 10_000 });
    await h.ok(ADD_EXPENSE, { id: event.id, input: { description: 'Pumpkins', amountCents: 2_500 } }, host);
    const after = (await h.ok(ADD_EXPENSE, { id: event.id, input: { description: 'Fog machine fluid', amountCents: 1_234, spentAt: '2026-10-20T12:00:00.000Z' } }, host))
      .addEventExpense;
    expect(after).toMatchObject({ budgetCents: 10_000, spentCents: 3_734, remainingCents: 6_266 });
    // Oldest first.
    expect(after.expenses.map((e: any) => [e.description, e.amountCents, e.addedBy.id])).toEqual([
      ['Fog machine fluid', 1_234, host.userId],
      ['Pumpkins', 2_500, host.userId],
    ]);
    const over = (await h.ok(ADD_EXPENSE, { id: event.id, input: { description: 'Animatronic skeleton', amountCents: 9_000 } }, host)).addEventExpense;
    expect(over).toMatchObject({ spentCents: 12_734, remainingCents: -2_734 });
    const free = (await h.ok(ADD_EXPENSE, { id: event.id, input: { description: 'Borrowed cauldron', amountCents: 0 } }, host)).addEventExpense;
    expect(free.spentCents).toBe(12_734);

    const removed = (await h.ok(REMOVE_EXPENSE, { id: over.expenses.find((e: any) => e.amountCents === 9_000).id }, host)).removeEventExpense;
    expect(removed).toEqual({ id: event.id, spentCents: 3_734 });
  });

  it('rejects negative or missing amounts, writing nothing', async () => {
    const host = newViewer();
    const event = await createEvent(host);
    const before = await counts();
    const negative = await h.gql(ADD_EXPENSE, { id: event.id, input: { description: 'Refund?', amountCents: -500 } }, host);
    expect(negative.fields).toEqual({ 'input.amountCents': ['must not be negative'] });
    const empty = await h.gql(ADD_EXPENSE, { id: event.id, input: { description: '', amountCents: 5 } }, host);
    expect(empty.fields).toEqual({ 'input.description': ['must not be empty'] });
    expect((await h.gql(ADD_EXPENSE, { id: event.id, input: { description: 'x', amountCents: 5 } }, newViewer())).codes).toEqual(['NOT_FOUND']);
    expect(await counts()).toEqual(before);
  });
});

describe('events: the family sees and adds to a family event', () => {
  it('members read it (by id and through _entities) and add expenses and recipes; only the host changes it', async () => {
    const host = newViewer();
    const member = newViewer();
    const stranger = newViewer();
    const familyId = randomUUID();
    await join(familyId, host.userId);
    await join(familyId, member.userId);
    const event = await createEvent(host, { familyId, budgetCents: 5_000 });
    expect(event.family).toEqual({ id: familyId });
    expect((await h.outbox('HalloweenEventScheduled', event.id))[0]?.data).toMatchObject({ familyId });

    expect((await h.ok(GET, { id: event.id }, member)).event.id).toBe(event.id);
    expect((await h.ok(GET, { id: event.id }, stranger)).event).toBeNull();
    expect((await h.ok(GET, { id: event.id })).event).toBeNull();
    const refs = [{ __typename: 'Event', id: event.id }];
    expect((await h.ok(ENTITIES, { r: refs }, member))._entities).toEqual([{ id: event.id, name: 'Monster Mash', budgetCents: 5_000, spentCents: 0 }]);
    expect((await h.ok(ENTITIES, { r: refs }, stranger))._entities).toEqual([null]);

    const withExpense = (await h.ok(ADD_EXPENSE, { id: event.id, input: { description: 'Candy', amountCents: 1_999 } }, member)).addEventExpense;
    expect(withExpense.expenses.map((e: any) => e.addedBy.id)).toEqual([member.userId]);
    const recipe = (await h.ok(CREATE_SPOOKY, { input: spookyInput({ visibility: 'PRIVATE' }) }, member)).createSpookyRecipe;
    const withRecipe = (await h.ok(ADD_RECIPE, { id: event.id, spookyRecipeId: recipe.id, servings: 12 }, member)).addRecipeToEvent;
    expect(withRecipe.recipes.map((r: any) => [r.source, r.spookyRecipe?.id, r.addedBy.id])).toEqual([['HOLLOWTOWN', recipe.id, member.userId]]);
    // The member's private recipe stays private: on the host's screen the entry is there, the recipe is not.
    expect((await h.ok(GET, { id: event.id }, host)).event.recipes.map((r: any) => r.spookyRecipe)).toEqual([null]);

    expect((await h.gql(UPDATE, { id: event.id, input: { name: 'Ours now' } }, member)).codes).toEqual(['FORBIDDEN']);
    expect((await h.gql(DELETE, { id: event.id }, member)).codes).toEqual(['FORBIDDEN']);
    // A member removes only what they added.
    const hostExpense = (await h.ok(ADD_EXPENSE, { id: event.id, input: { description: 'Venue', amountCents: 100 } }, host)).addEventExpense.expenses.find(
      (e: any) => e.description === 'Venue',
    );
    expect((await h.gql(REMOVE_EXPENSE, { id: hostExpense.id }, member)).codes).toEqual(['FORBIDDEN']);
    expect((await h.gql(REMOVE_EXPENSE, { id: hostExpense.id }, stranger)).codes).toEqual(['NOT_FOUND']);

    // The host's own lists stay the host's.
    expect((await h.ok('{ events { id } }', {}, member)).events).toEqual([]);
  });

  it('a member who leaves loses access; an older event delivered late does not bring them back', async () => {
    const host = newViewer();
    const member = newViewer();
    const familyId = randomUUID();
    await join(familyId, host.userId, 1);
    await join(familyId, member.userId, 2);
    const event = await createEvent(host, { familyId });
    expect((await h.ok(GET, { id: event.id }, member)).event).not.toBeNull();

    await leave(familyId, member.userId, 4);
    await join(familyId, member.userId, 2); // redelivered
    expect((await h.ok(GET, { id: event.id }, member)).event).toBeNull();
    expect((await h.gql(ADD_EXPENSE, { id: event.id, input: { description: 'x', amountCents: 1 } }, member)).codes).toEqual(['NOT_FOUND']);

    await join(familyId, member.userId, 5); // invited again
    expect((await h.ok(GET, { id: event.id }, member)).event).not.toBeNull();
    await applyFamilyEvent(newEvent(FamilyDeleted, familyId, { familyId }, { version: 6 }));
    expect((await h.ok(GET, { id: event.id }, member)).event).toBeNull();
    expect((await h.ok(GET, { id: event.id }, host)).event.id).toBe(event.id);
  });

  it('learns memberships from the family stream', async () => {
    const host = newViewer();
    const member = newViewer();
    const familyId = randomUUID();
    await join(familyId, host.userId);
    const event = await createEvent(host, { familyId });
    const added = { ...newEvent(FamilyMemberAdded, familyId, { familyId, userId: member.userId, role: 'CHILD' }), version: 1 };
    await h.transport.append(streamOf('family'), [JSON.stringify(added)]);
    await expect.poll(async () => (await h.ok(GET, { id: event.id }, member)).event?.id, { timeout: 5_000 }).toBe(event.id);
  });
});

describe('events: recipes on the menu', () => {
  it('adds a spooky recipe with its ingredients, or a recipes-domain recipe by reference, announcing EventRecipeAdded', async () => {
    const host = newViewer();
    const event = await createEvent(host);
    const spooky = (await h.ok(CREATE_SPOOKY, { input: spookyInput({ name: 'Mummy Dogs', serves: 8 }) }, newViewer())).createSpookyRecipe;
    const recipeId = randomUUID();

    await h.ok(ADD_RECIPE, { id: event.id, spookyRecipeId: spooky.id, servings: 16 }, host);
    const menu = (await h.ok(ADD_RECIPE, { id: event.id, recipeId, servings: 4 }, host)).addRecipeToEvent.recipes;
    expect(menu.map((r: any) => [r.source, r.servings, r.recipe, r.spookyRecipe])).toEqual([
      ['HOLLOWTOWN', 16, null, { id: spooky.id, name: 'Mummy Dogs' }],
      ['RECIPES', 4, { id: recipeId }, null],
    ]);

    const added = await h.outbox('EventRecipeAdded', event.id);
    // Each carries the event as it is now (name, host, family), so the list can be made from either event.
    const current = { eventId: event.id, eventName: 'Monster Mash', hostId: host.userId, familyId: null };
    expect(added.map((e) => e.data)).toEqual([
      {
        ...current,
        addedBy: host.userId,
        servings: 16,
        recipe: {
          source: 'HOLLOWTOWN',
          spookyRecipeId: spooky.id,
          title: 'Mummy Dogs',
          serves: 8,
          ingredients: [
            { name: 'chocolate pudding mix', quantity: 1, unit: 'package', note: null },
            { name: 'whole milk', quantity: 2, unit: 'cup', note: null },
            { name: 'chocolate sandwich cookies', quantity: 15, unit: null, note: 'crushed' },
            { name: 'gummy worms', quantity: 12, unit: null, note: null },
          ],
        },
      },
      { ...current, addedBy: host.userId, servings: 4, recipe: { source: 'RECIPES', recipeId } },
    ]);
    // Scheduled (v1) comes before the recipes (v2, v3): mealplans creates the list before filling it.
    expect(added.map((e) => e.version)).toEqual([2, 3]);
  });

  it('needs exactly one of recipeId and spookyRecipeId, writing nothing otherwise', async () => {
    const host = newViewer();
    const event = await createEvent(host);
    const spooky = (await h.ok(CREATE_SPOOKY, { input: spookyInput() }, host)).createSpookyRecipe;
    const before = await counts();
    const both = await h.gql(ADD_RECIPE, { id: event.id, recipeId: randomUUID(), spookyRecipeId: spooky.id, servings: 4 }, host);
    expect(both.codes).toEqual(['BAD_USER_INPUT']);
    expect(both.fields).toEqual({
      recipeId: ['give exactly one of recipeId and spookyRecipeId'],
      spookyRecipeId: ['give exactly one of recipeId and spookyRecipeId'],
    });
    const neither = await h.gql(ADD_RECIPE, { id: event.id, servings: 4 }, host);
    expect(neither.fields).toEqual(both.fields);
    const zero = await h.gql(ADD_RECIPE, { id: event.id, recipeId: randomUUID(), servings: 0 }, host);
    expect(zero.fields).toEqual({ servings: ['must be at least 1'] });
    const secret = (await h.ok(CREATE_SPOOKY, { input: spookyInput({ visibility: 'PRIVATE' }) }, newViewer())).createSpookyRecipe;
    const hidden = await h.gql(ADD_RECIPE, { id: event.id, spookyRecipeId: secret.id, servings: 2 }, host);
    expect(hidden.codes).toEqual(['NOT_FOUND']);
    expect(await counts()).toEqual(before);
  });
});

describe('events: privacy and batching', () => {
  it('User.hostedEvents is private', async () => {
    const host = newViewer();
    const event = await createEvent(host);
    const USER = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { hostedEvents { id } } } }`;
    const r = [{ __typename: 'User', id: host.userId }];
    expect((await h.ok(USER, { r }, host))._entities).toEqual([{ hostedEvents: [{ id: event.id }] }]);
    expect((await h.ok(USER, { r }, newViewer()))._entities).toEqual([{ hostedEvents: null }]);
    expect((await h.gql('{ events { id } }')).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('costs the same number of SQL statements for 2 events as for 12 (every child list through a DataLoader)', async () => {
    const spooky = (await h.ok(CREATE_SPOOKY, { input: spookyInput() }, newViewer())).createSpookyRecipe;
    const statementsFor = async (n: number) => {
      const host = newViewer();
      const familyId = randomUUID();
      await join(familyId, host.userId);
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const event = await createEvent(host, { name: `Party ${i}`, familyId: i % 2 ? familyId : null });
        await h.ok(ADD_EXPENSE, { id: event.id, input: { description: 'Candy', amountCents: 100 + i } }, host);
        await h.ok(ADD_RECIPE, { id: event.id, spookyRecipeId: spooky.id, servings: 4 }, host);
        ids.push(event.id);
      }
      const refs = ids.map((id) => ({ __typename: 'Event', id }));
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Event { ${EVENT_FIELDS} } } }`;
      h.service.statements.reset();
      const data = await h.ok(query, { r: refs }, host);
      expect(data._entities.every((e: any) => e && e.recipes[0].spookyRecipe.id === spooky.id)).toBe(true);
      const count = h.service.statements.count;
      h.service.statements.reset();
      await h.ok('{ events { id spentCents expenses { id } recipes { spookyRecipe { id } } } }', {}, host);
      return [count, h.service.statements.count];
    };
    const small = await statementsFor(2);
    const large = await statementsFor(12);
    console.log(`SQL statements for 2 vs 12 events: ${JSON.stringify(small)} vs ${JSON.stringify(large)}`);
    expect(large).toEqual(small);
    expect(small[0]).toBeLessThanOrEqual(5);
  });
});
