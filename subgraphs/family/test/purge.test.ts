import { describe, expect, it } from 'vitest';
import { newEvent, UserDeleted } from '@calos/events';
import { purgeUserData } from '../src/purge.js';
import { newViewer, useFamilyService } from './harness.js';

const f = useFamilyService('family_purge');

const FAMILY = `query($id: ID!) { family(id: $id) { id createdBy { id } members { user { id } role } } }`;
const CHANGE_ROLE = `mutation($familyId: ID!, $userId: ID!, $role: FamilyRole!) { changeMemberRole(familyId: $familyId, userId: $userId, role: $role) { role } }`;

async function userDeleted(userId: string): Promise<void> {
  const event = { ...newEvent(UserDeleted, userId, { userId, deletedAt: new Date().toISOString() }), version: 1 };
  await f.service.services.db.$transaction((tx) => purgeUserData(event, tx));
}

describe('UserDeleted', () => {
  it('takes the user out of every family, hands ADMIN on, deletes families left empty and reports UserDataPurged', async () => {
    const gone = newViewer();

    // A: the leaving user is the only ADMIN; the longest-standing other member takes over.
    const a = await f.createFamily(gone, 'A');
    const elder = await f.join(a, gone, 'CHILD');
    const younger = await f.join(a, gone, 'PARENT');
    const list = await f.ok(`mutation($f: ID!) { createTodoList(familyId: $f, input: { name: "Chores" }) { id } }`, { f: a }, gone);
    const listId = list.createTodoList.id as string;
    await f.ok(
      `mutation($l: ID!, $u: ID) { createTodoItem(listId: $l, input: { title: "Dishes", assignedToId: $u }) { id } }`,
      { l: listId, u: gone.userId },
      gone,
    );
    const completed = await f.ok(`mutation($l: ID!) { createTodoItem(listId: $l, input: { title: "Bins" }) { id } }`, { l: listId }, elder);
    await f.ok(`mutation($id: ID!) { completeTodoItem(id: $id) { id } }`, { id: completed.createTodoItem.id }, gone);
    const evt = await f.ok(
      `mutation($f: ID!, $a: [ID!]) { createFamilyEvent(familyId: $f, input: { name: "Zoo", startTime: "2027-08-01T09:00:00Z", endTime: "2027-08-01T17:00:00Z", attendeeIds: $a }) { id } }`,
      { f: a, a: [gone.userId, elder.userId] },
      gone,
    );
    const invitation = await f.ok(`mutation($f: ID!) { inviteFamilyMember(familyId: $f, login: "aunt_may", role: CHILD) { invitation { id } } }`, { f: a }, gone);

    // B: the leaving user is its only member.
    const b = await f.createFamily(gone, 'B');

    // C: another ADMIN stays, so nobody is promoted.
    const other = newViewer();
    const c = await f.createFamily(other, 'C');
    await f.join(c, other, 'ADMIN', gone);
    const cChild = await f.join(c, other, 'CHILD');

    await userDeleted(gone.userId);

    expect((await f.ok(FAMILY, { id: a }, elder)).family).toEqual({
      id: a,
      createdBy: null,
      members: [
        { user: { id: elder.userId }, role: 'ADMIN' },
        { user: { id: younger.userId }, role: 'PARENT' },
      ],
    });
    const items = await f.ok(`query($l: ID!) { todoList(id: $l) { items { title assignedTo { id } completedBy { id } status } } }`, { l: listId }, elder);
    expect(items.todoList.items).toEqual([
      { title: 'Dishes', assignedTo: null, completedBy: null, status: 'TODO' },
      { title: 'Bins', assignedTo: null, completedBy: null, status: 'DONE' },
    ]);
    const attendees = await f.ok(`query($id: ID!) { familyEvent(id: $id) { attendees { id } } }`, { id: evt.createFamilyEvent.id }, elder);
    expect(attendees.familyEvent.attendees).toEqual([{ id: elder.userId }]);
    const stored = await f.service.services.db.familyInvitation.findUniqueOrThrow({ where: { id: invitation.inviteFamilyMember.invitation.id } });
    expect(stored.invitedBy).toBeNull();

    expect(await f.service.services.db.family.findUnique({ where: { id: b } })).toBeNull();

    expect((await f.ok(FAMILY, { id: c }, other)).family.members).toEqual([
      { user: { id: other.userId }, role: 'ADMIN' },
      { user: { id: cChild.userId }, role: 'CHILD' },
    ]);
    expect(await f.service.services.db.familyMember.count({ where: { userId: gone.userId } })).toBe(0);

    // What other domains hear about it.
    const tail = (events: Awaited<ReturnType<typeof f.outbox>>, n: number) => events.slice(-n).map((e) => [e.eventType, e.data]);
    expect(tail(await f.outbox(a), 2)).toEqual([
      ['FamilyMemberRemoved', { familyId: a, userId: gone.userId }],
      ['FamilyMemberRoleChanged', { familyId: a, userId: elder.userId, role: 'ADMIN' }],
    ]);
    expect(tail(await f.outbox(b), 2)).toEqual([
      ['FamilyMemberRemoved', { familyId: b, userId: gone.userId }],
      ['FamilyDeleted', { familyId: b }],
    ]);
    expect(tail(await f.outbox(c), 1)).toEqual([['FamilyMemberRemoved', { familyId: c, userId: gone.userId }]]);
    const purged = await f.outbox(gone.userId);
    expect(purged).toHaveLength(1);
    expect(purged[0]).toMatchObject({ eventType: 'UserDataPurged', aggregateType: 'User', data: { userId: gone.userId, domain: 'family' } });
    expect(purged[0]!.data.rowsAffected).toBeGreaterThan(0);
  });

  it('hands ADMIN to the longest-standing member even when they are a CHILD, and leaves others untouched', async () => {
    const gone = newViewer();
    const familyId = await f.createFamily(gone, 'D');
    const first = await f.join(familyId, gone, 'PARENT');
    const second = await f.join(familyId, gone, 'PARENT');
    // Role changes do not reset seniority.
    await f.ok(CHANGE_ROLE, { familyId, userId: first.userId, role: 'CHILD' }, gone);

    await userDeleted(gone.userId);
    expect((await f.ok(FAMILY, { id: familyId }, second)).family.members).toEqual([
      { user: { id: first.userId }, role: 'ADMIN' },
      { user: { id: second.userId }, role: 'PARENT' },
    ]);
  });

  it('still reports UserDataPurged for a user the family domain never knew', async () => {
    const stranger = newViewer();
    await userDeleted(stranger.userId);
    expect((await f.outbox(stranger.userId)).map((e) => [e.eventType, e.data.rowsAffected])).toEqual([['UserDataPurged', 0]]);
  });
});
