import { DEMO_MEAL_PLAN, DEMO_PANTRY, DEMO_RECIPES } from './demo/kitchen-data.js';

/**
 * Demo data for `npm start`, loaded through the public API like any client would,
 * so it is valid by construction. Idempotent: an existing demo account is kept.
 */
export const DEMO_USER = {
  username: 'demo',
  email: 'demo@calos.local',
  password: 'hollowtown-demo',
  displayName: 'Demo Pumpkin',
} as const;

interface GraphQLResult<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function call<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResult<T>;
}

async function must<T>(promise: Promise<GraphQLResult<T>>, what: string): Promise<T> {
  const result = await promise;
  if (!result.data || result.errors?.length) throw new Error(`Demo data: ${what} failed: ${result.errors?.map((e) => e.message).join('; ')}`);
  return result.data;
}

export interface DemoSummary {
  created: boolean;
  recipes: number;
}

/** The demo account, and (when the kitchen subgraphs run) its recipes, pantry and a week's meal plan. */
export async function loadDemoData(gatewayUrl: string, options: { kitchen: boolean } = { kitchen: true }): Promise<DemoSummary> {
  const login = await call<{ login: { accessToken: string } }>(
    gatewayUrl,
    'mutation($input: LoginInput!) { login(input: $input) { accessToken } }',
    { input: { login: DEMO_USER.username, password: DEMO_USER.password, deviceName: 'Demo loader', deviceType: 'OTHER' } },
  );
  let token = login.data?.login.accessToken;
  const created = !token;
  if (!token) {
    const registered = await must(
      call<{ register: { accessToken: string } }>(gatewayUrl, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', {
        input: { ...DEMO_USER, deviceName: 'Demo loader', deviceType: 'OTHER' },
      }),
      'creating the demo account',
    );
    token = registered.register.accessToken;
  }
  if (!options.kitchen) return { created, recipes: 0 };
  const have = await must(call<{ me: { recipes: { totalCount: number } } }>(gatewayUrl, '{ me { recipes(first: 0) { totalCount } } }', {}, token), 'counting recipes');
  if (have.me.recipes.totalCount > 0) return { created, recipes: have.me.recipes.totalCount };
  await loadKitchen(gatewayUrl, token);
  return { created, recipes: DEMO_RECIPES.length };
}

const allergen = (a: string) => a.toUpperCase().replace(/-/g, '_');

async function loadKitchen(gatewayUrl: string, token: string): Promise<void> {
  const ids = new Map<string, string>();
  for (const recipe of DEMO_RECIPES) {
    const { key, allergens, ...fields } = recipe;
    const data = await must(
      call<{ createRecipe: { id: string } }>(gatewayUrl, 'mutation($input: CreateRecipeInput!) { createRecipe(input: $input) { id } }', { input: { ...fields, allergens: allergens.map(allergen) } }, token),
      `recipe ${key}`,
    );
    ids.set(key, data.createRecipe.id);
  }
  const today = new Date();
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  for (const item of DEMO_PANTRY) {
    const { expiresInDays, ...fields } = item;
    const expirationDate = expiresInDays === null ? null : iso(new Date(today.getTime() + expiresInDays * 86_400_000));
    await must(call(gatewayUrl, 'mutation($input: PantryItemInput!) { addPantryItem(input: $input) { id } }', { input: { ...fields, expirationDate } }, token), `pantry ${item.name}`);
  }
  // The plan starts next Monday.
  const monday = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + ((8 - today.getUTCDay()) % 7 || 7)));
  const plan = await must(
    call<{ createMealPlan: { id: string } }>(gatewayUrl, 'mutation($input: CreateMealPlanInput!) { createMealPlan(input: $input) { id } }', {
      input: { name: DEMO_MEAL_PLAN.name, startDate: iso(monday), durationDays: 7 },
    }, token),
    'meal plan',
  );
  for (const entry of DEMO_MEAL_PLAN.days) {
    const recipeId = ids.get(entry.recipeKey);
    if (!recipeId) throw new Error(`Demo data: the meal plan names an unknown recipe ${entry.recipeKey}`);
    await must(
      call(gatewayUrl, 'mutation($input: SetMealPlanEntryInput!) { setMealPlanEntry(input: $input) { id } }', {
        input: { mealPlanId: plan.createMealPlan.id, date: iso(new Date(monday.getTime() + entry.day * 86_400_000)), slot: entry.slot, recipeId, servings: entry.servings },
      }, token),
      `meal plan entry ${entry.recipeKey}`,
    );
  }
  await must(call(gatewayUrl, 'mutation($id: ID!) { generateShoppingList(mealPlanId: $id) { id } }', { id: plan.createMealPlan.id }, token), 'shopping list');
}
