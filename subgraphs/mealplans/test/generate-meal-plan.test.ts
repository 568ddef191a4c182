import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must, startFakeOllama, startTestSupergraph, type FakeLlmServer, type TestSupergraph, type TestUser } from '@calos/testkit';

/**
 * generateMealPlan end to end: the real supergraph (identity, ai, recipes, mealplans) on real
 * PostgreSQL, with a fake Ollama answering as each test needs.
 */
const GENERATE = `mutation($input: GenerateMealPlanInput!) {
  generateMealPlan(input: $input) { id name startDate endDate durationDays family { id } entries { date slot servings recipe { id title } } }
}`;
const PLAN = `query($id: ID!) { mealPlan(id: $id) { id name entries { date slot servings recipe { id } } } }`;
const MY_PLANS = `{ me { mealPlans { id name } } }`;
const ME_AI = `{ me { credits { balance } aiUsage(first: 10) { totalCount edges { node { domain feature outcome credits } } } } }`;
const CREATE_RECIPE = `mutation($input: CreateRecipeInput!) { createRecipe(input: $input) { id } }`;


async function recipe(user: TestUser, title: string, serves: number, ingredients: string[], visibility = 'PRIVATE', extra: Record<string, unknown> = {}): Promise<string> {
  const data = await must(
    user.gql(CREATE_RECIPE, {
      input: { title, serves, visibility, ingredients: ingredients.map((name) => ({ name, quantity: 1, unit: null })), instructions: ['Cook it.'], ...extra },
    }),
  );
  return data.createRecipe.id as string;
}

/** Mealplans learns recipes from the recipes events: adding one to a list waits until it has. */
async function untilKnown(user: TestUser, recipeIds: string[]): Promise<void> {
  const list = (await must(user.gql(`mutation { createShoppingList(input: { name: "probe" }) { id } }`))).createShoppingList.id as string;
  for (const id of recipeIds) {
    await must(user.gql(`mutation($l: ID!, $r: ID!) { addRecipeToShoppingList(listId: $l, recipeId: $r, servings: 1) { id } }`, { l: list, r: id }));
  }
}

const answer = (entries: Array<[number, string, string, number]>, name?: string) =>
  JSON.stringify({ ...(name ? { name } : {}), entries: entries.map(([day, slot, recipeId, servings]) => ({ day, slot, recipeId, servings })) });

/** The prompt (last user message) of each model request since `from`. */
const promptsSince = (fake: FakeLlmServer, from: number) => fake.requests.slice(from).map((r) => r.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');

describe('generateMealPlan with a model', () => {
  let fake: FakeLlmServer;
  let stack: TestSupergraph;
  let cook: TestUser;
  let stranger: TestUser;
  let soup: string;
  let pasta: string;
  let curry: string;
  let strangerSecret: string;
  let strangerPlanned: string;
  let strangerUnplanned: string;

  beforeAll(async () => {
    fake = await startFakeOllama({ models: ['llama3.2'] });
    stack = await startTestSupergraph({ only: ['identity', 'ai', 'recipes', 'mealplans'], env: { ai: { OLLAMA_HOSTS: fake.url } } });
    [cook, stranger] = await Promise.all([stack.signUp(), stack.signUp()]);
    soup = await recipe(cook, 'Lentil | soup', 4, ['lentils', 'carrot', 'onion'], 'PRIVATE', { tags: ['vegan', 'soup'], prepTimeMinutes: 10, cookTimeMinutes: 35 });
    pasta = await recipe(cook, 'Pasta al pomodoro', 2, ['spaghetti', 'tomato', 'basil'], 'PUBLIC');
    curry = await recipe(cook, 'Chickpea curry', 4, ['chickpeas', 'coconut milk', 'spinach'], 'PUBLIC');
    strangerSecret = await recipe(stranger, 'Secret stew', 4, ['beef'], 'PRIVATE');
    strangerPlanned = await recipe(stranger, 'Shared risotto', 3, ['rice', 'mushrooms'], 'PUBLIC');
    strangerUnplanned = await recipe(stranger, 'Unplanned pie', 6, ['apples'], 'PUBLIC');
    await untilKnown(cook, [soup, pasta, curry, strangerPlanned, strangerUnplanned]);
    await untilKnown(stranger, [strangerSecret]);
    // The cook planned the stranger's public risotto by hand once: it becomes a candidate.
    const manual = (await must(cook.gql(`mutation { createMealPlan(input: { name: "By hand", startDate: "2026-11-01", durationDays: 1 }) { id } }`))).createMealPlan
      .id as string;
    await must(
      cook.gql(`mutation($input: SetMealPlanEntryInput!) { setMealPlanEntry(input: $input) { id } }`, {
        input: { mealPlanId: manual, date: '2026-11-01', slot: 'DINNER', recipeId: strangerPlanned, servings: 3 },
      }),
    );
  });

  afterAll(async () => {
    await stack?.close();
    await fake?.close();
  });

  it('plans from the candidate recipes and saves an ordinary plan the user sees everywhere', async () => {
    const before = fake.requests.length;
    fake.respond = () =>
      answer(
        [
          [1, 'LUNCH', pasta, 2],
          [1, 'DINNER', soup, 4],
          [2, 'DINNER', curry, 3],
          [3, 'DINNER', strangerPlanned, 2],
        ],
        'Veggie week',
      );
    const res = await cook.gql(GENERATE, {
      input: { startDate: '2026-11-23', durationDays: 3, slots: ['DINNER', 'LUNCH'], preferences: 'vegetarian, quick weeknights' },
    });
    expect(res.errors).toBeUndefined();
    const plan = res.data!.generateMealPlan;
    expect(plan).toMatchObject({ name: 'Veggie week', startDate: '2026-11-23', endDate: '2026-11-25', durationDays: 3, family: null });
    expect(plan.entries).toEqual([
      { date: '2026-11-23', slot: 'LUNCH', servings: 2, recipe: { id: pasta, title: 'Pasta al pomodoro' } },
      { date: '2026-11-23', slot: 'DINNER', servings: 4, recipe: { id: soup, title: 'Lentil | soup' } },
      { date: '2026-11-24', slot: 'DINNER', servings: 3, recipe: { id: curry, title: 'Chickpea curry' } },
      { date: '2026-11-25', slot: 'DINNER', servings: 2, recipe: { id: strangerPlanned, title: 'Shared risotto' } },
    ]);

    // One model call; its prompt lists the candidates, days, slots and preferences — and nothing private of others.
    expect(fake.requests.length - before).toBe(1);
    const request = fake.requests[before]!;
    const [prompt] = promptsSince(fake, before);
    expect(prompt).toContain(`${soup} | Lentil soup | vegan, soup | 45 min | serves 4 | lentils, carrot, onion`);
    expect(prompt).toContain(`${pasta} | Pasta al pomodoro | - | - | serves 2`);
    expect(prompt).toContain(`${curry} | Chickpea curry | - | - | serves 4`);
    expect(prompt).toContain(`${strangerPlanned} | Shared risotto | - | - | serves 3`);
    expect(prompt).not.toContain(strangerSecret);
    expect(prompt).not.toContain(strangerUnplanned);
    expect(prompt).toContain('slots each day: LUNCH, DINNER');
    expect(prompt).toContain('Day 1: Monday 2026-11-23');
    expect(prompt).toContain('Day 3: Wednesday 2026-11-25');
    expect(prompt).toContain('Preferences: vegetarian, quick weeknights');
    // The model is given the JSON Schema, the candidate ids as the only allowed values.
    expect(JSON.stringify(request.jsonSchema)).toContain(soup);
    expect(request.messages[0]!.content).toContain('JSON Schema');

    // An ordinary plan: found by id, listed on the user, and a shopping list can be built from it.
    expect((await must(cook.gql(PLAN, { id: plan.id }))).mealPlan.entries).toHaveLength(4);
    expect((await must(cook.gql(MY_PLANS))).me.mealPlans.map((p: { id: string }) => p.id)).toContain(plan.id);
    const list = await must(cook.gql(`mutation($id: ID!) { generateShoppingList(mealPlanId: $id, excludePantry: false) { items { name } } }`, { id: plan.id }));
    expect(list.generateShoppingList.items.map((i: { name: string }) => i.name)).toEqual(expect.arrayContaining(['lentils', 'spaghetti', 'chickpeas', 'rice']));
    // Nobody else sees it.
    expect((await must(stranger.gql(PLAN, { id: plan.id }))).mealPlan).toBeNull();

    const usage = (await must(cook.gql(ME_AI))).me;
    expect(usage.aiUsage.edges[0].node).toMatchObject({ domain: 'mealplans', feature: 'generateMealPlan', outcome: 'SUCCESS', credits: 0 });
    expect(usage.credits.balance).toBe(100);
  });

  it('asks once more when the first answer is not JSON, and saves one plan', async () => {
    const before = fake.requests.length;
    const plans = (await must(cook.gql(MY_PLANS))).me.mealPlans.length;
    let calls = 0;
    fake.respond = () => (calls++ === 0 ? 'Sure! Here is your plan: {"entries": [' : answer([[1, 'DINNER', curry, 4]]));
    const res = await cook.gql(GENERATE, { input: { name: 'Retry week', startDate: '2026-12-01', durationDays: 2 } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.generateMealPlan).toMatchObject({ name: 'Retry week', entries: [{ date: '2026-12-01', slot: 'DINNER', recipe: { id: curry } }] });
    expect(fake.requests.length - before).toBe(2);
    expect(promptsSince(fake, before)[1]).toMatch(/not valid JSON/);
    expect((await must(cook.gql(MY_PLANS))).me.mealPlans).toHaveLength(plans + 1);
  });

  it('repairs an answer naming a recipe that is not a candidate', async () => {
    const before = fake.requests.length;
    let calls = 0;
    fake.respond = () =>
      calls++ === 0
        ? answer([
            [1, 'DINNER', strangerSecret, 4],
            [2, 'DINNER', strangerUnplanned, 4],
          ])
        : answer([
            [1, 'DINNER', pasta, 2],
            [2, 'DINNER', soup, 4],
          ]);
    const res = await cook.gql(GENERATE, { input: { name: 'Repaired', startDate: '2026-12-07', durationDays: 2 } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.generateMealPlan.entries.map((e: { recipe: { id: string } }) => e.recipe.id)).toEqual([pasta, soup]);
    expect(fake.requests.length - before).toBe(2);
    const repair = promptsSince(fake, before)[1]!;
    expect(repair).toContain('entries.0.recipeId: is not the id of one of the candidate recipes');
    expect(repair).toContain('entries.1.recipeId');
  });

  it('gives up with AI_INVALID_OUTPUT after one repair, saving and charging nothing', async () => {
    const before = fake.requests.length;
    const plans = (await must(cook.gql(MY_PLANS))).me.mealPlans.length;
    // The same day and slot twice, every time.
    fake.respond = () =>
      answer([
        [1, 'DINNER', pasta, 2],
        [1, 'DINNER', soup, 2],
      ]);
    const res = await cook.gql(GENERATE, { input: { name: 'Never', startDate: '2026-12-14', durationDays: 2 } });
    expect(res.codes).toEqual(['AI_INVALID_OUTPUT']);
    expect(fake.requests.length - before).toBe(2);
    expect(promptsSince(fake, before)[1]).toContain('day 1 DINNER is planned more than once');
    const me = (await must(cook.gql(`{ me { mealPlans { name } credits { balance } aiUsage(first: 1) { edges { node { feature outcome } } } } }`))).me;
    expect(me.mealPlans).toHaveLength(plans);
    expect(me.mealPlans.map((p: { name: string }) => p.name)).not.toContain('Never');
    expect(me.credits.balance).toBe(100);
    expect(me.aiUsage.edges[0].node).toEqual({ feature: 'generateMealPlan', outcome: 'INVALID_OUTPUT' });
  });

  it('returns the same plan for the same idempotency key, asking and saving once', async () => {
    const before = fake.requests.length;
    const plans = (await must(cook.gql(MY_PLANS))).me.mealPlans.length;
    fake.respond = () => answer([[1, 'BREAKFAST', pasta, 1]]);
    const input = { name: 'Once', startDate: '2027-01-04', durationDays: 1, slots: ['BREAKFAST'], idempotencyKey: randomUUID() };
    const first = await must(cook.gql(GENERATE, { input }));
    const second = await must(cook.gql(GENERATE, { input }));
    expect(second.generateMealPlan).toEqual(first.generateMealPlan);
    expect(fake.requests.length - before).toBe(1);
    expect((await must(cook.gql(MY_PLANS))).me.mealPlans).toHaveLength(plans + 1);
  });

  it('refuses a user without recipes with BAD_USER_INPUT before asking any model', async () => {
    const newcomer = await stack.signUp();
    const before = fake.requests.length;
    const res = await newcomer.gql(GENERATE, { input: { startDate: '2026-11-23' } });
    expect(res.codes).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toMatch(/no recipes to plan with/);
    expect(fake.requests.length).toBe(before);
    const me = (await must(newcomer.gql(ME_AI))).me;
    expect(me.aiUsage.totalCount).toBe(0);
    expect((await must(newcomer.gql(MY_PLANS))).me.mealPlans).toEqual([]);
  });

  it('validates the input per field and asks nothing', async () => {
    const before = fake.requests.length;
    const res = await cook.gql(GENERATE, {
      input: { name: '', startDate: '2026-11-23', durationDays: 15, slots: [], preferences: 'x'.repeat(501), idempotencyKey: '' },
    });
    expect(res.codes).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.fields).toEqual({
      'input.name': ['must not be empty'],
      'input.durationDays': ['must be at most 14'],
      'input.slots': ['must name at least one slot'],
      'input.preferences': ['must be at most 500 characters'],
      'input.idempotencyKey': ['must not be empty'],
    });
    expect((await cook.gql(GENERATE, { input: { startDate: '2026-11-23' } }, { token: null })).codes).toEqual(['UNAUTHENTICATED']);
    expect(fake.requests.length).toBe(before);
  });

  it('plans for a family only of which the user is a member (NOT_FOUND otherwise, before any model call)', async () => {
    const before = fake.requests.length;
    const res = await cook.gql(GENERATE, { input: { startDate: '2026-11-23', familyId: randomUUID() } });
    expect(res.codes).toEqual(['NOT_FOUND']);
    expect(fake.requests.length).toBe(before);
  });
});

describe('generateMealPlan without any model configured', () => {
  let stack: TestSupergraph;
  beforeAll(async () => {
    stack = await startTestSupergraph({ only: ['identity', 'ai', 'recipes', 'mealplans'] });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers AI_UNAVAILABLE, writes nothing and charges nothing', async () => {
    const cook = await stack.signUp();
    const soup = await recipe(cook, 'Soup', 2, ['water']);
    await untilKnown(cook, [soup]);
    const res = await cook.gql(GENERATE, { input: { startDate: '2026-11-23' } });
    expect(res.codes).toEqual(['AI_UNAVAILABLE']);
    const me = (await must(cook.gql(`{ me { mealPlans { id } credits { balance } } }`))).me;
    expect(me.mealPlans).toEqual([]);
    expect(me.credits.balance).toBe(100);
  });
});
