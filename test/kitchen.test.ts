import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSupergraph, type TestSupergraph, type TestUser } from '@calos/testkit';

const CREATE_RECIPE = `mutation($input: CreateRecipeInput!) { createRecipe(input: $input) { id title serves } }`;
const CREATE_PLAN = `mutation($input: CreateMealPlanInput!) { createMealPlan(input: $input) { id startDate endDate } }`;
const SET_ENTRY = `mutation($input: SetMealPlanEntryInput!) { setMealPlanEntry(input: $input) { id entries { date slot servings recipe { id title } } } }`;
const GENERATE = `mutation($id: ID!, $pantry: Boolean) {
  generateShoppingList(mealPlanId: $id, excludePantry: $pantry) {
    id name mealPlan { id }
    items { id name quantity unit checked checkedBy { username } checkedAt sources { recipe { id title } recipeTitle date slot } }
  } }`;

type Line = { name: string; quantity: number | null; unit: string | null; sources: Array<{ recipeTitle: string; date: string; slot: string; recipe: { title: string } }> };

let sg: TestSupergraph;
let cook: TestUser;
beforeAll(async () => {
  sg = await startTestSupergraph();
  cook = await sg.signUp();
});
afterAll(async () => {
  await sg?.close();
});

async function recipe(user: TestUser, title: string, serves: number, ingredients: Array<[string, number | null, string | null]>, extra: Record<string, unknown> = {}) {
  const res = await user.gql(CREATE_RECIPE, {
    input: {
      title,
      serves,
      ingredients: ingredients.map(([name, quantity, unit]) => ({ name, quantity, unit })),
      instructions: ['Cook it.'],
      visibility: 'PUBLIC',
      ...extra,
    },
  });
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.createRecipe.id as string;
}

const byName = (items: Line[]) => Object.fromEntries(items.map((i) => [`${i.name}|${i.unit ?? ''}`, i]));

describe('a week of meals → one shopping list', () => {
  let planId: string;
  let pancakes: string;

  it('aggregates ingredients across recipes and days in compatible units, minus the pantry, with sources', async () => {
    // Five recipes sharing ingredients in mixed units.
    pancakes = await recipe(cook, 'Pancakes', 4, [['flour', 200, 'g'], ['egg', 2, null], ['whole milk', 300, 'ml'], ['olive oil', 2, 'tbsp']]);
    const bread = await recipe(cook, 'Country bread', 8, [['Flour', 0.5, 'kg'], ['salt', 10, 'g'], ['water', 350, 'ml']]);
    const salad = await recipe(cook, 'Tomato salad', 2, [['tomatoes', 4, null], ['olive oil', 0.25, 'cup'], ['salt', null, null]]);
    const soup = await recipe(cook, 'Tomato soup', 4, [['tomato', 6, null], ['garlic', 3, 'clove'], ['whole milk', 1, 'cup']]);
    const omelette = await recipe(cook, 'Omelette', 1, [['eggs', 3, null], ['butter', 1, 'tbsp']]);

    const plan = await cook.gql(CREATE_PLAN, { input: { name: 'Week 47', startDate: '2026-11-23', durationDays: 7 } });
    planId = plan.data!.createMealPlan.id;
    expect(plan.data!.createMealPlan.endDate).toBe('2026-11-29');
    const entries: Array<[string, string, string, number]> = [
      ['2026-11-23', 'BREAKFAST', pancakes, 4], // 200 g flour, 2 eggs, 300 ml milk, 2 tbsp oil
      ['2026-11-23', 'DINNER', bread, 8], // 0.5 kg flour
      ['2026-11-24', 'LUNCH', salad, 2], // 4 tomatoes, 1/4 cup oil
      ['2026-11-25', 'DINNER', soup, 2], // half: 3 tomatoes, 1.5 cloves, 1/2 cup milk
      ['2026-11-26', 'BREAKFAST', omelette, 2], // doubled: 6 eggs, 2 tbsp butter
    ];
    for (const [date, slot, recipeId, servings] of entries) {
      const res = await cook.gql(SET_ENTRY, { input: { mealPlanId: planId, date, slot, recipeId, servings } });
      expect(res.errors).toBeUndefined();
    }
    // The pantry already holds some eggs and salt.
    await cook.gql(`mutation { a: addPantryItem(input: { name: "Eggs", quantity: 4 }) { id } b: addPantryItem(input: { name: "salt", quantity: 1, unit: "kg" }) { id } }`);

    const res = await cook.gql(GENERATE, { id: planId });
    expect(res.errors).toBeUndefined();
    const list = res.data!.generateShoppingList;
    expect(list.mealPlan.id).toBe(planId);
    const items = byName(list.items);
    expect(items['flour|g']).toMatchObject({ quantity: 700, unit: 'g' }); // 200 g + 0.5 kg
    expect(items['olive oil|tbsp']).toMatchObject({ quantity: 6, unit: 'tbsp' }); // 2 tbsp + 1/4 cup
    expect(items['tomato|'] ?? items['tomatoes|']).toMatchObject({ quantity: 7 }); // 4 + 6 × 2/4
    expect(items['egg|'] ?? items['eggs|']).toMatchObject({ quantity: 4 }); // 2 + 3 × 2 − 4 in the pantry
    expect(items['garlic|clove']).toMatchObject({ quantity: 1.5 });
    // 300 ml + 1/2 cup (118.29 ml) of milk in one line
    const milk = list.items.filter((i: Line) => i.name === 'whole milk');
    expect(milk).toHaveLength(1);
    expect(milk[0].unit).toBe('ml');
    expect(milk[0].quantity).toBeCloseTo(418.3, 0);
    expect(items['butter|tbsp']).toMatchObject({ quantity: 2 });
    // Salt is fully covered by the pantry (10 g needed, 1 kg held); "to taste" stays a quantity-less line only if not covered.
    expect(list.items.filter((i: Line) => i.name === 'salt' && i.quantity !== null)).toEqual([]);
    // Sources: which recipes, which days.
    expect(items['flour|g']!.sources.map((s) => [s.recipeTitle, s.date, s.slot, s.recipe.title])).toEqual([
      ['Pancakes', '2026-11-23', 'BREAKFAST', 'Pancakes'],
      ['Country bread', '2026-11-23', 'DINNER', 'Country bread'],
    ]);

    // Without pantry subtraction the eggs are all there.
    const all = byName((await cook.gql(GENERATE, { id: planId, pantry: false })).data!.generateShoppingList.items);
    expect(all['egg|'] ?? all['eggs|']).toMatchObject({ quantity: 8 });
  });

  it('follows recipe changes: the next generated list uses the new ingredients', async () => {
    const update = await cook.gql(`mutation($id: ID!, $input: UpdateRecipeInput!) { updateRecipe(id: $id, input: $input) { id } }`, {
      id: pancakes,
      input: { ingredients: [{ name: 'flour', quantity: 300, unit: 'g' }, { name: 'egg', quantity: 2 }, { name: 'buttermilk', quantity: 250, unit: 'ml' }] },
    });
    expect(update.errors).toBeUndefined();
    // The read model in mealplans follows the RecipeUpdated event (asynchronously).
    await expect
      .poll(async () => byName((await cook.gql(GENERATE, { id: planId })).data!.generateShoppingList.items)['flour|g']?.quantity, { timeout: 10_000 })
      .toBe(800);
    const items = byName((await cook.gql(GENERATE, { id: planId })).data!.generateShoppingList.items);
    expect(items['buttermilk|ml']).toMatchObject({ quantity: 250 });
    expect(items['olive oil|tbsp'] ?? items['olive oil|cup']).toMatchObject({ quantity: 4 }); // only the salad's 1/4 cup now
  });

  it('records who checked an item, keeps it checked across regeneration, and lists shoppingLists on the user', async () => {
    const list = (await cook.gql(GENERATE, { id: planId })).data!.generateShoppingList;
    const flour = list.items.find((i: Line) => i.name === 'flour');
    const checked = await cook.gql(`mutation($id: ID!) { checkShoppingItem(itemId: $id, checked: true) { checked checkedBy { id username } checkedAt } }`, {
      id: flour.id,
    });
    expect(checked.data!.checkShoppingItem).toMatchObject({ checked: true, checkedBy: { id: cook.id, username: cook.username } });
    expect(Date.now() - Date.parse(checked.data!.checkShoppingItem.checkedAt)).toBeLessThan(60_000);
    const again = (await cook.gql(GENERATE, { id: planId })).data!.generateShoppingList;
    expect(again.id).toBe(list.id);
    expect(again.items.find((i: Line) => i.name === 'flour')).toMatchObject({ checked: true, checkedBy: { username: cook.username } });
    const me = await cook.gql(`{ me { shoppingLists { id items { name } } mealPlans { id entries { recipe { title author { username } } } } pantry { name quantity unit } } }`);
    expect(me.data!.me.shoppingLists.map((l: { id: string }) => l.id)).toContain(list.id);
    expect(me.data!.me.mealPlans[0].entries[0].recipe).toEqual({ title: 'Pancakes', author: { username: cook.username } });
    expect(me.data!.me.pantry).toEqual([
      { name: 'Eggs', quantity: 4, unit: null },
      { name: 'salt', quantity: 1, unit: 'kg' },
    ]);
  });

  it('adds a recipe to a hand-made list, merging with what is there', async () => {
    const created = await cook.gql(`mutation { createShoppingList(input: { name: "Party" }) { id } }`);
    const listId = created.data!.createShoppingList.id;
    await cook.gql(`mutation($id: ID!) { addShoppingItem(listId: $id, input: { name: "flour", quantity: 1, unit: "cup" }) { id } }`, { id: listId });
    const res = await cook.gql(
      `mutation($l: ID!, $r: ID!) { addRecipeToShoppingList(listId: $l, recipeId: $r, servings: 8) { items { name quantity unit sources { recipeTitle date } } } }`,
      { l: listId, r: pancakes },
    );
    expect(res.errors).toBeUndefined();
    const items = byName(res.data!.addRecipeToShoppingList.items);
    // Mass and volume never merge (a cup of flour is not a weight): two lines.
    expect(items['flour|cup']).toMatchObject({ quantity: 1, sources: [] });
    expect(items['flour|g']).toMatchObject({ quantity: 600, sources: [{ recipeTitle: 'Pancakes', date: null }] });
    expect(items['egg|']).toMatchObject({ quantity: 4 });
  });
});

describe('pantry', () => {
  it('lists items expiring soon, soonest first, with days left', async () => {
    const user = await sg.signUp();
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    await user.gql(`mutation($a: Date, $b: Date, $c: Date) {
      x: addPantryItem(input: { name: "yogurt", quantity: 500, unit: "g", expirationDate: $b, location: FRIDGE, category: "Dairy" }) { id }
      y: addPantryItem(input: { name: "spinach", quantity: 1, unit: "bunch", expirationDate: $a, location: FRIDGE }) { id }
      z: addPantryItem(input: { name: "rice", quantity: 2, unit: "kg", expirationDate: $c }) { id }
    }`, { a: day(-1), b: day(2), c: day(200) });
    const res = await user.gql(`{ expiringPantryItems(withinDays: 3) { name expiresInDays location category } }`);
    expect(res.data!.expiringPantryItems).toEqual([
      { name: 'spinach', expiresInDays: -1, location: 'FRIDGE', category: null },
      { name: 'yogurt', expiresInDays: 2, location: 'FRIDGE', category: 'dairy' },
    ]);
    const [yogurt] = (await user.gql(`{ me { pantry { id name } } }`)).data!.me.pantry.filter((p: { name: string }) => p.name === 'yogurt');
    const updated = await user.gql(`mutation($id: ID!) { updatePantryItem(id: $id, input: { quantity: 250 }) { quantity unit } }`, { id: yogurt.id });
    expect(updated.data!.updatePantryItem).toEqual({ quantity: 250, unit: 'g' });
    expect((await user.gql(`mutation($id: ID!) { removePantryItem(id: $id) }`, { id: yogurt.id })).data).toEqual({ removePantryItem: true });
    const other = await sg.signUp();
    expect((await other.gql(`mutation($id: ID!) { removePantryItem(id: $id) }`, { id: yogurt.id })).codes).toEqual(['NOT_FOUND']);
  });
});
