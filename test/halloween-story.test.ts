import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must, startTestSupergraph, type TestSupergraph } from '@calos/testkit';

/**
 * The cross-domain flows of Hollowtown and Family through the gateway: a family's Halloween
 * party whose shopping list (in mealplans) combines a recipe from the recipes domain and a
 * spooky recipe, seen and checked off by the whole family; spooky recipes shared into
 * My Recipes; exact costume votes.
 */
let sg: TestSupergraph;


async function until<T>(fn: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

beforeAll(async () => {
  sg = await startTestSupergraph();
});
afterAll(async () => {
  await sg?.close();
});

const SPOOKY = `mutation($input: CreateSpookyRecipeInput!) { createSpookyRecipe(input: $input) { id name } }`;

describe("the family's Halloween party", () => {
  it('a parent plans it, another adds recipes, a child checks items off, the first parent sees who did', async () => {
    const [mum, dad, kid] = await Promise.all([sg.signUp({ displayName: 'Morticia' }), sg.signUp({ displayName: 'Gomez' }), sg.signUp({ displayName: 'Wednesday' })]);
    const familyId = (await must(mum.gql(`mutation { createFamily(input: { name: "Addams" }) { id } }`))).createFamily.id;
    for (const [user, role] of [[dad, 'PARENT'], [kid, 'CHILD']] as const) {
      const invite = await must(mum.gql(`mutation($f: ID!, $l: String!, $r: FamilyRole!) { inviteFamilyMember(familyId: $f, login: $l, role: $r) { token } }`, { f: familyId, l: user.email, r: role }));
      await must(user.gql(`mutation($t: String!) { acceptFamilyInvitation(token: $t) { id } }`, { t: invite.inviteFamilyMember.token }));
    }
    await must(mum.gql(`mutation($f: ID!, $u: ID!) { changeMemberRole(familyId: $f, userId: $u, role: PARENT) { role } }`, { f: familyId, u: dad.id }));

    // Mum creates the party for the family.
    const party = await must(
      mum.gql(`mutation($f: ID!) { createEvent(input: { name: "Monster Mash", type: PARTY, date: "2026-10-31T18:00:00Z", guestCount: 12, budgetCents: 15000, familyId: $f }) { id family { id } } }`, {
        f: familyId,
      }),
    );
    const eventId = party.createEvent.id;
    expect(party.createEvent.family).toEqual({ id: familyId });

    // Dad adds a recipe from the recipes domain and a spooky recipe.
    const chili = (
      await must(
        dad.gql(`mutation($input: CreateRecipeInput!) { createRecipe(input: $input) { id } }`, {
          input: {
            title: 'Graveyard chili',
            serves: 4,
            visibility: 'PUBLIC',
            instructions: ['Simmer.'],
            ingredients: [
              { name: 'kidney beans', quantity: 2, unit: 'can' },
              { name: 'ground beef', quantity: 500, unit: 'g' },
              { name: 'yellow onion', quantity: 1 },
            ],
          },
        }),
      )
    ).createRecipe.id;
    const fingers = (
      await must(
        dad.gql(SPOOKY, {
          input: {
            name: 'Witch finger cookies',
            spookinessLevel: 7,
            serves: 12,
            instructions: ['Shape fingers.', 'Bake.'],
            ingredients: [
              { name: 'all-purpose flour', quantity: 2, unit: 'cup' },
              { name: 'unsalted butter', quantity: 0.5, unit: 'cup' },
              { name: 'almond', quantity: 24 },
            ],
          },
        }),
      )
    ).createSpookyRecipe.id;
    await must(dad.gql(`mutation($e: ID!, $r: ID!) { addRecipeToEvent(eventId: $e, recipeId: $r, servings: 12) { id } }`, { e: eventId, r: chili }));
    await must(dad.gql(`mutation($e: ID!, $s: ID!) { addRecipeToEvent(eventId: $e, spookyRecipeId: $s, servings: 24) { id } }`, { e: eventId, s: fingers }));

    // The child sees the combined list through the family (mealplans filled it from the events).
    const FAMILY_LISTS = `query($f: ID!) { family(id: $f) { shoppingLists { id name items { id name quantity unit checked checkedBy { username } } } } }`;
    const lists = await until(
      async () => (await kid.gql(FAMILY_LISTS, { f: familyId })).data?.family?.shoppingLists as Array<{ id: string; name: string; items: Array<Record<string, any>> }> | undefined,
      (l) => Boolean(l?.[0] && l[0].items.length >= 6),
    );
    const list = lists!.find((l) => l.name === 'Shopping for Monster Mash')!;
    const item = (name: string) => list.items.find((i) => i.name === name);
    expect(item('kidney beans')).toMatchObject({ quantity: 6, unit: 'can' }); // 2 cans × 12/4
    expect(item('ground beef')).toMatchObject({ quantity: 1.5, unit: 'kg' });
    expect(item('all-purpose flour')).toMatchObject({ quantity: 4, unit: 'cup' }); // 2 cups × 24/12
    expect(item('almond')).toMatchObject({ quantity: 48 });
    // The same list is the event's, through federation.
    const viaEvent = await must(mum.gql(`query($e: ID!) { event(id: $e) { shoppingList { id } } }`, { e: eventId }));
    expect(viaEvent.event.shoppingList.id).toBe(list.id);

    // The child checks two items off; mum sees who.
    for (const name of ['kidney beans', 'almond']) {
      await must(kid.gql(`mutation($i: ID!) { checkShoppingItem(itemId: $i, checked: true) { checked } }`, { i: item(name)!.id }));
    }
    const seen = await must(mum.gql(`query($l: ID!) { shoppingList(id: $l) { items { name checked checkedBy { username } } } }`, { l: list.id }));
    const checked = seen.shoppingList.items.filter((i: { checked: boolean }) => i.checked);
    expect(checked.map((i: { name: string; checkedBy: { username: string } }) => [i.name, i.checkedBy.username]).sort()).toEqual([
      ['almond', kid.username.toLowerCase()],
      ['kidney beans', kid.username.toLowerCase()],
    ]);
    // Someone outside the family sees nothing of it.
    const stranger = await sg.signUp();
    expect((await stranger.gql(`query($l: ID!) { shoppingList(id: $l) { id } }`, { l: list.id })).data).toEqual({ shoppingList: null });
    expect((await stranger.gql(`query($e: ID!) { event(id: $e) { id } }`, { e: eventId })).data).toEqual({ event: null });
  }, 120_000);
});

describe('sharing a spooky recipe into My Recipes', () => {
  it('appears in savedRecipes, follows edits of the original, and disappears when it is deleted', async () => {
    const [author, fan] = await Promise.all([sg.signUp(), sg.signUp()]);
    const id = (
      await must(author.gql(SPOOKY, { input: { name: 'Eyeball punch', spookinessLevel: 5, serves: 8, instructions: ['Mix.'], ingredients: [{ name: 'lychee', quantity: 1, unit: 'can' }], visibility: 'PUBLIC' } }))
    ).createSpookyRecipe.id;
    await must(fan.gql(`mutation($id: ID!) { shareSpookyRecipeToMyRecipes(id: $id) { id } }`, { id }));
    const SAVED = `{ me { savedRecipes { source spookyRecipe { id name spookinessLevel } } } }`;
    const saved = await until(
      async () => (await fan.gql(SAVED)).data?.me?.savedRecipes as Array<{ spookyRecipe: { name: string } | null }> | undefined,
      (s) => (s?.length ?? 0) > 0,
    );
    expect(saved).toEqual([{ source: 'HOLLOWTOWN', spookyRecipe: { id, name: 'Eyeball punch', spookinessLevel: 5 } }]);

    // Edited in Hollowtown: My Recipes shows it at once (resolved through federation, not copied).
    await must(author.gql(`mutation($id: ID!) { updateSpookyRecipe(id: $id, input: { name: "Bloodshot eyeball punch", spookinessLevel: 8 }) { id } }`, { id }));
    expect((await must(fan.gql(SAVED))).me.savedRecipes[0].spookyRecipe).toEqual({ id, name: 'Bloodshot eyeball punch', spookinessLevel: 8 });

    // A private spooky recipe of someone else cannot be shared.
    const secret = (
      await must(author.gql(SPOOKY, { input: { name: 'Secret brew', spookinessLevel: 9, serves: 2, instructions: ['Brew.'], ingredients: [{ name: 'water', quantity: 1, unit: 'l' }], visibility: 'PRIVATE' } }))
    ).createSpookyRecipe.id;
    expect((await fan.gql(`mutation($id: ID!) { shareSpookyRecipeToMyRecipes(id: $id) { id } }`, { id: secret })).codes).toEqual(['NOT_FOUND']);

    // Deleted in Hollowtown: the reference goes too.
    await must(author.gql(`mutation($id: ID!) { deleteSpookyRecipe(id: $id) }`, { id }));
    await until(async () => (await fan.gql(SAVED)).data?.me?.savedRecipes as unknown[] | undefined, (s) => s?.length === 0);
  }, 60_000);
});

describe('costume votes', () => {
  it('50 concurrent upvotes by 50 users + 10 repeat votes by one user → exactly 51', async () => {
    const author = await sg.signUp();
    const costume = (await must(author.gql(`mutation { createCostume(input: { name: "Headless horseman", difficulty: HARD, materials: ["cape", "pumpkin"], costEstimateCents: 4500 }) { id } }`)))
      .createCostume.id;
    const voters = await Promise.all(Array.from({ length: 50 }, () => sg.signUp()));
    const repeat = await sg.signUp();
    const UPVOTE = `mutation($id: ID!) { upvoteCostume(id: $id) { upvotes viewerHasUpvoted } }`;
    const results = await Promise.all([...voters.map((v) => v.gql(UPVOTE, { id: costume })), ...Array.from({ length: 10 }, () => repeat.gql(UPVOTE, { id: costume }))]);
    expect(results.filter((r) => r.errors)).toEqual([]);
    const final = await must(repeat.gql(`{ costumes(sort: TOP, first: 100) { edges { node { id upvotes viewerHasUpvoted } } } }`));
    expect(final.costumes.edges.find((e: { node: { id: string } }) => e.node.id === costume).node).toEqual({ id: costume, upvotes: 51, viewerHasUpvoted: true });
  }, 120_000);

  it('refuses invalid input and writes nothing', async () => {
    const user = await sg.signUp();
    const spooky = await user.gql(SPOOKY, { input: { name: 'Too scary', spookinessLevel: 11, serves: 1, instructions: ['x'], ingredients: [{ name: 'x', quantity: 1 }] } });
    expect(spooky.codes).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(spooky.errors![0]!.extensions!.fields as object)).toContain('input.spookinessLevel');
    const event = await user.gql(`mutation { createEvent(input: { name: "Broke party", date: "2026-10-31T18:00:00Z", budgetCents: -100 }) { id } }`);
    expect(event.codes).toEqual(['BAD_USER_INPUT']);
    expect((await must(user.gql(`{ me { spookyRecipes(first: 10) { totalCount } hostedEvents { id } } }`))).me).toEqual({ spookyRecipes: { totalCount: 0 }, hostedEvents: [] });
  });
});
