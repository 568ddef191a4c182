import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_SECRET_HEADER } from '@calos/auth';
import { gql, startTestSupergraph, uniqueSuffix, type GqlResponse, type TestSupergraph, type TestUser } from '@calos/testkit';

const CREATE = `mutation($input: CreateRecipeInput!) { createRecipe(input: $input) { id title } }`;
const SEARCH = `query($filter: RecipeFilter, $first: Int, $after: String) {
  recipes(filter: $filter, first: $first, after: $after) {
    totalCount edges { cursor node { id title cuisine totalTimeMinutes tags allergens } } pageInfo { hasNextPage hasPreviousPage endCursor }
  } }`;

let sg: TestSupergraph;
let chef: TestUser;
let guest: TestUser;
const run = `run-${uniqueSuffix()}`; // tags this file's recipes: the test database is shared

beforeAll(async () => {
  sg = await startTestSupergraph();
  [chef, guest] = await Promise.all([sg.signUp(), sg.signUp()]);
});
afterAll(async () => {
  await sg?.close();
});

async function create(user: TestUser, input: Record<string, unknown>) {
  const res = await user.gql(CREATE, {
    input: { serves: 2, ingredients: [{ name: 'water', quantity: 1, unit: 'cup' }], instructions: ['Cook.'], visibility: 'PUBLIC', ...input, tags: [run, ...((input.tags as string[]) ?? [])] },
  });
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.createRecipe as { id: string; title: string };
}

const titles = (res: GqlResponse) => res.data!.recipes.edges.map((e: { node: { title: string } }) => e.node.title);

describe('recipe catalogue: search, filters, pagination', () => {
  beforeAll(async () => {
    await create(chef, { title: 'Garlic butter shrimp', cuisine: 'Spanish', prepTimeMinutes: 10, cookTimeMinutes: 10, allergens: ['SHELLFISH', 'DAIRY'], tags: ['quick'], description: 'Sizzling prawns.' });
    await create(chef, { title: 'Roast chicken', cuisine: 'french', prepTimeMinutes: 20, cookTimeMinutes: 80, ingredients: [{ name: 'garlic', quantity: 6, unit: 'cloves' }, { name: 'chicken', quantity: 1.5, unit: 'kg' }], tags: ['sunday'] });
    await create(chef, { title: 'Lemon tart', cuisine: 'french', prepTimeMinutes: 40, cookTimeMinutes: 30, allergens: ['GLUTEN', 'EGG', 'DAIRY'], tags: ['dessert'], description: 'No garlic here, promise.' });
    await create(chef, { title: 'Pad kra pao', cuisine: 'thai', prepTimeMinutes: 10, cookTimeMinutes: 10, allergens: ['SOY', 'FISH'], tags: ['quick', 'spicy'] });
  });

  it('ranks by relevance: a title match before an ingredient match before a description match', async () => {
    const res = await guest.gql(SEARCH, { filter: { search: 'garlic', tags: [run] } });
    expect(res.errors).toBeUndefined();
    expect(titles(res)).toEqual(['Garlic butter shrimp', 'Roast chicken', 'Lemon tart']);
    expect(res.data!.recipes.totalCount).toBe(3);
    // web-search syntax: exclusion
    expect(titles(await guest.gql(SEARCH, { filter: { search: 'garlic -shrimp', tags: [run] } })).sort()).toEqual(['Lemon tart', 'Roast chicken']);
  });

  it('applies each filter', async () => {
    const q = async (filter: Record<string, unknown>) => titles(await guest.gql(SEARCH, { filter: { tags: [run], ...filter } })).sort();
    expect(await q({ cuisine: 'FRENCH' })).toEqual(['Lemon tart', 'Roast chicken']);
    expect(await q({ tags: [run, 'quick', 'spicy'] })).toEqual(['Pad kra pao']);
    expect(await q({ maxTotalMinutes: 20 })).toEqual(['Garlic butter shrimp', 'Pad kra pao']);
    expect(await q({ excludeAllergens: ['DAIRY', 'FISH'] })).toEqual(['Roast chicken']);
    expect(await q({ authorId: guest.id })).toEqual([]);
    expect(await q({ authorId: chef.id, search: 'tart' })).toEqual(['Lemon tart']);
  });

  it('paginates without duplicates or gaps, also while new recipes are added', async () => {
    const tag = `page-${uniqueSuffix()}`;
    for (let i = 0; i < 11; i++) await create(chef, { title: `Soup no. ${i}`, tags: [tag], description: i % 2 ? 'tomato soup' : 'soup' });
    for (const search of [undefined, 'soup']) {
      const all: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const res: GqlResponse = await guest.gql(SEARCH, { filter: { tags: [run, tag], search }, first: 4, after });
        expect(res.errors).toBeUndefined();
        all.push(...titles(res));
        expect(res.data!.recipes.pageInfo.hasPreviousPage).toBe(after !== null);
        after = res.data!.recipes.pageInfo.hasNextPage ? res.data!.recipes.pageInfo.endCursor : null;
        if (pages === 0 && !search) await create(chef, { title: 'Soup latecomer', tags: [tag] }); // newer: sorts before page 1, must not shift later pages
        pages++;
      } while (after);
      expect(pages).toBe(3);
      expect(new Set(all).size).toBe(all.length);
      expect(all.filter((t) => t.startsWith('Soup no.')).sort()).toEqual(Array.from({ length: 11 }, (_, i) => `Soup no. ${i}`).sort());
    }
    expect((await guest.gql(SEARCH, { filter: { tags: [run] }, after: 'garbage' })).codes).toEqual(['BAD_USER_INPUT']);
  });
});

describe('privacy', () => {
  it('a private recipe exists only for its author, also through _entities and User fields', async () => {
    const secret = await create(chef, { title: 'Grandma secret stew', visibility: 'PRIVATE', tags: ['family'] });
    expect((await chef.gql(`query($id: ID!) { recipe(id: $id) { title } }`, { id: secret.id })).data).toEqual({ recipe: { title: 'Grandma secret stew' } });
    expect((await guest.gql(`query($id: ID!) { recipe(id: $id) { title } }`, { id: secret.id })).data).toEqual({ recipe: null });
    expect(titles(await guest.gql(SEARCH, { filter: { search: 'grandma secret', tags: [run] } }))).toEqual([]);
    expect(titles(await chef.gql(SEARCH, { filter: { search: 'grandma secret', tags: [run] } }))).toEqual(['Grandma secret stew']);
    for (const m of [
      `mutation($id: ID!) { updateRecipe(id: $id, input: { title: "mine now" }) { id } }`,
      `mutation($id: ID!) { deleteRecipe(id: $id) }`,
      `mutation($id: ID!) { rateRecipe(id: $id, stars: 1) { id } }`,
      `mutation($id: ID!) { saveRecipe(id: $id) { id } }`,
    ]) {
      expect((await guest.gql(m, { id: secret.id })).codes).toEqual(['NOT_FOUND']);
    }
    // Through the author's User entity: public recipes only, and no private fields of others.
    const viaUser = await guest.gql(`query($id: ID!) { recipe(id: $id) { author { id recipes(first: 50) { edges { node { title } } } savedRecipes { id } pantry { id } mealPlans { id } shoppingLists { id } } } }`, {
      id: (await create(chef, { title: 'Public stew' })).id,
    });
    const author = viaUser.data!.recipe.author;
    expect(author.recipes.edges.map((e: { node: { title: string } }) => e.node.title)).not.toContain('Grandma secret stew');
    expect(author.recipes.edges.map((e: { node: { title: string } }) => e.node.title)).toContain('Public stew');
    expect([author.savedRecipes, author.pantry, author.mealPlans, author.shoppingLists]).toEqual([null, null, null, null]);
    // Straight to the recipes subgraph's _entities with the guest's token: nothing.
    const entities = await gql(
      sg.subgraphs.recipes!.graphqlUrl,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Recipe { title } } }`,
      { r: [{ __typename: 'Recipe', id: secret.id }] },
      { token: guest.accessToken, headers: { [GATEWAY_SECRET_HEADER]: sg.gatewaySecret } },
    );
    expect(entities.data).toEqual({ _entities: [null] });
  });

  it("another user's plan, list, items and pantry are NOT_FOUND, also through _entities", async () => {
    const plan = (await chef.gql(`mutation { createMealPlan(input: { name: "Private week", startDate: "2026-12-01" }) { id } }`)).data!.createMealPlan.id;
    const list = (await chef.gql(`mutation { createShoppingList(input: { name: "Mine" }) { id } }`)).data!.createShoppingList.id;
    const item = (await chef.gql(`mutation($l: ID!) { addShoppingItem(listId: $l, input: { name: "milk" }) { id } }`, { l: plan && list })).data!.addShoppingItem.id;
    const recipe = await create(chef, { title: 'Plannable' });
    expect((await guest.gql(`query($id: ID!) { mealPlan(id: $id) { id } }`, { id: plan })).data).toEqual({ mealPlan: null });
    expect((await guest.gql(`query($id: ID!) { shoppingList(id: $id) { id } }`, { id: list })).data).toEqual({ shoppingList: null });
    const attempts: Array<[string, Record<string, unknown>]> = [
      [`mutation($p: ID!, $r: ID!) { setMealPlanEntry(input: { mealPlanId: $p, date: "2026-12-01", slot: DINNER, recipeId: $r, servings: 2 }) { id } }`, { p: plan, r: recipe.id }],
      [`mutation($p: ID!) { generateShoppingList(mealPlanId: $p) { id } }`, { p: plan }],
      [`mutation($p: ID!) { deleteMealPlan(id: $p) }`, { p: plan }],
      [`mutation($l: ID!) { addShoppingItem(listId: $l, input: { name: "x" }) { id } }`, { l: list }],
      [`mutation($i: ID!) { checkShoppingItem(itemId: $i, checked: true) { id } }`, { i: item }],
      [`mutation($i: ID!) { removeShoppingItem(itemId: $i) }`, { i: item }],
    ];
    for (const [m, vars] of attempts) expect((await guest.gql(m, vars)).codes).toEqual(['NOT_FOUND']);
    const entities = await gql(
      sg.subgraphs.mealplans!.graphqlUrl,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on MealPlan { name } ... on ShoppingList { name } } }`,
      { r: [{ __typename: 'MealPlan', id: plan }, { __typename: 'ShoppingList', id: list }] },
      { token: guest.accessToken, headers: { [GATEWAY_SECRET_HEADER]: sg.gatewaySecret } },
    );
    expect(entities.data).toEqual({ _entities: [null, null] });
  });
});

describe('ratings', () => {
  it('one rating per user (re-rating replaces), exact under concurrent ratings', async () => {
    const recipe = await create(chef, { title: 'Crowd pleaser' });
    const raters = await Promise.all(Array.from({ length: 12 }, () => sg.signUp()));
    await Promise.all(raters.map((r, i) => r.gql(`mutation($id: ID!, $s: Int!) { rateRecipe(id: $id, stars: $s) { id } }`, { id: recipe.id, s: (i % 5) + 1 })));
    // Two of them change their minds, concurrently with a repeat.
    await Promise.all([
      raters[0]!.gql(`mutation($id: ID!) { rateRecipe(id: $id, stars: 5, review: "Even better the second time") { id } }`, { id: recipe.id }),
      raters[1]!.gql(`mutation($id: ID!) { rateRecipe(id: $id, stars: 1) { id } }`, { id: recipe.id }),
      raters[2]!.gql(`mutation($id: ID!) { rateRecipe(id: $id, stars: 3) { id } }`, { id: recipe.id }),
    ]);
    const stars = raters.map((_, i) => (i === 0 ? 5 : i === 1 ? 1 : (i % 5) + 1));
    const res = await raters[0]!.gql(`query($id: ID!) { recipe(id: $id) { ratingCount ratingAvg viewerRating } }`, { id: recipe.id });
    expect(res.data!.recipe).toEqual({
      ratingCount: 12,
      ratingAvg: Math.round((stars.reduce((a, b) => a + b, 0) / 12) * 100) / 100,
      viewerRating: 5,
    });
    expect((await chef.gql(`mutation($id: ID!) { rateRecipe(id: $id, stars: 6) { id } }`, { id: recipe.id })).codes).toEqual(['BAD_USER_INPUT']);
  });
});

describe('invalid input is refused with per-field messages, and nothing is written', () => {
  const count = async (user: TestUser) => (await user.gql(`{ me { recipes(first: 0) { totalCount } } }`)).data!.me.recipes.totalCount as number;

  it.each([
    ['empty title', { title: '   ' }, 'input.title'],
    ['negative servings', { title: 'x', serves: -2 }, 'input.serves'],
    ['unknown unit', { title: 'x', ingredients: [{ name: 'flour', quantity: 1, unit: 'smidgeonful' }] }, 'input.ingredients.0.unit'],
    ['negative quantity', { title: 'x', ingredients: [{ name: 'flour', quantity: -1, unit: 'g' }] }, 'input.ingredients.0.quantity'],
    ['no instructions', { title: 'x', instructions: [] }, 'input.instructions'],
    ['a 6000-character description', { title: 'x', description: 'a'.repeat(6000) }, 'input.description'],
    ['a non-http image', { title: 'x', imageUrl: 'javascript:alert(1)' }, 'input.imageUrl'],
  ])('%s', async (_name, input, field) => {
    const before = await count(chef);
    const res = await chef.gql(CREATE, { input: { serves: 2, ingredients: [{ name: 'water', quantity: 1, unit: 'cup' }], instructions: ['Cook.'], ...input } });
    expect(res.codes).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(res.errors![0]!.extensions!.fields as object)).toContain(field);
    expect(await count(chef)).toBe(before);
  });

  it('a 10 MB description is refused before it reaches any service', async () => {
    const before = await count(chef);
    const res = await chef.gql(CREATE, { input: { title: 'huge', serves: 1, ingredients: [{ name: 'x' }], instructions: ['y'], description: 'a'.repeat(10 * 1024 * 1024) } });
    expect(res.status).toBe(413);
    expect(res.codes).toEqual(['BAD_USER_INPUT']);
    expect(await count(chef)).toBe(before);
  });

  it('negative servings elsewhere: scaling and planning', async () => {
    const recipe = await create(chef, { title: 'Scalable', serves: 4, ingredients: [{ name: 'rice', quantity: 300, unit: 'g' }] });
    expect((await chef.gql(`query($id: ID!) { recipe(id: $id) { scaled(servings: -1) { quantity } } }`, { id: recipe.id })).codes).toEqual(['BAD_USER_INPUT']);
    expect((await chef.gql(`query($id: ID!) { recipe(id: $id) { scaled(servings: 6) { name quantity unit } } }`, { id: recipe.id })).data).toEqual({
      recipe: { scaled: [{ name: 'rice', quantity: 450, unit: 'g' }] },
    });
    const plan = (await chef.gql(`mutation { createMealPlan(input: { name: "p", startDate: "2026-12-01" }) { id } }`)).data!.createMealPlan.id;
    const res = await chef.gql(`mutation($p: ID!, $r: ID!) { setMealPlanEntry(input: { mealPlanId: $p, date: "2026-12-02", slot: LUNCH, recipeId: $r, servings: -3 }) { entries { id } } }`, {
      p: plan,
      r: recipe.id,
    });
    expect(res.codes).toEqual(['BAD_USER_INPUT']);
    expect((await chef.gql(`query($p: ID!) { mealPlan(id: $p) { entries { id } } }`, { p: plan })).data!.mealPlan.entries).toEqual([]);
    const outside = await chef.gql(`mutation($p: ID!, $r: ID!) { setMealPlanEntry(input: { mealPlanId: $p, date: "2027-01-01", slot: LUNCH, recipeId: $r, servings: 3 }) { id } }`, {
      p: plan,
      r: recipe.id,
    });
    expect(outside.codes).toEqual(['BAD_USER_INPUT']);
    expect((await chef.gql(`mutation { addPantryItem(input: { name: "rice", quantity: 1, unit: "bushel" }) { id } }`)).errors![0]!.extensions!.fields).toEqual({
      'input.unit': ['"bushel" is not a known unit (e.g. g, kg, oz, lb, ml, l, tsp, tbsp, cup, clove, can)'],
    });
  });
});
