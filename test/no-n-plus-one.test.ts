import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSupergraph, type TestSupergraph, type TestUser } from '@calos/testkit';

/**
 * The query from the issue, run for a user with N recipes, N planned meals by N different
 * authors and a shopping list of ≥ N items: every subgraph must send the same number of
 * SQL statements for N = 5 and N = 50 (DataLoaders batch every entity and child list).
 */
const QUERY = (n: number) => `{
  me {
    recipes(first: ${n}) { edges { node { title ratingAvg author { username } } } }
    mealPlans { entries { recipe { title author { username } } } }
    shoppingLists { items { name } }
  }
}`;

let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph();
});
afterAll(async () => {
  await sg?.close();
});

async function seed(n: number): Promise<TestUser> {
  const me = await sg.signUp();
  const authors = await Promise.all(Array.from({ length: n }, () => sg.signUp()));
  const create = (user: TestUser, title: string, ingredient: string) =>
    user
      .gql(`mutation($input: CreateRecipeInput!) { createRecipe(input: $input) { id } }`, {
        input: { title, serves: 2, visibility: 'PUBLIC', instructions: ['Cook.'], ingredients: [{ name: ingredient, quantity: 100, unit: 'g' }] },
      })
      .then((r) => r.data!.createRecipe.id as string);
  for (let i = 0; i < n; i++) await create(me, `My dish ${i}`, `mine ${i}`);
  const theirs = await Promise.all(authors.map((a, i) => create(a, `Their dish ${i}`, `ingredient ${i}`)));
  const plan = (await me.gql(`mutation { createMealPlan(input: { name: "big", startDate: "2026-12-01", durationDays: 31 }) { id } }`)).data!.createMealPlan.id;
  const slots = ['BREAKFAST', 'LUNCH', 'DINNER', 'SNACK'];
  for (let i = 0; i < n; i++) {
    const date = `2026-12-${String(1 + Math.floor(i / 4)).padStart(2, '0')}`;
    const res = await me.gql(`mutation($input: SetMealPlanEntryInput!) { setMealPlanEntry(input: $input) { id } }`, {
      input: { mealPlanId: plan, date, slot: slots[i % 4], recipeId: theirs[i], servings: 2 },
    });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
  }
  const list = await me.gql(`mutation($p: ID!) { generateShoppingList(mealPlanId: $p) { items { name } } }`, { p: plan });
  expect(list.data!.generateShoppingList.items).toHaveLength(n);
  return me;
}

async function measure(user: TestUser, n: number) {
  await user.gql(QUERY(n)); // warm caches outside the measurement (JWKS, prepared plans)
  sg.resetStatementCounts();
  const res = await user.gql(QUERY(n));
  const counts = sg.statementCounts();
  expect(res.errors).toBeUndefined();
  expect(res.data!.me.recipes.edges).toHaveLength(n);
  expect(res.data!.me.mealPlans[0].entries).toHaveLength(n);
  expect(new Set(res.data!.me.mealPlans[0].entries.map((e: { recipe: { author: { username: string } } }) => e.recipe.author.username)).size).toBe(n);
  expect(res.data!.me.shoppingLists[0].items).toHaveLength(n);
  return counts;
}

describe('no N+1 across the supergraph', () => {
  it('sends the same number of SQL statements per subgraph for N = 5 and N = 50', async () => {
    const small = await measure(await seed(5), 5);
    const large = await measure(await seed(50), 50);
    console.log(`SQL statements per subgraph — N=5: ${JSON.stringify(small)}; N=50: ${JSON.stringify(large)}`);
    expect(large).toEqual(small);
    // And each is small: a handful of batched statements, not one per row.
    for (const count of Object.values(large)) expect(count).toBeLessThanOrEqual(8);
  }, 240_000);
});

const FAMILY_QUERY = `{
  me {
    families {
      members { user { username } }
      todoLists { items { assignedTo { username } } }
      shoppingLists { items { name } }
    }
  }
}`;

async function seedFamily(n: number): Promise<TestUser> {
  const admin = await sg.signUp();
  const familyId = (await admin.gql(`mutation { createFamily(input: { name: "big family" }) { id } }`)).data!.createFamily.id as string;
  const members = await Promise.all(Array.from({ length: n - 1 }, () => sg.signUp()));
  for (const member of members) {
    const invite = await admin.gql(`mutation($f: ID!, $l: String!) { inviteFamilyMember(familyId: $f, login: $l, role: PARENT) { token } }`, { f: familyId, l: member.username });
    await member.gql(`mutation($t: String!) { acceptFamilyInvitation(token: $t) { id } }`, { t: invite.data!.inviteFamilyMember.token });
  }
  const ids = [admin.id, ...members.map((m) => m.id)];
  const list = (await admin.gql(`mutation($f: ID!) { createTodoList(familyId: $f, input: { name: "chores" }) { id } }`, { f: familyId })).data!.createTodoList.id;
  for (let i = 0; i < n; i++) {
    const res = await admin.gql(`mutation($l: ID!, $u: ID!, $t: String!) { createTodoItem(listId: $l, input: { title: $t, assignedToId: $u }) { id } }`, { l: list, u: ids[i], t: `chore ${i}` });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
  }
  const shopping = (await admin.gql(`mutation { createShoppingList(input: { name: "family groceries" }) { id } }`)).data!.createShoppingList.id;
  for (let i = 0; i < n; i++) await admin.gql(`mutation($l: ID!, $n: String!) { addShoppingItem(listId: $l, input: { name: $n }) { id } }`, { l: shopping, n: `thing ${i}` });
  const shared = await admin.gql(`mutation($l: ID!, $f: ID!) { shareShoppingList(listId: $l, familyId: $f) { id } }`, { l: shopping, f: familyId });
  if (shared.errors) throw new Error(JSON.stringify(shared.errors));
  return admin;
}

async function measureFamily(user: TestUser, n: number) {
  await user.gql(FAMILY_QUERY);
  sg.resetStatementCounts();
  const res = await user.gql(FAMILY_QUERY);
  const counts = sg.statementCounts();
  expect(res.errors).toBeUndefined();
  const [family] = res.data!.me.families;
  expect(family.members).toHaveLength(n);
  expect(family.todoLists[0].items).toHaveLength(n);
  expect(new Set(family.todoLists[0].items.map((i: { assignedTo: { username: string } }) => i.assignedTo.username)).size).toBe(n);
  expect(family.shoppingLists[0].items).toHaveLength(n);
  return counts;
}

describe('no N+1 in the family query', () => {
  it('sends the same number of SQL statements per subgraph for 3 and 30 members and items', async () => {
    const small = await measureFamily(await seedFamily(3), 3);
    const large = await measureFamily(await seedFamily(30), 30);
    console.log(`SQL statements per subgraph (families) — N=3: ${JSON.stringify(small)}; N=30: ${JSON.stringify(large)}`);
    expect(large).toEqual(small);
  }, 240_000);
});
