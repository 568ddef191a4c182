import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinFamily, must, startTestSupergraph, type GqlResponse, type TestSupergraph, type TestUser } from '@calos/testkit';

/**
 * The family subgraph's roles, end to end through the gateway: every family operation for
 * every kind of caller, including the family-shared kitchen (lists in mealplans that members
 * see through the membership read model).
 */
let sg: TestSupergraph;
let admin: TestUser;
let parent: TestUser;
let child: TestUser;
let outsider: TestUser;
let removed: TestUser;
let familyId: string;


const join = (user: TestUser, role: 'ADMIN' | 'PARENT' | 'CHILD') => joinFamily(admin, user, familyId, role);

/** A list the admin owns and has shared with the family, once the mealplans read model knows every member. */
async function sharedList(name: string) {
  const list = (await must(admin.gql(`mutation($n: String!) { createShoppingList(input: { name: $n }) { id } }`, { n: name }))).createShoppingList.id as string;
  const item = (await must(admin.gql(`mutation($l: ID!) { addShoppingItem(listId: $l, input: { name: "pumpkin", quantity: 2 }) { id } }`, { l: list })))
    .addShoppingItem.id as string;
  await must(admin.gql(`mutation($l: ID!, $f: ID!) { shareShoppingList(listId: $l, familyId: $f) { id } }`, { l: list, f: familyId }));
  return { list, item };
}

beforeAll(async () => {
  sg = await startTestSupergraph();
  [admin, parent, child, outsider, removed] = await Promise.all([sg.signUp(), sg.signUp(), sg.signUp(), sg.signUp(), sg.signUp()]);
  familyId = (await must(admin.gql(`mutation { createFamily(input: { name: "The Addams" }) { id } }`))).createFamily.id;
  await join(parent, 'PARENT');
  await join(child, 'CHILD');
  await join(removed, 'CHILD');
  await must(admin.gql(`mutation($f: ID!, $u: ID!) { removeFamilyMember(familyId: $f, userId: $u) }`, { f: familyId, u: removed.id }));
  // The kitchen learns memberships from the family events: wait until it has applied them.
  const { list } = await sharedList('probe');
  await until(async () => (await child.gql(`query($id: ID!) { shoppingList(id: $id) { id } }`, { id: list })).data?.shoppingList?.id === list);
  await until(async () => (await removed.gql(`query($id: ID!) { shoppingList(id: $id) { id } }`, { id: list })).data?.shoppingList === null);
});

async function until(condition: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the read model');
    await new Promise((r) => setTimeout(r, 100));
  }
}
afterAll(async () => {
  await sg?.close();
});

type Caller = 'ADMIN' | 'PARENT' | 'CHILD' | 'non-member' | 'removed member' | 'anonymous';
const CALLERS: Caller[] = ['ADMIN', 'PARENT', 'CHILD', 'non-member', 'removed member', 'anonymous'];
const callAs = (caller: Caller) => (query: string, variables: Record<string, unknown>) =>
  caller === 'anonymous'
    ? sg.gql(query, variables)
    : { ADMIN: admin, PARENT: parent, CHILD: child, 'non-member': outsider, 'removed member': removed }[caller].gql(query, variables);

/** What a caller sees: 'ok', an error code, or 'null' (a query answering "no such thing"). */
type Outcome = 'ok' | 'null' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'BAD_USER_INPUT';

function outcome(res: GqlResponse, field: string): Outcome {
  if (res.errors?.length) return res.codes[0] as Outcome;
  return res.data?.[field] === null ? 'null' : 'ok';
}

const members = (admin: Outcome, parent: Outcome, child: Outcome): Record<Caller, Outcome> => ({
  ADMIN: admin,
  PARENT: parent,
  CHILD: child,
  'non-member': 'NOT_FOUND',
  'removed member': 'NOT_FOUND',
  anonymous: 'UNAUTHENTICATED',
});

interface Operation {
  name: string;
  field: string;
  query: string;
  /** Fresh fixtures for one cell, so a successful call never changes another cell's outcome. */
  setup(): Promise<Record<string, unknown>>;
  expected: Record<Caller, Outcome>;
}

const list = () => must(admin.gql(`mutation($f: ID!) { createTodoList(familyId: $f, input: { name: "Chores", type: CHORES }) { id } }`, { f: familyId })).then((d) => d.createTodoList.id as string);
const item = async () => {
  const l = await list();
  return must(admin.gql(`mutation($l: ID!) { createTodoItem(listId: $l, input: { title: "Carve pumpkins", priority: HIGH }) { id } }`, { l })).then((d) => ({ l, i: d.createTodoItem.id as string }));
};
const spare = async () => {
  const u = await sg.signUp();
  const invite = await must(admin.gql(`mutation($f: ID!, $l: String!) { inviteFamilyMember(familyId: $f, login: $l, role: CHILD) { token } }`, { f: familyId, l: u.username }));
  await must(u.gql(`mutation($t: String!) { acceptFamilyInvitation(token: $t) { id } }`, { t: invite.inviteFamilyMember.token }));
  return u.id;
};

const OPERATIONS: Operation[] = [
  {
    name: 'read the family',
    field: 'family',
    query: `query($f: ID!) { family(id: $f) { name members { role } } }`,
    setup: async () => ({ f: familyId }),
    expected: { ...members('ok', 'ok', 'ok'), 'non-member': 'null', 'removed member': 'null' },
  },
  {
    name: 'invite a member',
    field: 'inviteFamilyMember',
    query: `mutation($f: ID!, $l: String!) { inviteFamilyMember(familyId: $f, login: $l, role: PARENT) { token } }`,
    setup: async () => ({ f: familyId, l: `someone_${Math.random().toString(36).slice(2, 8)}` }),
    expected: members('ok', 'FORBIDDEN', 'FORBIDDEN'),
  },
  {
    name: 'change a role',
    field: 'changeMemberRole',
    query: `mutation($f: ID!, $u: ID!) { changeMemberRole(familyId: $f, userId: $u, role: PARENT) { role } }`,
    setup: async () => ({ f: familyId, u: await spare() }),
    expected: members('ok', 'FORBIDDEN', 'FORBIDDEN'),
  },
  {
    name: 'remove a member',
    field: 'removeFamilyMember',
    query: `mutation($f: ID!, $u: ID!) { removeFamilyMember(familyId: $f, userId: $u) }`,
    setup: async () => ({ f: familyId, u: await spare() }),
    expected: members('ok', 'FORBIDDEN', 'FORBIDDEN'),
  },
  {
    name: 'create a todo list',
    field: 'createTodoList',
    query: `mutation($f: ID!) { createTodoList(familyId: $f, input: { name: "Party prep" }) { id } }`,
    setup: async () => ({ f: familyId }),
    expected: members('ok', 'ok', 'FORBIDDEN'),
  },
  {
    name: 'delete a todo list',
    field: 'deleteTodoList',
    query: `mutation($l: ID!) { deleteTodoList(id: $l) }`,
    setup: async () => ({ l: await list() }),
    expected: members('ok', 'ok', 'FORBIDDEN'),
  },
  {
    name: 'add a todo item',
    field: 'createTodoItem',
    query: `mutation($l: ID!) { createTodoItem(listId: $l, input: { title: "Buy candles" }) { id } }`,
    setup: async () => ({ l: await list() }),
    expected: members('ok', 'ok', 'ok'),
  },
  {
    name: 'update a todo item',
    field: 'updateTodoItem',
    query: `mutation($i: ID!) { updateTodoItem(id: $i, input: { title: "Carve 3 pumpkins" }) { id } }`,
    setup: async () => ({ i: (await item()).i }),
    expected: members('ok', 'ok', 'ok'),
  },
  {
    name: 'complete a todo item',
    field: 'completeTodoItem',
    query: `mutation($i: ID!) { completeTodoItem(id: $i) { status completedBy { id } } }`,
    setup: async () => ({ i: (await item()).i }),
    expected: members('ok', 'ok', 'ok'),
  },
  {
    name: 'delete a todo item',
    field: 'deleteTodoItem',
    query: `mutation($i: ID!) { deleteTodoItem(id: $i) }`,
    setup: async () => ({ i: (await item()).i }),
    expected: members('ok', 'ok', 'FORBIDDEN'),
  },
  {
    name: 'add a calendar event',
    field: 'createFamilyEvent',
    query: `mutation($f: ID!) { createFamilyEvent(familyId: $f, input: { name: "Dentist", type: APPOINTMENT, startTime: "2026-12-01T09:00:00Z", endTime: "2026-12-01T10:00:00Z" }) { id } }`,
    setup: async () => ({ f: familyId }),
    expected: members('ok', 'ok', 'FORBIDDEN'),
  },
  {
    name: 'read a shared shopping list',
    field: 'shoppingList',
    query: `query($l: ID!) { shoppingList(id: $l) { items { name } } }`,
    setup: async () => ({ l: (await sharedList('read')).list }),
    expected: { ...members('ok', 'ok', 'ok'), 'non-member': 'null', 'removed member': 'null', anonymous: 'null' },
  },
  {
    name: 'check off a shared shopping item',
    field: 'checkShoppingItem',
    query: `mutation($i: ID!) { checkShoppingItem(itemId: $i, checked: true) { checked } }`,
    setup: async () => ({ i: (await sharedList('check')).item }),
    expected: members('ok', 'ok', 'ok'),
  },
  {
    name: 'delete a shared shopping list',
    field: 'deleteShoppingList',
    query: `mutation($l: ID!) { deleteShoppingList(id: $l) }`,
    setup: async () => ({ l: (await sharedList('delete')).list }),
    expected: members('ok', 'ok', 'FORBIDDEN'),
  },
];

describe('family authorization matrix (operation × caller)', () => {
  it('gives every caller the expected outcome for every operation', async () => {
    const actual: Record<string, Record<Caller, Outcome>> = {};
    const expected: Record<string, Record<Caller, Outcome>> = {};
    for (const op of OPERATIONS) {
      expected[op.name] = op.expected;
      actual[op.name] = {} as Record<Caller, Outcome>;
      for (const caller of CALLERS) {
        const vars = await op.setup();
        actual[op.name]![caller] = outcome(await callAs(caller)(op.query, vars), op.field);
      }
    }
    expect(actual).toEqual(expected);
  }, 120_000);

  it('a family always keeps an ADMIN', async () => {
    const res = await admin.gql(`mutation($f: ID!, $u: ID!) { removeFamilyMember(familyId: $f, userId: $u) }`, { f: familyId, u: admin.id });
    expect(res.codes).toEqual(['BAD_USER_INPUT']);
    expect((await admin.gql(`mutation($f: ID!, $u: ID!) { changeMemberRole(familyId: $f, userId: $u, role: CHILD) { role } }`, { f: familyId, u: admin.id })).codes).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('invitation tokens are single-use, expire, and are checked before anything is written', async () => {
    const u = await sg.signUp();
    const invite = await must(admin.gql(`mutation($f: ID!, $l: String!) { inviteFamilyMember(familyId: $f, login: $l, role: CHILD) { token } }`, { f: familyId, l: u.username }));
    const token = invite.inviteFamilyMember.token;
    expect((await u.gql(`mutation($t: String!) { acceptFamilyInvitation(token: $t) { id } }`, { t: token })).errors).toBeUndefined();
    const other = await sg.signUp();
    const reused = await other.gql(`mutation($t: String!) { acceptFamilyInvitation(token: $t) { id } }`, { t: token });
    expect(reused.codes).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(reused.errors![0]!.extensions!.fields as object)).toEqual(['token']);
    expect((await other.gql(`mutation { acceptFamilyInvitation(token: "made-up-token-made-up-token-made-up") { id } }`)).codes).toEqual(['BAD_USER_INPUT']);
    expect((await other.gql(`query($f: ID!) { family(id: $f) { id } }`, { f: familyId })).data).toEqual({ family: null });
  });
});

describe('the family-shared kitchen', () => {
  it('members see shared lists through Family.shoppingLists and their own User.shoppingLists; a removed member loses them', async () => {
    const { list } = await sharedList('groceries');
    const viaFamily = await child.gql(`query($f: ID!) { family(id: $f) { shoppingLists { id name } } }`, { f: familyId });
    expect(viaFamily.data!.family.shoppingLists.map((l: { id: string }) => l.id)).toContain(list);
    const viaMe = await parent.gql(`{ me { shoppingLists { id } } }`);
    expect(viaMe.data!.me.shoppingLists.map((l: { id: string }) => l.id)).toContain(list);

    const leaver = await sg.signUp();
    await join(leaver, 'PARENT');
    await expect.poll(async () => (await leaver.gql(`query($l: ID!) { shoppingList(id: $l) { id } }`, { l: list })).data?.shoppingList?.id, { timeout: 15_000 }).toBe(list);
    await must(leaver.gql(`mutation($f: ID!, $u: ID!) { removeFamilyMember(familyId: $f, userId: $u) }`, { f: familyId, u: leaver.id }));
    await expect.poll(async () => (await leaver.gql(`query($l: ID!) { shoppingList(id: $l) { id } }`, { l: list })).data?.shoppingList, { timeout: 15_000 }).toBeNull();
    expect((await leaver.gql(`{ me { shoppingLists { id } } }`)).data!.me.shoppingLists.map((l: { id: string }) => l.id)).not.toContain(list);
  });

  it('a family meal plan is planned by any member and seen by all', async () => {
    const plan = await must(child.gql(`mutation($f: ID!) { createMealPlan(input: { name: "Family week", startDate: "2026-12-07", familyId: $f }) { id family { id } } }`, { f: familyId }));
    expect(plan.createMealPlan.family).toEqual({ id: familyId });
    const seen = await admin.gql(`query($f: ID!) { family(id: $f) { mealPlans { id name } } }`, { f: familyId });
    expect(seen.data!.family.mealPlans.map((p: { name: string }) => p.name)).toContain('Family week');
    expect((await outsider.gql(`query($p: ID!) { mealPlan(id: $p) { id } }`, { p: plan.createMealPlan.id })).data).toEqual({ mealPlan: null });
    const notMine = await outsider.gql(`mutation($f: ID!) { createMealPlan(input: { name: "x", startDate: "2026-12-07", familyId: $f }) { id } }`, { f: familyId });
    expect(notMine.codes).toEqual(['NOT_FOUND']);
  });
});
