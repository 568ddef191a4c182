import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FamilyMemberAdded, newEvent, UserDeleted, type EventEnvelope } from '@calos/events';
import { familyEventHandlers } from '../src/family-read-model.js';
import { purgeUserData } from '../src/purge.js';
import { CREATE_EVENT, CREATE_SPOOKY, eventInput, newViewer, spookyInput, startHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('purge');
});

afterAll(async () => {
  await h?.close();
});

const UPVOTE = `mutation($id: ID!) { upvoteCostume(id: $id) { upvotes } }`;
const CREATE_COSTUME = `mutation($input: CreateCostumeInput!) { createCostume(input: $input) { id } }`;
const ADD_EXPENSE = `mutation($id: ID!, $input: EventExpenseInput!) { addEventExpense(eventId: $id, input: $input) { id } }`;
const ADD_RECIPE = `mutation($id: ID!, $s: ID!) { addRecipeToEvent(eventId: $id, spookyRecipeId: $s, servings: 6) { id } }`;
const EVENT = `query($id: ID!) { event(id: $id) { spentCents expenses { amountCents addedBy { id } } recipes { spookyRecipe { id } } } }`;

const asEnvelope = (event: ReturnType<typeof newEvent>) => ({ ...event, version: event.version ?? 1 }) as EventEnvelope;

describe('account deletion (UserDeleted)', () => {
  it('removes everything the user owns, anonymises what they did on others’ events, and reports UserDataPurged', async () => {
    const leaving = newViewer();
    const friend = newViewer();
    const familyId = randomUUID();
    for (const [version, user] of [leaving, friend].entries()) {
      const joined = asEnvelope(newEvent(FamilyMemberAdded, familyId, { familyId, userId: user.userId, role: 'PARENT' }, { version: version + 1 }));
      await h.service.services.db.$transaction((tx) => familyEventHandlers[FamilyMemberAdded.type](joined, tx));
    }

    // The leaving user's own things.
    const recipes = await Promise.all(
      ['PUBLIC', 'PRIVATE'].map(async (visibility) => (await h.ok(CREATE_SPOOKY, { input: spookyInput({ visibility }) }, leaving)).createSpookyRecipe.id as string),
    );
    const ownCostume = (await h.ok(CREATE_COSTUME, { input: { name: 'Zombie Prom King' } }, leaving)).createCostume.id;
    await h.ok(UPVOTE, { id: ownCostume }, friend);
    await h.ok(`mutation { createHauntedHousePlan(input: { roomName: "Cellar", scareLevel: 6 }) { id } }`, {}, leaving);
    const hosted = (await h.ok(CREATE_EVENT, { input: eventInput() }, leaving)).createEvent.id;
    await h.ok(ADD_EXPENSE, { id: hosted, input: { description: 'Candles', amountCents: 300 } }, leaving);

    // What they did on a friend's things.
    const friendsCostume = (await h.ok(CREATE_COSTUME, { input: { name: 'Mothman' } }, friend)).createCostume.id;
    await h.ok(UPVOTE, { id: friendsCostume }, friend);
    await h.ok(UPVOTE, { id: friendsCostume }, leaving);
    const friendsRecipe = (await h.ok(CREATE_SPOOKY, { input: spookyInput({ name: 'Spider Web Dip' }) }, friend)).createSpookyRecipe.id;
    const friendsEvent = (await h.ok(CREATE_EVENT, { input: eventInput({ familyId }) }, friend)).createEvent.id;
    await h.ok(ADD_EXPENSE, { id: friendsEvent, input: { description: 'Pumpkins', amountCents: 1_500 } }, leaving);
    await h.ok(ADD_RECIPE, { id: friendsEvent, s: friendsRecipe }, leaving);
    await h.ok(ADD_RECIPE, { id: friendsEvent, s: recipes[0] }, leaving);

    const deleted = asEnvelope(newEvent(UserDeleted, leaving.userId, { userId: leaving.userId, deletedAt: new Date().toISOString() }));
    await h.service.services.db.$transaction((tx) => purgeUserData(deleted, tx));

    const { db } = h.service.services;
    expect(await db.spookyRecipe.count({ where: { authorId: leaving.userId } })).toBe(0);
    expect(await db.costume.count({ where: { authorId: leaving.userId } })).toBe(0);
    expect(await db.costumeVote.count({ where: { userId: leaving.userId } })).toBe(0);
    expect(await db.hauntedHousePlan.count({ where: { ownerId: leaving.userId } })).toBe(0);
    expect(await db.halloweenEvent.count({ where: { hostId: leaving.userId } })).toBe(0);
    expect(await db.familyMember.count({ where: { userId: leaving.userId } })).toBe(0);
    expect(await db.eventExpense.count({ where: { addedBy: leaving.userId } })).toBe(0);
    expect(await db.eventRecipe.count({ where: { addedBy: leaving.userId } })).toBe(0);

    // The friend's costume lost exactly that vote; the friend's event keeps the money, not the name,
    // and its menu keeps the friend's recipe but not the deleted user's.
    expect((await h.ok(`query($id: ID!) { costume(id: $id) { upvotes } }`, { id: friendsCostume })).costume.upvotes).toBe(1);
    expect((await h.ok(EVENT, { id: friendsEvent }, friend)).event).toEqual({
      spentCents: 1_500,
      expenses: [{ amountCents: 1_500, addedBy: null }],
      recipes: [{ spookyRecipe: { id: friendsRecipe } }],
    });

    expect((await h.outbox('SpookyRecipeDeleted')).filter((e) => recipes.includes(e.aggregateId)).map((e) => e.data)).toEqual(
      expect.arrayContaining(recipes.map((id) => ({ spookyRecipeId: id, authorId: leaving.userId }))),
    );
    expect((await h.outbox('HalloweenEventCancelled', hosted)).map((e) => e.data)).toEqual([{ eventId: hosted, hostId: leaving.userId }]);
    const purged = await h.outbox('UserDataPurged', leaving.userId);
    expect(purged).toHaveLength(1);
    expect(purged[0]).toMatchObject({ aggregateType: 'User', data: { userId: leaving.userId, domain: 'hollowtown' } });
    expect((purged[0]!.data as { rowsAffected: number }).rowsAffected).toBeGreaterThanOrEqual(10);
  });

  it('reports a user with nothing here as purged too', async () => {
    const nobody = newViewer();
    const deleted = asEnvelope(newEvent(UserDeleted, nobody.userId, { userId: nobody.userId, deletedAt: new Date().toISOString() }));
    await h.service.services.db.$transaction((tx) => purgeUserData(deleted, tx));
    expect((await h.outbox('UserDataPurged', nobody.userId)).map((e) => e.data)).toEqual([
      expect.objectContaining({ userId: nobody.userId, domain: 'hollowtown', rowsAffected: 0 }),
    ]);
  });
});
