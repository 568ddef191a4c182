import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ACCEPT, CREATE_FAMILY, INVITE, newViewer, useFamilyService } from './harness.js';

const f = useFamilyService('family_membership');

const FAMILY = `query($id: ID!) { family(id: $id) { id name viewerRole members { user { id } role } invitations { id login role } } }`;
const REMOVE = `mutation($familyId: ID!, $userId: ID!) { removeFamilyMember(familyId: $familyId, userId: $userId) }`;
const CHANGE_ROLE = `mutation($familyId: ID!, $userId: ID!, $role: FamilyRole!) {
  changeMemberRole(familyId: $familyId, userId: $userId, role: $role) { user { id } role }
}`;
const MY_FAMILIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id families { id name viewerRole } } } }`;
const FAMILY_ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Family { id name members { role } } } }`;
const DELETE_FAMILY = `mutation($id: ID!) { deleteFamily(id: $id) }`;

const familyRefs = (...ids: string[]) => ids.map((id) => ({ __typename: 'Family', id }));
const memberCount = async (familyId: string) => f.service.services.db.familyMember.count({ where: { familyId } });

describe('creating a family', () => {
  it('makes the creator its ADMIN and publishes FamilyCreated + FamilyMemberAdded', async () => {
    const admin = newViewer();
    const data = await f.ok(CREATE_FAMILY, { input: { name: '  The Smiths  ' } }, admin);
    const family = data.createFamily;
    expect(family).toMatchObject({ name: 'The Smiths', viewerRole: 'ADMIN', createdBy: { id: admin.userId } });
    expect(family.members).toEqual([{ user: { id: admin.userId }, role: 'ADMIN', joinedAt: expect.any(String) }]);

    expect(await f.outbox(family.id)).toEqual([
      { eventType: 'FamilyCreated', aggregateType: 'Family', version: 1, data: { familyId: family.id, name: 'The Smiths', createdBy: admin.userId } },
      { eventType: 'FamilyMemberAdded', aggregateType: 'Family', version: 2, data: { familyId: family.id, userId: admin.userId, role: 'ADMIN' } },
    ]);
  });

  it('validates the name per field and writes nothing', async () => {
    const admin = newViewer();
    const result = await f.gql(CREATE_FAMILY, { input: { name: ' ' } }, admin);
    expect(result.codes).toEqual(['BAD_USER_INPUT']);
    expect(result.fields).toEqual({ 'input.name': ['must not be empty'] });
    const tooLong = await f.gql(CREATE_FAMILY, { input: { name: 'x'.repeat(101) } }, admin);
    expect(tooLong.fields).toEqual({ 'input.name': ['must be at most 100 characters'] });
    expect(await f.service.services.db.familyMember.count({ where: { userId: admin.userId } })).toBe(0);
  });

  it('requires a signed-in user', async () => {
    expect((await f.gql(CREATE_FAMILY, { input: { name: 'Anon' } })).codes).toEqual(['UNAUTHENTICATED']);
    expect((await f.gql(FAMILY, { id: randomUUID() })).codes).toEqual(['UNAUTHENTICATED']);
  });
});

describe('invitations', () => {
  it('lets the invitee join with the invited role by presenting the token while signed in', async () => {
    const admin = newViewer();
    const familyId = await f.createFamily(admin);
    const invited = await f.ok(INVITE, { familyId, login: '  Grandma@Example.COM ', role: 'PARENT' }, admin);
    const payload = invited.inviteFamilyMember;
    expect(payload.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    const days = (Date.parse(payload.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    expect(payload.invitation).toMatchObject({ familyId, role: 'PARENT', login: 'grandma@example.com', expiresAt: payload.expiresAt, invitedBy: { id: admin.userId } });

    // Only the hash is stored.
    const stored = await f.service.services.db.familyInvitation.findUniqueOrThrow({ where: { id: payload.invitation.id } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.tokenHash).not.toContain(payload.token);

    // The ADMIN sees it pending.
    expect((await f.ok(FAMILY, { id: familyId }, admin)).family.invitations).toEqual([{ id: payload.invitation.id, login: 'grandma@example.com', role: 'PARENT' }]);

    const grandma = newViewer();
    const accepted = await f.ok(ACCEPT, { token: payload.token }, grandma);
    expect(accepted.acceptFamilyInvitation).toMatchObject({ id: familyId, viewerRole: 'PARENT' });
    expect(accepted.acceptFamilyInvitation.members).toEqual([
      { user: { id: admin.userId }, role: 'ADMIN' },
      { user: { id: grandma.userId }, role: 'PARENT' },
    ]);
    expect((await f.ok(FAMILY, { id: familyId }, admin)).family.invitations).toEqual([]);
    expect((await f.outbox(familyId)).map((e) => [e.eventType, e.data.userId ?? null, e.data.role ?? null])).toEqual([
      ['FamilyCreated', null, null],
      ['FamilyMemberAdded', admin.userId, 'ADMIN'],
      ['FamilyMemberAdded', grandma.userId, 'PARENT'],
    ]);
  });

  it('refuses a reused, unknown or expired token on the `token` field and writes nothing', async () => {
    const admin = newViewer();
    const familyId = await f.createFamily(admin);
    const first = (await f.ok(INVITE, { familyId, login: 'first_kid', role: 'CHILD' }, admin)).inviteFamilyMember;
    await f.ok(ACCEPT, { token: first.token }, newViewer());
    const before = await memberCount(familyId);

    const reused = await f.gql(ACCEPT, { token: first.token }, newViewer());
    expect(reused.codes).toEqual(['BAD_USER_INPUT']);
    expect(reused.fields).toEqual({ token: ['has already been used'] });

    const unknown = await f.gql(ACCEPT, { token: 'A'.repeat(43) }, newViewer());
    expect(unknown.codes).toEqual(['BAD_USER_INPUT']);
    expect(unknown.fields).toEqual({ token: ['is not a valid invitation'] });

    const second = (await f.ok(INVITE, { familyId, login: 'second_kid', role: 'CHILD' }, admin)).inviteFamilyMember;
    await f.service.services.db.familyInvitation.update({ where: { id: second.invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await f.gql(ACCEPT, { token: second.token }, newViewer());
    expect(expired.codes).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(expired.fields ?? {})).toEqual(['token']);
    expect((await f.service.services.db.familyInvitation.findUniqueOrThrow({ where: { id: second.invitation.id } })).acceptedAt).toBeNull();

    expect(await memberCount(familyId)).toBe(before);
  });

  it('refuses a member who is already in the family without using up the token', async () => {
    const admin = newViewer();
    const familyId = await f.createFamily(admin);
    const invite = (await f.ok(INVITE, { familyId, login: 'someone', role: 'PARENT' }, admin)).inviteFamilyMember;
    const result = await f.gql(ACCEPT, { token: invite.token }, admin);
    expect(result.codes).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(result.fields ?? {})).toEqual(['token']);
    expect((await f.ok(FAMILY, { id: familyId }, admin)).family.members).toEqual([{ user: { id: admin.userId }, role: 'ADMIN' }]);
    // Still redeemable by the person it was meant for.
    await f.ok(ACCEPT, { token: invite.token }, newViewer());
  });

  it('replaces an earlier pending invitation for the same login', async () => {
    const admin = newViewer();
    const familyId = await f.createFamily(admin);
    const old = (await f.ok(INVITE, { familyId, login: 'Cousin_Ann', role: 'CHILD' }, admin)).inviteFamilyMember;
    const fresh = (await f.ok(INVITE, { familyId, login: 'cousin_ann', role: 'PARENT' }, admin)).inviteFamilyMember;
    expect((await f.gql(ACCEPT, { token: old.token }, newViewer())).fields).toEqual({ token: ['is not a valid invitation'] });
    expect((await f.ok(ACCEPT, { token: fresh.token }, newViewer())).acceptFamilyInvitation.viewerRole).toBe('PARENT');
  });

  it('can be revoked by an ADMIN until it is accepted', async () => {
    const { familyId, admin, parent, outsider } = await f.household();
    const REVOKE = `mutation($id: ID!) { revokeFamilyInvitation(id: $id) }`;
    const invite = (await f.ok(INVITE, { familyId, login: 'uncle_bob', role: 'CHILD' }, admin)).inviteFamilyMember;
    expect((await f.gql(REVOKE, { id: invite.invitation.id }, parent)).codes).toEqual(['FORBIDDEN']);
    expect((await f.gql(REVOKE, { id: invite.invitation.id }, outsider)).codes).toEqual(['NOT_FOUND']);
    expect((await f.ok(REVOKE, { id: invite.invitation.id }, admin)).revokeFamilyInvitation).toBe(true);
    expect((await f.gql(ACCEPT, { token: invite.token }, newViewer())).fields).toEqual({ token: ['is not a valid invitation'] });
    expect((await f.gql(REVOKE, { id: invite.invitation.id }, admin)).codes).toEqual(['NOT_FOUND']);
  });

  it('lets only ADMINs invite; outsiders do not see the family; bad logins are refused per field', async () => {
    const { familyId, parent, child, outsider, admin } = await f.household();
    expect((await f.gql(INVITE, { familyId, login: 'friend', role: 'CHILD' }, parent)).codes).toEqual(['FORBIDDEN']);
    expect((await f.gql(INVITE, { familyId, login: 'friend', role: 'CHILD' }, child)).codes).toEqual(['FORBIDDEN']);
    expect((await f.gql(INVITE, { familyId, login: 'friend', role: 'CHILD' }, outsider)).codes).toEqual(['NOT_FOUND']);
    expect((await f.gql(INVITE, { familyId, login: 'friend', role: 'CHILD' })).codes).toEqual(['UNAUTHENTICATED']);
    const bad = await f.gql(INVITE, { familyId, login: 'no spaces allowed', role: 'CHILD' }, admin);
    expect(bad.codes).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(bad.fields ?? {})).toEqual(['login']);
    // Pending invitations are for ADMIN eyes only.
    expect((await f.ok(FAMILY, { id: familyId }, parent)).family.invitations).toBeNull();
  });
});

describe('roles', () => {
  it('lets an ADMIN change roles and keeps at least one ADMIN', async () => {
    const { familyId, admin, parent, child } = await f.household();

    const lastAdmin = await f.gql(CHANGE_ROLE, { familyId, userId: admin.userId, role: 'PARENT' }, admin);
    expect(lastAdmin.codes).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(lastAdmin.fields ?? {})).toEqual(['role']);

    expect((await f.gql(CHANGE_ROLE, { familyId, userId: child.userId, role: 'PARENT' }, parent)).codes).toEqual(['FORBIDDEN']);
    expect((await f.gql(CHANGE_ROLE, { familyId, userId: parent.userId, role: 'ADMIN' }, child)).codes).toEqual(['FORBIDDEN']);

    const promoted = await f.ok(CHANGE_ROLE, { familyId, userId: parent.userId, role: 'ADMIN' }, admin);
    expect(promoted.changeMemberRole).toEqual({ user: { id: parent.userId }, role: 'ADMIN' });
    // Two ADMINs now: the first may step down.
    expect((await f.ok(CHANGE_ROLE, { familyId, userId: admin.userId, role: 'PARENT' }, admin)).changeMemberRole.role).toBe('PARENT');
    expect((await f.gql(CHANGE_ROLE, { familyId, userId: parent.userId, role: 'CHILD' }, parent)).codes).toEqual(['BAD_USER_INPUT']);

    const changes = (await f.outbox(familyId)).filter((e) => e.eventType === 'FamilyMemberRoleChanged').map((e) => e.data);
    expect(changes).toEqual([
      { familyId, userId: parent.userId, role: 'ADMIN' },
      { familyId, userId: admin.userId, role: 'PARENT' },
    ]);
  });

  it('answers NOT_FOUND for a user who is not a member', async () => {
    const { familyId, admin, outsider } = await f.household();
    expect((await f.gql(CHANGE_ROLE, { familyId, userId: outsider.userId, role: 'CHILD' }, admin)).codes).toEqual(['NOT_FOUND']);
    expect((await f.gql(CHANGE_ROLE, { familyId, userId: admin.userId, role: 'CHILD' }, outsider)).codes).toEqual(['NOT_FOUND']);
  });
});

describe('removing members', () => {
  it('lets members leave, but not the last ADMIN; only ADMINs remove others', async () => {
    const { familyId, admin, parent, child } = await f.household();

    const last = await f.gql(REMOVE, { familyId, userId: admin.userId }, admin);
    expect(last.codes).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(last.fields ?? {})).toEqual(['userId']);

    expect((await f.gql(REMOVE, { familyId, userId: parent.userId }, child)).codes).toEqual(['FORBIDDEN']);
    expect((await f.gql(REMOVE, { familyId, userId: child.userId }, parent)).codes).toEqual(['FORBIDDEN']);

    expect((await f.ok(REMOVE, { familyId, userId: child.userId }, child)).removeFamilyMember).toBe(true);
    expect((await f.ok(REMOVE, { familyId, userId: parent.userId }, admin)).removeFamilyMember).toBe(true);

    // A removed member is an outsider: the family no longer exists for them.
    expect((await f.ok(FAMILY, { id: familyId }, child)).family).toBeNull();
    expect((await f.gql(INVITE, { familyId, login: 'back_again', role: 'ADMIN' }, parent)).codes).toEqual(['NOT_FOUND']);
    expect((await f.ok(FAMILY, { id: familyId }, admin)).family.members).toEqual([{ user: { id: admin.userId }, role: 'ADMIN' }]);

    const removed = (await f.outbox(familyId)).filter((e) => e.eventType === 'FamilyMemberRemoved').map((e) => e.data.userId);
    expect(removed).toEqual([child.userId, parent.userId]);
  });

  it('takes a removed member off the family’s items and events', async () => {
    const { familyId, admin, child } = await f.household();
    const list = await f.ok(`mutation($f: ID!) { createTodoList(familyId: $f, input: { name: "Chores" }) { id } }`, { f: familyId }, admin);
    const item = await f.ok(
      `mutation($l: ID!, $u: ID) { createTodoItem(listId: $l, input: { title: "Feed the cat", assignedToId: $u }) { id assignedTo { id } } }`,
      { l: list.createTodoList.id, u: child.userId },
      admin,
    );
    expect(item.createTodoItem.assignedTo).toEqual({ id: child.userId });
    const event = await f.ok(
      `mutation($f: ID!, $a: [ID!]) { createFamilyEvent(familyId: $f, input: { name: "Dentist", startTime: "2027-01-10T09:00:00Z", endTime: "2027-01-10T10:00:00Z", attendeeIds: $a }) { id } }`,
      { f: familyId, a: [admin.userId, child.userId] },
      admin,
    );

    await f.ok(REMOVE, { familyId, userId: child.userId }, admin);
    const after = await f.ok(
      `query($l: ID!, $e: ID!) { todoList(id: $l) { items { assignedTo { id } } } familyEvent(id: $e) { attendees { id } } }`,
      { l: list.createTodoList.id, e: event.createFamilyEvent.id },
      admin,
    );
    expect(after.todoList.items).toEqual([{ assignedTo: null }]);
    expect(after.familyEvent.attendees).toEqual([{ id: admin.userId }]);
  });
});

describe('deleting a family', () => {
  it('is for ADMINs; afterwards the family is gone for everyone and FamilyDeleted is published', async () => {
    const { familyId, admin, parent } = await f.household();
    expect((await f.gql(DELETE_FAMILY, { id: familyId }, parent)).codes).toEqual(['FORBIDDEN']);
    expect((await f.ok(DELETE_FAMILY, { id: familyId }, admin)).deleteFamily).toBe(familyId);
    expect((await f.ok(FAMILY, { id: familyId }, admin)).family).toBeNull();
    expect((await f.gql(DELETE_FAMILY, { id: familyId }, admin)).codes).toEqual(['NOT_FOUND']);
    expect((await f.outbox(familyId)).at(-1)).toMatchObject({ eventType: 'FamilyDeleted', data: { familyId } });
  });
});

describe('federation', () => {
  it('resolves Family entities for members only (null for outsiders and anonymous)', async () => {
    const { familyId, admin, outsider } = await f.household();
    const mine = await f.gql(FAMILY_ENTITIES, { r: familyRefs(familyId, 'not-a-uuid') }, admin);
    expect(mine.errors).toBeUndefined();
    expect(mine.data?._entities).toEqual([{ id: familyId, name: 'The Testers', members: [{ role: 'ADMIN' }, { role: 'PARENT' }, { role: 'CHILD' }] }, null]);
    expect((await f.gql(FAMILY_ENTITIES, { r: familyRefs(familyId) }, outsider)).data?._entities).toEqual([null]);
    expect((await f.gql(FAMILY_ENTITIES, { r: familyRefs(familyId) })).data?._entities).toEqual([null]);
  });

  it('shows User.families to the user themself only', async () => {
    const admin = newViewer();
    const b = await f.createFamily(admin, 'B family');
    const a = await f.createFamily(admin, 'A family');
    const other = newViewer();
    const refs = [{ __typename: 'User', id: admin.userId }];
    expect((await f.ok(MY_FAMILIES, { r: refs }, admin))._entities).toEqual([
      {
        id: admin.userId,
        families: [
          { id: a, name: 'A family', viewerRole: 'ADMIN' },
          { id: b, name: 'B family', viewerRole: 'ADMIN' },
        ],
      },
    ]);
    expect((await f.ok(MY_FAMILIES, { r: refs }, other))._entities).toEqual([{ id: admin.userId, families: null }]);
  });

  it('costs the same number of SQL statements for 2 families as for 6', async () => {
    const admin = newViewer();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await f.createFamily(admin, `Family ${i}`);
      const list = await f.ok(`mutation($f: ID!) { createTodoList(familyId: $f, input: { name: "L" }) { id } }`, { f: id }, admin);
      await f.ok(`mutation($l: ID!) { createTodoItem(listId: $l, input: { title: "T" }) { id } }`, { l: list.createTodoList.id }, admin);
      ids.push(id);
    }
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Family {
      id viewerRole members { role } todoLists { items { title list { name } } family { id } }
      calendar(from: "2027-01-01T00:00:00Z", to: "2027-02-01T00:00:00Z") { id }
    } } }`;
    const count = async (n: number) => {
      f.service.statements.reset();
      const result = await f.gql(query, { r: familyRefs(...ids.slice(0, n)) }, admin);
      expect(result.errors).toBeUndefined();
      expect(result.data?._entities).toHaveLength(n);
      return f.service.statements.count;
    };
    const small = await count(2);
    const large = await count(6);
    expect(large).toBe(small);
  });
});
